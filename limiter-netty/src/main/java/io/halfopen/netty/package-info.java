/**
 * Netty handlers for the half-open limit: {@link io.halfopen.netty.HalfOpenLimitHandler} holds outbound TCP
 * connects back until the shared {@link io.halfopen.limiter.HalfOpenLimiter} grants them a slot.
 */
package io.halfopen.netty;
