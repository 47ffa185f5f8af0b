package io.halfopen.limiter;

import java.util.concurrent.locks.LockSupport;

/**
 * The listener behind {@link HalfOpenLimiter#acquire}: parks the calling thread until its attempt is granted
 * or fails. Its grant only unparks, so {@link GrantTrampoline} delivers it at once even inside another grant
 * callback: an {@code acquire} called there returns at once if a slot is free, and otherwise waits at most
 * its {@code maxWait} (the attempt's queue timeout), never for a grant deferred behind the parked thread: before
 * it parks, it runs the grants deferred into its own thread's pending list ({@link GrantTrampoline#runPending()}).
 *
 * <p>Thread-safe: the callbacks run on any thread; {@link #await} on the waiter's own.
 */
final class BlockingGrant implements AttemptListener {

    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int FAILED = 2;

    private final Thread waiter;
    private final Runnable onHalfOpenTimeout;
    private volatile int outcome = WAITING;
    private volatile HalfOpenLimitException failure;

    BlockingGrant(final Thread waiter, final Runnable onHalfOpenTimeout) {
        this.waiter = waiter;
        this.onHalfOpenTimeout = onHalfOpenTimeout;
    }

    @Override
    public void granted(final ConnectAttempt attempt) {
        outcome = GRANTED;
        LockSupport.unpark(waiter);
    }

    @Override
    public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
        failure = cause;
        outcome = FAILED;
        LockSupport.unpark(waiter);
    }

    @Override
    public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
        if (onHalfOpenTimeout != null) {
            onHalfOpenTimeout.run();
        }
    }

    /** Parks until granted or failed; an interrupt cancels the attempt (it holds no socket yet). */
    ConnectAttempt await(final ConnectAttempt attempt) throws InterruptedException, HalfOpenLimitException {
        if (outcome == WAITING) {
            GrantTrampoline.runPending(); // never park while this thread holds back a grant: it may free our slot
        }
        while (outcome == WAITING) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                attempt.cancel(); // leaves the queue, or frees a slot granted meanwhile: no socket yet
                throw new InterruptedException("interrupted while waiting for a half-open slot to "
                        + attempt.remote() + " (waited " + HalfOpenLimitException.format(attempt.queueWait())
                        + ")");
            }
        }
        if (outcome == FAILED) {
            final HalfOpenLimitException cause = failure;
            cause.fillInStackTrace(); // point at the caller, not at the timer thread
            throw cause;
        }
        return attempt;
    }
}
