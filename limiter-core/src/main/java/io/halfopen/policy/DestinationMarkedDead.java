package io.halfopen.policy;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * {@link DeadDestinationPolicy} marked a destination dead: attempts to it fail at once for the TTL.
 *
 * @param policy   the policy that raised it, as it writes itself
 * @param nanoTime when, on the gate's ticker
 * @param remote   the attempt whose failure marked it
 * @param dead     the destination, the count, the window and the TTL
 */
public record DestinationMarkedDead(String policy, long nanoTime, InetSocketAddress remote, DeadDestination dead)
        implements PolicyEvent {

    /**
     * Checks the components.
     *
     * @param policy   see the record's description
     * @param nanoTime see the record's description
     * @param remote   see the record's description
     * @param dead     see the record's description
     */
    public DestinationMarkedDead {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(dead, "dead");
    }

    @Override
    public String description() {
        return "marked dead: " + dead.describe();
    }
}
