/**
 * Netty integration of halfopen.
 * <ul>
 *   <li>{@link io.halfopen.netty.HalfOpenLimitHandler} holds outbound TCP connects back until the shared
 *       {@link io.halfopen.limiter.HalfOpenLimiter} grants them a slot (XP SP2's 10 half-open connects).</li>
 *   <li>{@link io.halfopen.netty.InboundSessionLimitHandler} puts Windows' inbound session limit (XP
 *       Professional's 10 remote computers, XP Home's 5, error 71) in front of a server's child pipelines.</li>
 * </ul>
 * Both are {@code @Sharable}: one instance serves every channel, and all their state lives in the limiters.
 */
package io.halfopen.netty;
