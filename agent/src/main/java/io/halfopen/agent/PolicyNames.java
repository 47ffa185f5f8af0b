package io.halfopen.agent;

import io.halfopen.policy.AdmissionPolicy;

/**
 * The {@code policy=} option: an admission policy by name.
 *
 * <p>This is a hook, and a small one on purpose: the project's policy registry (Williamson's throttle, token
 * buckets and the rest, each with a registry name) is not written yet. Until it is, the two policies that
 * limiter-core ships are known by name here; once the registry exists, {@link #check} and {@link #resolve} become
 * one lookup in it and nothing else in the agent changes.
 */
final class PolicyNames {

    /** XP's FIFO cap of {@code maxHalfOpen} (the profile's 10 unless given). */
    static final String HALF_OPEN_CAP = "half-open-cap";
    /** No limit at all: every attempt goes at once (counted, never delayed). */
    static final String UNLIMITED = "unlimited";

    private PolicyNames() {
    }

    /** Returns {@code null} if {@code name} names a policy, else a message saying what is known. */
    static String check(final String name) {
        if (name.equals(HALF_OPEN_CAP) || name.equals(UNLIMITED)) {
            return null;
        }
        return "policy=" + name + " is not a known policy: this build knows " + HALF_OPEN_CAP + " and " + UNLIMITED
                + " (the policy registry, which will name the others, is not part of it yet)";
    }

    /** The policy for a checked name and the limit in force. */
    static AdmissionPolicy resolve(final String name, final int maxHalfOpen) {
        return name.equals(UNLIMITED) ? AdmissionPolicy.unlimited() : AdmissionPolicy.halfOpenCap(maxHalfOpen);
    }
}
