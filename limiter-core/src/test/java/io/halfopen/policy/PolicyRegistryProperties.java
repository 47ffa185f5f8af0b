package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based: every policy the registry knows (and a probe with a parameter of every type), with random
 * values of every parameter, nested up to two deep, writes itself as text that reads back into an equal policy
 * and the same text; the same values written by hand in another form (positional, spaced, other units) read
 * to the same policy; and any text at all either reads or fails with a {@link PolicySyntaxException} whose
 * column lies within the text.
 */
class PolicyRegistryProperties {

    private static final PolicyRegistry REGISTRY = PolicyRegistry.builtIn().with(ProbePolicy.DESCRIPTOR);

    /** A policy with the values it was made from, by hand. */
    record Made(PolicyDescriptor descriptor, Map<String, Object> values, String handWritten) {
    }

    @Property(tries = 400)
    void aPolicyWritesItselfAsTextThatReadsBackEqual(@ForAll("policies") final Made made) {
        final AdmissionPolicy policy;
        try {
            policy = made.descriptor().create(made.values());
        } catch (final IllegalArgumentException refused) { // a combination the policy refuses (say low > high)
            Assume.that(false);
            return;
        }
        final String text = REGISTRY.describe(policy);
        final AdmissionPolicy read = REGISTRY.parse(text);
        assertEquals(policy, read, text);
        assertEquals(text, REGISTRY.describe(read), "the written form is canonical");
        assertEquals(policy, REGISTRY.parse(made.handWritten()), made.handWritten());
        assertEquals(policy.hashCode(), read.hashCode());
    }

    @Property(tries = 1000)
    void anyTextReadsOrFailsWithAColumnWithinIt(@ForAll("noise") final String text) {
        try {
            REGISTRY.parse(text);
        } catch (final PolicySyntaxException e) {
            assertTrue(e.column() >= 1 && e.column() <= text.length() + 1, e.getMessage());
            assertEquals(text, e.input());
        }
    }

    @Provide
    Arbitrary<Made> policies() {
        return made(2);
    }

    private Arbitrary<Made> made(final int depth) {
        final List<PolicyDescriptor> all = REGISTRY.descriptors();
        return Arbitraries.of(all).flatMap(d -> {
            final List<Arbitrary<Object[]>> parameters = new ArrayList<>();
            for (final PolicyParameter p : d.parameters()) {
                parameters.add(value(p, depth));
            }
            if (parameters.isEmpty()) {
                return Arbitraries.just(new Made(d, Map.of(), d.name()));
            }
            return Combinators.combine(parameters).as(pairs -> {
                final Map<String, Object> values = new LinkedHashMap<>();
                final StringBuilder hand = new StringBuilder(d.name()).append(" ( ");
                for (int i = 0; i < pairs.size(); i++) {
                    values.put(d.parameters().get(i).name(), pairs.get(i)[0]);
                    hand.append(i == 0 ? "" : " ,  ").append(d.parameters().get(i).name()).append(" = ")
                            .append(pairs.get(i)[1]);
                }
                return new Made(d, values, hand.append(" )").toString());
            });
        });
    }

    /** A value and a hand-written text for it, not always the canonical one. */
    private Arbitrary<Object[]> value(final PolicyParameter p, final int depth) {
        return switch (p.type()) {
            case INTEGER -> Arbitraries.integers().between(1, 5_000).map(i -> new Object[] {i,
                i >= 1000 ? (i / 1000) + "_" + String.format("%03d", i % 1000) : Integer.toString(i)});
            case DECIMAL -> Arbitraries.oneOf(Arbitraries.doubles().between(0, 1),
                    Arbitraries.doubles().between(1, 1e6)).map(d -> new Object[] {d, Double.toString(d)});
            case DURATION -> Combinators.combine(Arbitraries.longs().between(1, 100_000),
                    Arbitraries.of("ns", "us", "ms", "s", "m", "h")).as((n, unit) -> {
                        final Duration duration = switch (unit) {
                            case "ns" -> Duration.ofNanos(n);
                            case "us" -> Duration.ofNanos(n * 1_000);
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            default -> Duration.ofHours(n % 1000 + 1);
                        };
                        return new Object[] {duration, unit.equals("h") ? (n % 1000 + 1) + "h" : n + unit};
                    });
            case BOOLEAN -> Arbitraries.of(true, false).map(b -> new Object[] {b, b.toString()});
            case POLICY -> depth == 0
                    ? Arbitraries.of(new Object[] {AdmissionPolicy.unlimited(), "unlimited"},
                            new Object[] {AdmissionPolicy.halfOpenCap(10), "halfOpenCap(10)"})
                    : made(depth - 1).map(m -> {
                        try {
                            return new Object[] {m.descriptor().create(m.values()), m.handWritten()};
                        } catch (final IllegalArgumentException refused) {
                            return new Object[] {AdmissionPolicy.halfOpenCap(3), "halfOpenCap ( 3 )"};
                        }
                    });
        };
    }

    @Provide
    Arbitrary<String> noise() {
        final Arbitrary<String> tokens = Arbitraries.of("probe", "halfOpenCap", "unlimited", "(", ")", ",", "=",
                " ", "count", "every", "1s", "0", "-1", "2.5", "true", "within", "1e9", "µs", "x", "9", "_", "((");
        return tokens.list().ofMaxSize(14).map(list -> String.join("", list));
    }
}
