/**
 * Jakarta Mail (Eclipse Angus) through the half-open limiter: {@link io.halfopen.jdk.mail.HalfOpenMail} sets the
 * session properties. It uses no Jakarta Mail class, so it needs nothing on the class path but Jakarta Mail
 * itself at run time.
 */
package io.halfopen.jdk.mail;
