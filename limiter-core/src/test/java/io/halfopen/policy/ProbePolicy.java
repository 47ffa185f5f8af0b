package io.halfopen.policy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A policy for the registry's tests only, with one parameter of every type, so that the syntax of every type
 * is exercised whatever the built-in policies declare. It admits like the policy it is within.
 */
final class ProbePolicy implements AdmissionPolicy {

    static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("probe")
            .summary("a test policy with a parameter of every type")
            .source("the registry's tests")
            .limits("what its inner policy limits")
            .integer("count", 5, PolicyParameter.Origin.SOURCE, "an integer, at least 1")
            .decimal("share", 0.9, PolicyParameter.Origin.SOURCE, "a decimal between 0 and 1")
            .duration("every", Duration.ofSeconds(1), PolicyParameter.Origin.OURS, "a positive duration")
            .bool("strict", false, PolicyParameter.Origin.OURS, "a boolean")
            .policy("within", AdmissionPolicy.unlimited(), PolicyParameter.Origin.OURS, "a nested policy")
            .build(args -> new ProbePolicy(args.integer("count"), args.decimal("share"), args.duration("every"),
                    args.bool("strict"), args.policy("within")));

    final int count;
    final double share;
    final Duration every;
    final boolean strict;
    final AdmissionPolicy within;

    ProbePolicy(final int count, final double share, final Duration every, final boolean strict,
            final AdmissionPolicy within) {
        this.count = PolicyParameterException.atLeast("count", count, 1);
        this.share = PolicyParameterException.between("share", share, 0, 1);
        PolicyParameterException.positiveNanos("every", every);
        this.every = every;
        this.strict = strict;
        this.within = PolicyParameterException.notNull("within", within);
    }

    @Override
    public String name() {
        return spec().orElse("probe");
    }

    @Override
    public int maxHalfOpen() {
        return within.maxHalfOpen();
    }

    @Override
    public AdmissionGate newGate(final PolicyContext context) {
        return within.newGate(context);
    }

    @Override
    public Optional<String> spec() {
        return DESCRIPTOR.write(count, share, every, strict, within);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof ProbePolicy p && p.count == count && Double.compare(p.share, share) == 0
                && p.every.equals(every) && p.strict == strict && p.within.equals(within);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, share, every, strict, within);
    }

    @Override
    public String toString() {
        return name();
    }
}
