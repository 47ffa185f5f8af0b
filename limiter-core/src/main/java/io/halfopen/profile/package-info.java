/**
 * Windows versions and their connection limits, shared by the outbound half-open limiter and the inbound
 * session limiter.
 */
package io.halfopen.profile;
