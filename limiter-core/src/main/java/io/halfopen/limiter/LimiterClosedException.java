package io.halfopen.limiter;

import java.net.InetSocketAddress;
import java.time.Duration;

/** The limiter was closed: attempts still waiting, and new ones, fail with this. */
public final class LimiterClosedException extends HalfOpenLimitException {

    private static final long serialVersionUID = 1L;

    /** The name of the limiter that was closed. */
    private final String limiterName;

    /**
     * Creates the exception.
     *
     * @param limiterName the setting that caused it
     * @param remote      the address the attempt was for
     * @param maxHalfOpen the limit in force
     * @param queued      how many attempts were waiting
     * @param waited      how long this attempt waited
     */
    public LimiterClosedException(final String limiterName, final InetSocketAddress remote, final int maxHalfOpen, final int queued,
            final Duration waited) {
        super(String.format(java.util.Locale.ROOT, "the half-open limiter %s is closed", limiterName), remote, maxHalfOpen, queued, waited);
        this.limiterName = limiterName;
    }

    /**
     * Returns the setting that caused this exception.
     *
     * @return the limiterName
     */
    public String limiterName() {
        return limiterName;
    }
}
