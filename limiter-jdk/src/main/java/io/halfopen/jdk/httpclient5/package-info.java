/**
 * Apache HttpClient 5 (classic) through the half-open limiter:
 * {@link io.halfopen.jdk.httpclient5.HalfOpenConnectionManagerBuilder}. Needs HttpClient 5.4 or later
 * ({@code org.apache.httpcomponents.client5:httpclient5}, checked against 5.6) on the class path; nothing else
 * in {@code limiter-jdk} does.
 */
package io.halfopen.jdk.httpclient5;
