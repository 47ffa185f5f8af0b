package io.halfopen.sim.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Spec: name(key=value, ...) as users write policies, workloads and distributions")
class SpecTest {

    @Test
    @DisplayName("a bare name has no parameters")
    void aBareName() {
        final Spec s = Spec.parse(" unlimited ");
        assertEquals("unlimited", s.name());
        assertEquals(Map.of(), s.params());
        assertEquals("unlimited", s.toString());
    }

    @Test
    @DisplayName("parameters keep their order; the canonical form is name(k=v, k=v)")
    void parametersKeepTheirOrder() {
        final Spec s = Spec.parse("williamson(workingSet=5,release = 1s)");
        assertEquals("williamson", s.name());
        assertEquals(java.util.List.of("workingSet", "release"), java.util.List.copyOf(s.params().keySet()));
        assertEquals("williamson(workingSet=5, release=1s)", s.toString());
        assertEquals(s, Spec.parse(s.toString()));
    }

    @Test
    @DisplayName("a value may itself be a spec with commas inside its parentheses")
    void nestedSpecs() {
        final Spec s = Spec.parse("scanner(rate=100, rtt=uniform(min=10ms, max=50ms), liveShare=0.1)");
        assertEquals("uniform(min=10ms, max=50ms)", s.params().get("rtt"));
        assertEquals("0.1", s.params().get("liveShare"));
    }

    @Test
    @DisplayName("with() replaces or appends one parameter")
    void withReplacesOrAppends() {
        assertEquals("xp(maxHalfOpen=50)", Spec.parse("xp(maxHalfOpen=10)").with("maxHalfOpen", "50").toString());
        assertEquals("xp(maxHalfOpen=50)", Spec.parse("xp").with("maxHalfOpen", "50").toString());
    }

    @ParameterizedTest(name = "\"{0}\" fails: {1}")
    @CsvSource(delimiter = '|', value = {
        "xp(maxHalfOpen=10           | '(' is never closed",
        "xp(maxHalfOpen=10) extra    | unexpected text after the closing ')'",
        "xp(maxHalfOpen=)            | no value for parameter 'maxHalfOpen'",
        "xp(a=1, a=2)                | parameter 'a' is given twice",
        "xp(a=1,,b=2)                | empty parameter",
        "(a=1)                       | a name is missing",
        "x y                         | is not a name",
        "xp(bad key=1)               | is not a name"})
    void malformedSpecsSayWhatAndWhere(final String text, final String what) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Spec.parse(text));
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertTrue(e.getMessage().contains("at column"), e.getMessage());
    }

    @Test
    @DisplayName("SpecArgs reads typed values, binds positional ones in order, and refuses what nobody read")
    void specArgsReadsAndRefuses() {
        final SpecArgs args = new SpecArgs(Spec.parse("lognormal(40ms, sigma=0.5)"), "distribution");
        assertEquals(Duration.ofMillis(40), args.duration("median", Duration.ZERO, false));
        assertEquals(0.5, args.number("sigma", 1, 0, 5));
        args.done();

        final SpecArgs unknown = new SpecArgs(Spec.parse("scanner(rat=5)"), "workload");
        unknown.number("rate", 1, 0, 10);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, unknown::done);
        assertTrue(e.getMessage().contains("unknown parameter 'rat'") && e.getMessage().contains("it takes rate"),
                e.getMessage());

        final SpecArgs range = new SpecArgs(Spec.parse("scanner(liveShare=1.5)"), "workload");
        final IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> range.share("liveShare", 0));
        assertTrue(r.getMessage().contains("liveShare=1.5") && r.getMessage().contains("between 0.0 and 1.0"),
                r.getMessage());
    }

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({"21s, 21000000000", "100ms, 100000000", "1.5h, 5400000000000", "250us, 250000", "PT21S, 21000000000",
        "0.1, 100000000", "2m, 120000000000"})
    void durationsParseAsUsersWriteThem(final String text, final long nanos) {
        assertEquals(nanos, Durations.parse(text).toNanos());
    }

    @Test
    @DisplayName("a duration with an unknown unit names the unit")
    void aBadDurationNamesTheUnit() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 weeks"));
        assertTrue(e.getMessage().contains("unknown unit 'weeks'"), e.getMessage());
    }
}
