package io.halfopen.limiter;

import java.net.InetSocketAddress;
import java.time.Duration;

/** An attempt waited in the queue longer than its queue timeout and left it without a slot. */
public final class QueueTimeoutException extends HalfOpenLimitException {

    private static final long serialVersionUID = 1L;

    /** The timeout that expired. */
    private final Duration timeout;

    /**
     * Creates the exception.
     *
     * @param timeout the setting that caused it
     * @param remote      the address the attempt was for
     * @param maxHalfOpen the limit in force
     * @param queued      how many attempts were waiting
     * @param waited      how long this attempt waited
     */
    public QueueTimeoutException(final Duration timeout, final InetSocketAddress remote, final int maxHalfOpen, final int queued,
            final Duration waited) {
        super(String.format(java.util.Locale.ROOT, "queue timeout of %s expired before a half-open slot freed", format(timeout)), remote, maxHalfOpen, queued, waited);
        this.timeout = timeout;
    }

    /**
     * Returns the setting that caused this exception.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }
}
