/**
 * The public API of the outbound half-open limiter: {@link io.halfopen.limiter.HalfOpenLimiter} and its
 * builder, the per-attempt {@link io.halfopen.limiter.ConnectAttempt} and its
 * {@link io.halfopen.limiter.AttemptListener}, stats, event 4226, and the exceptions.
 *
 * <p>Every type here is thread-safe unless its javadoc says otherwise.
 */
package io.halfopen.limiter;
