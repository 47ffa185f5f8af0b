package io.halfopen.limiter;

import java.net.InetSocketAddress;
import java.time.Duration;

/** A granted attempt reported no outcome within the half-open timeout (XP: 21 s, the last SYN retransmission given up). The owner must abort the connect; the slot frees when it reports the socket closed. */
public final class HalfOpenTimeoutException extends HalfOpenLimitException {

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
    public HalfOpenTimeoutException(final Duration timeout, final InetSocketAddress remote, final int maxHalfOpen, final int queued,
            final Duration waited) {
        super(String.format(java.util.Locale.ROOT, "no answer to the connect within the half-open timeout of %s", format(timeout)), remote, maxHalfOpen, queued, waited);
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
