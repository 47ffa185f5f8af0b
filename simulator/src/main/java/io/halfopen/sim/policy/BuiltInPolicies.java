package io.halfopen.sim.policy;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.sim.spec.Spec;
import io.halfopen.sim.spec.SpecArgs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * limiter-core's policies by name, until the policy registry lands: each name maps to the public factory
 * ({@link AdmissionPolicy#halfOpenCap(int)}, {@link AdmissionPolicy#unlimited()}); nothing here decides
 * anything a policy decides.
 */
final class BuiltInPolicies implements PolicyLookup {

    static final BuiltInPolicies INSTANCE = new BuiltInPolicies();

    private static final List<PolicyInfo> POLICIES = List.of(
            new PolicyInfo("halfOpenCap", Map.of("maxHalfOpen", String.valueOf(HalfOpenLimiter.XP_MAX_HALF_OPEN)),
                    "XP SP2's cap: at most maxHalfOpen attempts half-open, the rest wait in FIFO order"),
            new PolicyInfo("xp", Map.of("maxHalfOpen", String.valueOf(HalfOpenLimiter.XP_MAX_HALF_OPEN)),
                    "the same as halfOpenCap: XP SP2's cap of 10 unless told otherwise"),
            new PolicyInfo("unlimited", Map.of(),
                    "no limit, as before XP SP2 and since Vista SP2: every attempt goes at once"));

    private BuiltInPolicies() {
    }

    @Override
    public AdmissionPolicy policy(final Spec spec) {
        final SpecArgs args = new SpecArgs(spec, "policy");
        final AdmissionPolicy policy = switch (spec.name()) {
            case "halfOpenCap", "xp" -> AdmissionPolicy.halfOpenCap(
                    (int) args.integer("maxHalfOpen", HalfOpenLimiter.XP_MAX_HALF_OPEN, 1, Integer.MAX_VALUE));
            case "unlimited" -> AdmissionPolicy.unlimited();
            default -> throw new IllegalArgumentException("unknown policy '" + spec.name() + "' in \"" + spec
                    + "\"; known: " + POLICIES.stream().map(PolicyInfo::name).collect(Collectors.joining(", "))
                    + " (the policies of issue 12 join when the policy registry lands)");
        };
        args.done();
        return policy;
    }

    @Override
    public List<PolicyInfo> policies() {
        return POLICIES;
    }

    /** For diagnostics: the known names and their defaults. */
    @Override
    public String toString() {
        final Map<String, Map<String, String>> all = new LinkedHashMap<>();
        POLICIES.forEach(p -> all.put(p.name(), p.parameters()));
        return "BuiltInPolicies" + all;
    }
}
