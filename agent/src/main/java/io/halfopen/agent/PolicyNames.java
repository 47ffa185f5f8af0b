package io.halfopen.agent;

import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.policy.PolicyDescriptor;
import io.halfopen.policy.PolicyRegistry;
import java.util.stream.Collectors;

/**
 * The {@code policy=} option: an admission policy by name, {@code half-open-cap} and {@code unlimited} (the
 * agent's own names for XP's cap of {@code maxHalfOpen} and no limit), or any policy of limiter-core's registry
 * in its syntax, such as {@code williamson(workingSet=5, release=1s)} (its commas are inside parentheses, so
 * they do not split the agent's options).
 */
final class PolicyNames {

    /** XP's FIFO cap of {@code maxHalfOpen} (the profile's 10 unless given). */
    static final String HALF_OPEN_CAP = "half-open-cap";
    /** No limit at all: every attempt goes at once (counted, never delayed). */
    static final String UNLIMITED = "unlimited";

    private PolicyNames() {
    }

    /** Whether {@code name} is one of the agent's own two names (which {@code maxHalfOpen} may go with). */
    static boolean isAgentName(final String name) {
        return name.equals(HALF_OPEN_CAP) || name.equals(UNLIMITED);
    }

    /** Returns {@code null} if {@code name} names a policy, else a message saying what is wrong with it. */
    static String check(final String name) {
        if (isAgentName(name)) {
            return null;
        }
        try {
            PolicyRegistry.builtIn().parse(name);
            return null;
        } catch (final IllegalArgumentException e) { // PolicySyntaxException, or a parameter out of range
            return "policy=" + name + " is not a policy: " + e.getMessage() + " (known: " + HALF_OPEN_CAP + ", "
                    + UNLIMITED + ", or a policy of the registry: "
                    + PolicyRegistry.builtIn().descriptors().stream().map(PolicyDescriptor::name)
                            .collect(Collectors.joining(", ")) + ")";
        }
    }

    /** The policy for a checked name and the limit in force. */
    static AdmissionPolicy resolve(final String name, final int maxHalfOpen) {
        if (name.equals(UNLIMITED)) {
            return AdmissionPolicy.unlimited();
        }
        if (name.equals(HALF_OPEN_CAP)) {
            return AdmissionPolicy.halfOpenCap(maxHalfOpen);
        }
        return PolicyRegistry.builtIn().parse(name);
    }
}
