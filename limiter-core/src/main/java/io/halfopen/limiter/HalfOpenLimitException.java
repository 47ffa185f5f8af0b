package io.halfopen.limiter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * An outbound connect did not go, or did not finish, because of the half-open limit. An
 * {@link IOException}, so that code that retries failed connects treats it as one.
 *
 * <p>Every instance says which limit, how many attempts were waiting, and how long this one waited.
 * Immutable.
 */
public class HalfOpenLimitException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress remote;
    /** The limit in force. */
    private final int maxHalfOpen;
    /** How many attempts were waiting when this one failed. */
    private final int queued;
    /** How long this attempt had waited. */
    private final Duration waited;

    /**
     * Creates an exception.
     *
     * @param message     the first part of the message; the details are appended
     * @param remote      the address the attempt was for
     * @param maxHalfOpen the limit in force
     * @param queued      how many attempts were waiting when this one failed
     * @param waited      how long this attempt had waited
     */
    protected HalfOpenLimitException(final String message, final InetSocketAddress remote, final int maxHalfOpen,
            final int queued, final Duration waited) {
        super(message + " (remote " + remote + ", maxHalfOpen " + describeLimit(maxHalfOpen) + ", " + queued
                + " attempt" + (queued == 1 ? "" : "s") + " waiting, waited " + format(waited) + ")");
        this.remote = remote;
        this.maxHalfOpen = maxHalfOpen;
        this.queued = queued;
        this.waited = waited;
    }

    /**
     * Returns the address the attempt was for.
     *
     * @return the remote address
     */
    public InetSocketAddress remote() {
        return remote;
    }

    /**
     * Returns the half-open limit in force, {@link Integer#MAX_VALUE} for none.
     *
     * @return the limit
     */
    public int maxHalfOpen() {
        return maxHalfOpen;
    }

    /**
     * Returns how many attempts were waiting in the queue when this one failed.
     *
     * @return the queue length
     */
    public int queued() {
        return queued;
    }

    /**
     * Returns how long this attempt waited before it failed.
     *
     * @return the wait
     */
    public Duration waited() {
        return waited;
    }

    private static String describeLimit(final int maxHalfOpen) {
        return maxHalfOpen == Integer.MAX_VALUE ? "unlimited" : Integer.toString(maxHalfOpen);
    }

    static String format(final Duration duration) {
        final long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        return String.format(java.util.Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
    }
}
