package io.halfopen.sim.policy;

import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.sim.spec.Spec;
import java.util.List;
import java.util.Optional;

/**
 * Where the simulator gets its policies: a name with parameters in spec syntax
 * ({@code halfOpenCap(maxHalfOpen=10)}, {@code williamson(workingSet=5, release=1s)}) becomes the production
 * {@link AdmissionPolicy}. The simulator never builds a policy any other way, so a policy joins the simulator
 * by joining the lookup, with no simulator change.
 *
 * <p>{@link #builtIn()} delegates to limiter-core's {@link io.halfopen.policy.PolicyRegistry#builtIn()}: every
 * policy the registry lists runs here, in the registry's syntax.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface PolicyLookup {

    /**
     * Creates the policy a spec names.
     *
     * @param spec the name and parameters
     * @return the policy
     * @throws IllegalArgumentException if the name is unknown (the message lists the known ones) or a parameter
     *                                  is unknown or wrong (the message names it)
     */
    AdmissionPolicy policy(Spec spec);

    /**
     * Lists the policies this lookup knows.
     *
     * @return the policies, in a fixed order
     */
    List<PolicyInfo> policies();

    /**
     * Describes one policy.
     *
     * @param name its name
     * @return what the lookup knows about it, if it knows it
     */
    default Optional<PolicyInfo> info(final String name) {
        return policies().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * Returns the lookup of limiter-core's policies: every policy of its built-in registry.
     *
     * @return the built-in lookup
     */
    static PolicyLookup builtIn() {
        return BuiltInPolicies.INSTANCE;
    }
}
