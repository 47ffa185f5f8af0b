package io.halfopen.limiter;

import io.halfopen.policy.PolicyEvent;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Observes a limiter: its event 4226, the end of every attempt, the events of its policy's own rule, and in
 * shadow mode what the chosen policy would have done. For metrics and logs. Given to the builder
 * ({@link HalfOpenLimiterBuilder#listener}) or added to a built limiter ({@link HalfOpenLimiter#addListener}).
 *
 * <p>Callbacks run on the thread that caused them (the one that queued an attempt, reported an outcome or
 * ran a timer), never under a lock and never on the semaphore's fast path. They may run on several threads at
 * once. They must be quick and must not throw; an exception is logged and swallowed. The listeners of one
 * limiter are called in the order they were given: the builder's first, then those added after build.
 */
public interface LimiterListener {

    /**
     * The limiter started throttling (see {@link LimitEventMode} for how often).
     *
     * @param event what happened
     */
    default void limitReached(final LimitReached event) {
    }

    /**
     * An attempt ended.
     *
     * @param attempt   the attempt, in its terminal state
     * @param queueWait how long it waited for a slot (zero if it got one at once)
     * @param halfOpen  how long it held a slot (zero if it never got one)
     */
    default void attemptEnded(final ConnectAttempt attempt, final Duration queueWait, final Duration halfOpen) {
    }

    /**
     * Shadow mode only: the chosen policy would have granted this attempt its slot after {@code wait} (zero if
     * at once). Called once for every attempt the policy took, when it would have been granted, which may be
     * after the real attempt ended; never for an attempt the policy would have refused. The attempt itself was
     * admitted at once.
     *
     * @param remote the attempt's address
     * @param wait   how long it would have waited for a slot
     */
    default void wouldHaveWaited(final InetSocketAddress remote, final Duration wait) {
    }

    /**
     * The limiter's policy reported an event of its own rule, such as Williamson's delay queue reaching its
     * high watermark (see the policy's javadoc for which events it raises). Runs on the thread that caused it,
     * outside the gate's lock. In {@linkplain HalfOpenLimiter#isShadow() shadow mode} the events are those of the
     * policy under evaluation, which enforces nothing; they are not marked as such (and are logged at WARN like
     * any other), so a listener that cares asks the limiter.
     *
     * @param event what the policy reports
     */
    default void policyEvent(final PolicyEvent event) {
    }
}
