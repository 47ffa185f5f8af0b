package io.halfopen.sim.host;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.sim.net.TcpModel;
import io.halfopen.sim.spec.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How a simulated host is set up besides its policy: the limiter's options and the stack's timers.
 *
 * @param halfOpenTimeout the limiter's half-open timeout (XP: 21 s); an attempt never holds a slot longer
 * @param queueTimeout    the limiter's queue timeout, or {@code null} for none (XP)
 * @param maxQueued       the limiter's queue bound, {@link Integer#MAX_VALUE} for none (XP)
 * @param tcp             the stack's SYN timers and retry after a reset
 */
public record HostOptions(Duration halfOpenTimeout, Duration queueTimeout, int maxQueued, TcpModel tcp) {

    /**
     * XP SP2's host: 21 s half-open timeout, unbounded queue without timeout, XP's stack. */
    public static final HostOptions XP = new HostOptions(HalfOpenLimiter.XP_HALF_OPEN_TIMEOUT, null,
            Integer.MAX_VALUE, TcpModel.XP);

    /** Validates.
     *
     * @param halfOpenTimeout see the record's description
     * @param queueTimeout see the record's description
     * @param maxQueued see the record's description
     * @param tcp see the record's description
     */
    public HostOptions {
        Objects.requireNonNull(halfOpenTimeout, "halfOpenTimeout");
        Objects.requireNonNull(tcp, "tcp");
        if (halfOpenTimeout.isNegative() || halfOpenTimeout.isZero()) {
            throw new IllegalArgumentException("halfOpenTimeout must be positive, was "
                    + Durations.format(halfOpenTimeout));
        }
        if (queueTimeout != null && (queueTimeout.isNegative() || queueTimeout.isZero())) {
            throw new IllegalArgumentException("queueTimeout must be positive, was " + Durations.format(queueTimeout));
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued must be >= 0, was " + maxQueued);
        }
    }

    /**
     * Returns these options with another half-open timeout.
     *
     * @param timeout positive
     * @return the options
     */
    public HostOptions withHalfOpenTimeout(final Duration timeout) {
        return new HostOptions(timeout, queueTimeout, maxQueued, tcp);
    }

    /**
     * Returns these options with another stack.
     *
     * @param model the stack
     * @return the options
     */
    public HostOptions withTcp(final TcpModel model) {
        return new HostOptions(halfOpenTimeout, queueTimeout, maxQueued, model);
    }

    /**
     * Returns these options with a queue timeout ({@code null}: none) and a queue bound.
     *
     * @param timeout   the queue timeout or {@code null}
     * @param maxQueued the bound
     * @return the options
     */
    public HostOptions withQueue(final Duration timeout, final int maxQueued) {
        return new HostOptions(halfOpenTimeout, timeout, maxQueued, tcp);
    }
}
