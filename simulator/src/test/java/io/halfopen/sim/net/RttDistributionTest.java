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
    @DisplayName("its spec recreates it; an unknown name lists the known ones")
    void specsRoundTrip() {
        assertEquals("lognormal(median=40ms, sigma=0.8)", RttDistribution.parse("lognormal(40ms, 0.8)").spec().toString());
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RttDistribution.parse("pareto(1ms)"));
        assertTrue(e.getMessage().contains("constant, uniform, exponential, lognormal"), e.getMessage());
    }
}
