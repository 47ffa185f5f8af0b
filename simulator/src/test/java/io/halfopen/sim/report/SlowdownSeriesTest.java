package io.halfopen.sim.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.sim.host.HostOptions;
import io.halfopen.sim.net.RttDistribution;
import io.halfopen.sim.population.EpidemicResult;
import io.halfopen.sim.population.EpidemicRun;
import io.halfopen.sim.population.ScanStrategy;
import io.halfopen.sim.spec.Spec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The slowdown chart's points: one line per policy in increasing coverage, nothing dropped silently")
class SlowdownSeriesTest {

    /** A run of 4 vulnerable hosts whose infections came at the given seconds. */
    private static EpidemicResult result(final String policy, final double coverage, final double... seconds) {
        final EpidemicRun run = new EpidemicRun(16, 4, 0.05, 1, ScanStrategy.UNIFORM, 16, 0, Spec.parse(policy),
                coverage, 0.5, Duration.ofDays(30), 1, HostOptions.XP,
                RttDistribution.constant(Duration.ofMillis(50)), Map.of());
        final long[] at = new long[seconds.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = Math.round(seconds[i] * 1e9);
        }
        return new EpidemicResult(run, at, 0, 0, at.length == 0 ? 0 : at[at.length - 1], 0);
    }

    @Test
    @DisplayName("points sorted by coverage whatever the runs' order; the baseline is unlimited's time")
    void sortsByCoverageAndTakesTheBaseline() {
        final SlowdownSeries s = SlowdownSeries.of(List.of(result("unlimited", 1, 0, 7200),
                result("xp", 1, 0, 36_000), result("xp", 0.5, 0, 10_800), result("xp", 0.9, 0, 18_000)), 0.5, 3600);
        assertEquals(List.of("xp"), List.copyOf(s.lines().keySet()));
        final List<double[]> xp = s.lines().get("xp");
        assertEquals(3, xp.size());
        assertArrayEquals(new double[] {50, 3}, xp.get(0));
        assertArrayEquals(new double[] {90, 5}, xp.get(1));
        assertArrayEquals(new double[] {100, 10}, xp.get(2));
        assertEquals(2.0, s.baseline());
        assertEquals(4, s.points());
    }

    @Test
    @DisplayName("a share not reached, or reached at t = 0, gets no point, and the line's name says so")
    void namesWhatALineLacks() {
        // 0.5 of 4 hosts is the 2nd infection: at 0 s for coverage 0.9 (two at the start), never for coverage 1
        final SlowdownSeries s = SlowdownSeries.of(List.of(result("xp", 1, 0), result("xp", 0.9, 0, 0),
                result("xp", 0.5, 0, 60)), 0.5, 1);
        final String name = "xp (coverage 90 %: at t = 0; coverage 100 %: not reached)";
        assertEquals(List.of(name), List.copyOf(s.lines().keySet()));
        assertEquals(1, s.lines().get(name).size());
        assertArrayEquals(new double[] {50, 60}, s.lines().get(name).get(0));
        assertTrue(Double.isNaN(s.baseline()), "no unlimited run: no baseline");
        assertEquals(1, s.points());
    }

    @Test
    @DisplayName("a policy that never reaches the share keeps its line's name, with no points")
    void keepsAPolicyWithoutPoints() {
        final SlowdownSeries s = SlowdownSeries.of(List.of(result("xp", 0.5), result("xp", 1),
                result("halfOpenCap(maxHalfOpen=50)", 0.5, 0, 5), result("halfOpenCap(maxHalfOpen=50)", 1, 0, 9)),
                0.5, 1);
        assertEquals(List.of("xp (coverage 50 %: not reached; coverage 100 %: not reached)",
                "halfOpenCap(maxHalfOpen=50)"), List.copyOf(s.lines().keySet()));
        assertEquals(2, s.points());
    }

    @Test
    @DisplayName("percentages are as short as they are exact")
    void percent() {
        assertEquals("90 %", SlowdownSeries.percent(90));
        assertEquals("99.5 %", SlowdownSeries.percent(99.5));
        assertEquals("0.1 %", SlowdownSeries.percent(0.1));
    }
}
