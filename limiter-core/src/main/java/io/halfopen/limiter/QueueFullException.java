package io.halfopen.limiter;

import java.net.InetSocketAddress;
import java.time.Duration;

/** An attempt had to wait but the queue already held {@code maxQueued} attempts: it was rejected without waiting (not XP's behaviour: an explicit option). */
public final class QueueFullException extends HalfOpenLimitException {

    private static final long serialVersionUID = 1L;

    /** The queue bound that was reached. */
    private final int maxQueued;

    /**
     * Creates the exception.
     *
     * @param maxQueued the setting that caused it
     * @param remote      the address the attempt was for
     * @param maxHalfOpen the limit in force
     * @param queued      how many attempts were waiting
     * @param waited      how long this attempt waited
     */
    public QueueFullException(final int maxQueued, final InetSocketAddress remote, final int maxHalfOpen, final int queued,
            final Duration waited) {
        super(String.format(java.util.Locale.ROOT, "queue full: maxQueued is %s", maxQueued), remote, maxHalfOpen, queued, waited);
        this.maxQueued = maxQueued;
    }

    /**
     * Returns the setting that caused this exception.
     *
     * @return the maxQueued
     */
    public int maxQueued() {
        return maxQueued;
    }
}
