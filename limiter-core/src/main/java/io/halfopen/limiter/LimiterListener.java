package io.halfopen.limiter;

import io.halfopen.policy.PolicyEvent;
import java.time.Duration;

/**
 * Observes a limiter: its event 4226, the end of every attempt, and the events of its policy's own rule. For
 * metrics and logs.
 *
 * <p>Callbacks run on the thread that caused them (the one that queued an attempt, reported an outcome or
 * ran a timer), never under a lock and never on the semaphore's fast path. They must be quick and must not
 * throw; an exception is logged and swallowed.
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
     * The limiter's policy reported an event of its own rule, such as Williamson's delay queue reaching its
     * high watermark (see the policy's javadoc for which events it raises). Runs on the thread that caused it,
     * outside the gate's lock.
     *
     * @param event what the policy reports
     */
    default void policyEvent(final PolicyEvent event) {
    }
}
