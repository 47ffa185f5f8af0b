package io.halfopen.sim.policy;

import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.policy.PolicyDescriptor;
import io.halfopen.policy.PolicyParameter;
import io.halfopen.policy.PolicyRegistry;
import io.halfopen.sim.spec.Spec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * limiter-core's policies by name: every policy of {@link PolicyRegistry#builtIn()}, the same registry the
 * limiter's builder, the CLI and a config file read. A spec is written back in its canonical form and parsed by
 * the registry, so the syntax, the defaults and the errors (what is wrong, and at which column) are the
 * registry's; nothing here decides anything a policy decides.
 */
final class BuiltInPolicies implements PolicyLookup {

    static final BuiltInPolicies INSTANCE = new BuiltInPolicies(PolicyRegistry.builtIn());

    private final PolicyRegistry registry;
    private final List<PolicyInfo> policies;

    private BuiltInPolicies(final PolicyRegistry registry) {
        this.registry = registry;
        this.policies = registry.descriptors().stream().map(BuiltInPolicies::info).toList();
    }

    private static PolicyInfo info(final PolicyDescriptor d) {
        final Map<String, String> parameters = new LinkedHashMap<>();
        for (final PolicyParameter p : d.parameters()) {
            parameters.put(p.name(), p.defaultText());
        }
        return new PolicyInfo(d.name(), parameters, d.summary());
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException a {@link io.halfopen.policy.PolicySyntaxException}: an unknown name (the
     *                                  message lists the known ones), an unknown parameter or a bad value, named
     */
    @Override
    public AdmissionPolicy policy(final Spec spec) {
        return registry.parse(spec.toString());
    }

    @Override
    public List<PolicyInfo> policies() {
        return policies;
    }

    /** For diagnostics: the known names and their defaults. */
    @Override
    public String toString() {
        final Map<String, Map<String, String>> all = new LinkedHashMap<>();
        policies.forEach(p -> all.put(p.name(), p.parameters()));
        return "BuiltInPolicies" + all;
    }
}
