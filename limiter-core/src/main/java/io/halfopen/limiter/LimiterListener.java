package io.halfopen.limiter;

import io.halfopen.policy.PolicyEvent;
import java.time.Duration;

/**
 * Observes a limiter: its event 4226, its policy's events and the end of every attempt. For metrics and logs.
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
     * The admission policy made a decision worth an operator's attention (a scan detector concluded that this
     * host scans, a destination was marked dead): see {@link PolicyEvent}. The limiter also logs it at WARN.
     * Runs on the thread that made the decision (an attempt's end, a policy's timer).
     *
     * @param event what the policy decided, and why
     */
    default void policyEvent(final PolicyEvent event) {
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
}
