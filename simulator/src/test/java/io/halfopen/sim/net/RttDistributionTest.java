package io.halfopen.sim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RttDistribution: where RTTs come from")
class RttDistributionTest {

    private static long[] draw(final String spec, final int n) {
        final RttDistribution d = RttDistribution.parse(spec);
        final SplittableRandom random = new SplittableRandom(3);
        final long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = d.sampleNanos(random);
        }
        Arrays.sort(v);
        return v;
    }

    @Test
    @DisplayName("constant, uniform, exponential and log-normal draw what their parameters say")
    void eachDrawsWhatItsParametersSay() {
        assertEquals(50_000_000L, draw("constant(50ms)", 10)[9]);
        final long[] u = draw("uniform(min=10ms, max=20ms)", 10_000);
        assertTrue(u[0] >= 10_000_000L && u[9_999] <= 20_000_000L);
        assertEquals(15e6, Arrays.stream(u).average().orElseThrow(), 0.2e6);
        assertEquals(50e6, Arrays.stream(draw("exponential(mean=50ms)", 100_000)).average().orElseThrow(), 1e6);
        assertEquals(40e6, draw("lognormal(median=40ms, sigma=0.8)", 100_001)[50_000], 1e6, "the median");
    }

    @Test
    @DisplayName("a drop is never answered: it has no RTT and takes nothing from the random source; every other"
            + " answer draws one")
    void aDropDrawsNothing() {
        for (final String spec : new String[] {"constant(50ms)", "uniform(10ms, 20ms)", "exponential(50ms)",
            "lognormal(40ms, 0.8)"}) {
            final RttDistribution d = RttDistribution.parse(spec);
            final SplittableRandom random = new SplittableRandom(5);
            final SplittableRandom untouched = new SplittableRandom(5);
            assertEquals(0, d.sampleNanos(Answer.DROP, random), spec);
            assertEquals(untouched.nextLong(), random.nextLong(), spec + ": a drop drew from the random source");
            for (final Answer answer : new Answer[] {Answer.ACCEPT, Answer.REFUSE, Answer.UNREACHABLE}) {
                final SplittableRandom a = new SplittableRandom(7);
                final SplittableRandom b = new SplittableRandom(7);
                assertEquals(d.sampleNanos(b), d.sampleNanos(answer, a), spec + ", " + answer);
                assertEquals(b.nextLong(), a.nextLong(), spec + ", " + answer + ": not one draw");
            }
        }
    }

    @Test
    @DisplayName("its spec recreates it; an unknown name lists the known ones")
    void specsRoundTrip() {
        assertEquals("lognormal(median=40ms, sigma=0.8)", RttDistribution.parse("lognormal(40ms, 0.8)").spec().toString());
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RttDistribution.parse("pareto(1ms)"));
        assertTrue(e.getMessage().contains("constant, uniform, exponential, lognormal"), e.getMessage());
    }
}
