package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The registry's syntax, what it reads, and its errors: what is wrong, what was expected, and where. */
@DisplayName("PolicyRegistry: the syntax, its values and its errors")
class PolicyRegistryTest {

    private final PolicyRegistry registry = PolicyRegistry.builtIn().with(ProbePolicy.DESCRIPTOR);

    private PolicySyntaxException error(final String text) {
        return assertThrows(PolicySyntaxException.class, () -> registry.parse(text), text);
    }

    private ProbePolicy probe(final String text) {
        return (ProbePolicy) registry.parse(text);
    }

    @Test
    void aBareNameTakesEveryDefault() {
        assertEquals(AdmissionPolicy.unlimited(), registry.parse("unlimited"));
        assertEquals(AdmissionPolicy.unlimited(), registry.parse("  unlimited ( ) "));
        assertEquals(AdmissionPolicy.halfOpenCap(10), registry.parse("halfOpenCap"));
        final ProbePolicy probe = probe("probe");
        assertEquals(5, probe.count);
        assertEquals(0.9, probe.share);
        assertEquals(Duration.ofSeconds(1), probe.every);
        assertEquals(false, probe.strict);
        assertEquals(AdmissionPolicy.unlimited(), probe.within);
    }

    @Test
    void namedValuesOfEveryTypeAreRead() {
        final ProbePolicy probe = probe("probe(count=1_000, share=0.25, every=1.5s, strict=true,"
                + " within=halfOpenCap(maxHalfOpen=3))");
        assertEquals(1000, probe.count);
        assertEquals(0.25, probe.share);
        assertEquals(Duration.ofMillis(1500), probe.every);
        assertEquals(true, probe.strict);
        assertEquals(AdmissionPolicy.halfOpenCap(3), probe.within);
    }

    @Test
    void positionalValuesBindInDeclaredOrderBeforeNamedOnes() {
        assertEquals(AdmissionPolicy.halfOpenCap(7), registry.parse("halfOpenCap(7)"));
        final ProbePolicy probe = probe("probe(3, 0.5, within = halfOpenCap(2))");
        assertEquals(3, probe.count);
        assertEquals(0.5, probe.share);
        assertEquals(AdmissionPolicy.halfOpenCap(2), probe.within);
    }

    @Test
    void durationsTakeEveryUnitAndDecimals() {
        final Map<String, Duration> cases = Map.of("250ms", Duration.ofMillis(250), "3us", Duration.ofNanos(3000),
                "3µs", Duration.ofNanos(3000), "7ns", Duration.ofNanos(7), "2m", Duration.ofMinutes(2),
                "1.5h", Duration.ofMinutes(90), "1d", Duration.ofDays(1), "0.001s", Duration.ofMillis(1));
        cases.forEach((text, expected) -> assertEquals(expected, probe("probe(every=" + text + ")").every, text));
    }

    @Test
    void decimalsTakeIntegersAndExponents() {
        assertEquals(1.0, probe("probe(share=1)").share);
        assertEquals(0.001, probe("probe(share=1e-3)").share);
        assertEquals(0.5, probe("probe(share=.5)").share);
    }

    @Test
    void everyPolicyWritesItselfBackAndReadsBackEqual() {
        final AdmissionPolicy nested = registry.parse("probe(count=2, every=90s, within=halfOpenCap(4))");
        final String text = registry.describe(nested);
        assertEquals("probe(count=2, share=0.9, every=90s, strict=false, within=halfOpenCap(maxHalfOpen=4))", text);
        assertEquals(nested, registry.parse(text));
        assertEquals(Optional.of("unlimited"), AdmissionPolicy.unlimited().spec());
        assertEquals(Optional.of("halfOpenCap(maxHalfOpen=10)"), AdmissionPolicy.halfOpenCap(10).spec());
    }

    @Test
    void aPolicyOfYourOwnCannotBeDescribedButSaysWhy() {
        final AdmissionPolicy own = new AdmissionPolicy() {
            @Override
            public String name() {
                return "mine";
            }

            @Override
            public int maxHalfOpen() {
                return 1;
            }

            @Override
            public AdmissionGate newGate(final PolicyContext context) {
                return AdmissionPolicy.halfOpenCap(1).newGate(context);
            }
        };
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.describe(own));
        assertTrue(e.getMessage().contains("mine"), e.getMessage());
        assertEquals(Optional.empty(), new ProbePolicy(1, 0, Duration.ofSeconds(1), false, own).spec(),
                "a composite around it cannot write itself either");
    }

    // ------------------------------------------------------------------------------------------- errors

    @Test
    void anUnknownPolicyIsNamedWithTheKnownOnesAndANearOne() {
        final PolicySyntaxException e = error("probe(within=halfOpenCapp(3))");
        assertEquals(14, e.column());
        assertTrue(e.getMessage().startsWith("unknown policy 'halfOpenCapp' (did you mean 'halfOpenCap'?); known:"
                + " halfOpenCap, unlimited"), e.getMessage());
        assertTrue(e.getMessage().endsWith("at column 14 of \"probe(within=halfOpenCapp(3))\""), e.getMessage());
    }

    @Test
    void anUnknownParameterIsNamedWithThePolicysParameters() {
        final PolicySyntaxException e = error("probe(cont=3)");
        assertEquals(7, e.column());
        assertEquals("unknown parameter 'cont' for probe (did you mean 'count'?); probe takes count, share, every,"
                + " strict, within", e.reason());
    }

    @Test
    void aValueOfTheWrongFormSaysWhatWasExpected() {
        assertEquals("expected an integer such as 5, found '2.5' for count of probe", error("probe(count=2.5)")
                .reason());
        assertEquals("'1' has no unit: expected a duration with a unit (ns, us, ms, s, m, h, d) such as 1s or 250ms"
                + " for every of probe", error("probe(every=1)").reason());
        assertEquals("'1sec' has an unknown unit 'sec': expected a duration with a unit (ns, us, ms, s, m, h, d)"
                + " such as 1s or 250ms for every of probe", error("probe(every=1sec)").reason());
        assertEquals("expected true or false for strict of probe, found 'yes'", error("probe(strict=yes)").reason());
        assertEquals("expected true or false for strict of probe, found '1'", error("probe(strict=1)").reason());
        assertEquals("expected a policy such as halfOpenCap(10) for within of probe, found '10'",
                error("probe(within=10)").reason());
        assertEquals("expected a decimal number such as 0.9 for share of probe, found 'e5'",
                error("probe(share=e5)").reason());
        assertEquals("'99999999999' is too large for an integer (at most 2147483647) for count of probe",
                error("probe(count=99999999999)").reason());
        assertEquals("'0.5ns' is not a whole number of nanoseconds, or is longer than about 292 years for every of"
                + " probe", error("probe(every=0.5ns)").reason());
        assertEquals(13, error("probe(every=1)").column());
    }

    @Test
    void aValueThePolicyRefusesPointsAtTheValue() {
        final PolicySyntaxException e = error("probe(strict=true, count=0)");
        assertEquals(26, e.column());
        assertEquals("probe: count must be at least 1, was 0", e.reason());
        final PolicySyntaxException nested = error("probe(within=halfOpenCap(maxHalfOpen=0))");
        assertEquals(38, nested.column());
        assertEquals("halfOpenCap: maxHalfOpen must be >= 1, was 0", nested.reason());
        assertEquals(13, error("probe(every=0s)").column());
    }

    @Test
    void theShapeOfTheTextIsCheckedWithTheColumnOfTheFirstThingAmiss() {
        assertError("", 1, "expected a policy such as halfOpenCap(10), found nothing");
        assertError("   ", 4, "expected a policy such as halfOpenCap(10), found nothing");
        assertError("probe(count=1", 14, "expected ',' or ')' in the parameters of probe, found the end of the text");
        assertError("probe(count=1;", 14, "expected ',' or ')' in the parameters of probe, found ';'");
        assertError("probe(count=1))", 15, "expected the end of the text after probe(...), found ')'");
        assertError("probe(count=)", 13, "expected a value for count, found ')'");
        assertError("probe(,)", 7, "expected a value in the parameters of probe, found ','");
        assertError("probe(count=1,)", 15, "expected a value in the parameters of probe, found ')'");
        assertError("probe(=1)", 7, "expected a parameter name before '=' in the parameters of probe");
        assertError("9probe", 1, "expected a name (a letter, then letters, digits or '_'), found '9'");
        assertError("probe unlimited", 7, "expected the end of the text after probe(...), found 'u'");
        assertError("probe(count=1, 2)", 16, "a value without a name after a named one in the parameters of probe:"
                + " expected name=value (count, share, every, strict, within)");
        assertError("probe(count=1, count=2)", 16, "parameter count of probe is given twice");
        assertError("probe(1, count=2)", 10, "parameter count of probe is given twice");
        assertError("unlimited(1)", 11, "too many values for unlimited: it takes 0 (no parameters)");
    }

    private void assertError(final String text, final int column, final String reason) {
        final PolicySyntaxException e = error(text);
        assertEquals(reason, e.reason(), text);
        assertEquals(column, e.column(), text);
        assertEquals(text, e.input());
    }

    @Test
    void theRegistryListsItsPoliciesInOrderAndRefusesADuplicateName() {
        final List<String> names = registry.descriptors().stream().map(PolicyDescriptor::name).toList();
        assertEquals("halfOpenCap", names.get(0));
        assertEquals("unlimited", names.get(1));
        assertEquals("probe", names.get(names.size() - 1));
        assertThrows(IllegalArgumentException.class, () -> registry.with(ProbePolicy.DESCRIPTOR));
        assertEquals(Optional.empty(), registry.descriptor("nothing"));
    }

    @Test
    void aDescriptorCreatesFromValuesByNameAndWritesEveryValue() {
        final AdmissionPolicy made = ProbePolicy.DESCRIPTOR.create(Map.of("count", 3, "strict", true));
        assertEquals(probe("probe(count=3, strict=true)"), made);
        assertThrows(IllegalArgumentException.class, () -> ProbePolicy.DESCRIPTOR.create(Map.of("nope", 3)));
        assertThrows(IllegalArgumentException.class, () -> ProbePolicy.DESCRIPTOR.create(Map.of("count", "3")));
        assertThrows(IllegalArgumentException.class, () -> ProbePolicy.DESCRIPTOR.write(1, 2));
    }

    @Test
    void everyParameterOfEveryBuiltInPolicyIsDocumented() {
        for (final PolicyDescriptor d : PolicyRegistry.builtIn().descriptors()) {
            assertTrue(!d.summary().isBlank() && !d.source().isBlank() && !d.limits().isBlank(), d.name());
            for (final PolicyParameter p : d.parameters()) {
                assertTrue(!p.description().isBlank(), d.name() + "." + p.name());
            }
            final AdmissionPolicy defaults = d.create(Map.of());
            assertEquals(defaults, PolicyRegistry.builtIn().parse(d.name()), d.name());
            assertEquals(defaults, PolicyRegistry.builtIn().parse(PolicyRegistry.builtIn().describe(defaults)));
        }
    }
}
