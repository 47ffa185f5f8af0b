package io.halfopen.policy;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Something a policy decided that an operator should hear of, as event 4226 is for XP's cap: a scan detector
 * concluded that this host scans, a destination was marked dead. A gate raises it through its
 * {@link PolicyContext#events()}; the limiter logs it and passes it to its listeners
 * ({@code LimiterListener.policyEvent}). Immutable.
 *
 * @param policy   the name of the policy that raised it ({@link AdmissionPolicy#name()})
 * @param kind     what happened, one word a program can match on, such as {@code scanner-detected}
 * @param remote   the destination whose attempt led to the decision
 * @param message  why, in words, with the numbers that led to it
 * @param nanoTime when, by the gate's ticker
 */
public record PolicyEvent(String policy, String kind, InetSocketAddress remote, String message, long nanoTime) {

    /**
     * Checks the components.
     *
     * @param policy   see the record's description
     * @param kind     see the record's description
     * @param remote   see the record's description
     * @param message  see the record's description
     * @param nanoTime see the record's description
     */
    public PolicyEvent {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(message, "message");
    }
}
