package io.halfopen.limiter;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The limiter's scheduler threw when an attempt's timer was armed (a shut-down executor's
 * {@link java.util.concurrent.RejectedExecutionException}, say), so the attempt ended at once instead of
 * waiting, or holding its slot, with no timer to end it. Its cause is what the scheduler threw. The owner had
 * not been told to connect: no socket is involved.
 */
public final class SchedulerFailedException extends HalfOpenLimitException {

    private static final long serialVersionUID = 1L;

    /** Which timer could not be armed. */
    private final String timer;

    /**
     * Creates the exception.
     *
     * @param timer       which timer could not be armed: {@code "queue timeout"} or {@code "half-open timeout"}
     * @param cause       what the scheduler threw
     * @param remote      the address the attempt was for
     * @param maxHalfOpen the limit in force
     * @param queued      how many attempts were waiting
     * @param waited      how long this attempt waited
     */
    public SchedulerFailedException(final String timer, final Throwable cause, final InetSocketAddress remote,
            final int maxHalfOpen, final int queued, final Duration waited) {
        super("the scheduler could not arm the " + timer + " timer (" + cause + "); the attempt ended without"
                + " connecting", remote, maxHalfOpen, queued, waited);
        this.timer = timer;
        initCause(cause);
    }

    /**
     * Returns which timer could not be armed.
     *
     * @return {@code "queue timeout"} or {@code "half-open timeout"}
     */
    public String timer() {
        return timer;
    }
}
