package io.halfopen.limiter;

import io.halfopen.policy.DeadDestination;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The attempt failed at once because its destination is marked dead: it timed out or was unreachable
 * {@link #failures()} times within {@link #window()}, and attempts to it fail at once for {@link #ttl()}
 * ({@link io.halfopen.policy.DeadDestinationPolicy}). Not XP's behaviour: XP queued such attempts like any
 * other. The message names the destination, the count, the window, the TTL and what is left of it.
 */
public final class DeadDestinationException extends PolicyRefusedException {

    private static final long serialVersionUID = 1L;

    /** The address marked dead. */
    private final InetAddress destination;
    /** How many half-open timeouts or unreachables marked it. */
    private final int failures;
    /** Within how long they came. */
    private final Duration window;
    /** How long attempts to it fail at once. */
    private final Duration ttl;
    /** What was left of the TTL when this attempt failed. */
    private final Duration remaining;

    /**
     * Creates the exception.
     *
     * @param policy      the policy's name
     * @param reason      the policy's reason (see {@link DeadDestination#describe()})
     * @param remote      the address the attempt was for
     * @param maxHalfOpen the limit in force
     * @param queued      how many attempts were waiting
     * @param dead        why the destination is dead
     */
    public DeadDestinationException(final String policy, final String reason, final InetSocketAddress remote,
            final int maxHalfOpen, final int queued, final DeadDestination dead) {
        super(policy, reason, remote, maxHalfOpen, queued);
        this.destination = dead.destination();
        this.failures = dead.failures();
        this.window = dead.window();
        this.ttl = dead.ttl();
        this.remaining = dead.remaining();
    }

    /**
     * Returns the address marked dead.
     *
     * @return the destination
     */
    public InetAddress destination() {
        return destination;
    }

    /**
     * Returns how many half-open timeouts or unreachables marked it.
     *
     * @return the count
     */
    public int failures() {
        return failures;
    }

    /**
     * Returns within how long those failures came.
     *
     * @return the window
     */
    public Duration window() {
        return window;
    }

    /**
     * Returns how long attempts to the destination fail at once after it was marked.
     *
     * @return the TTL
     */
    public Duration ttl() {
        return ttl;
    }

    /**
     * Returns what was left of the TTL when this attempt failed.
     *
     * @return the time left
     */
    public Duration remaining() {
        return remaining;
    }
}
