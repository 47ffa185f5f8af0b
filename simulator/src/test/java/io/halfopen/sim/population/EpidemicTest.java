package io.halfopen.sim.population;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.sim.engine.EventLoop;
import io.halfopen.sim.host.HostOptions;
import io.halfopen.sim.host.HostRecorder;
import io.halfopen.sim.host.SimHost;
import io.halfopen.sim.net.RttDistribution;
import io.halfopen.sim.policy.PolicyLookup;
import io.halfopen.sim.run.Progress;
import io.halfopen.sim.spec.Spec;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Epidemics: strategies, coverage, determinism")
class EpidemicTest {

    private static EpidemicRun run(final String policy, final double coverage, final long seed) {
        return new EpidemicRun(16, 400, 0.05, 4, ScanStrategy.UNIFORM, 16, 0, Spec.parse(policy), coverage, 0.9,
                Duration.ofDays(30), seed, HostOptions.XP, RttDistribution.constant(Duration.ofMillis(50)), Map.of());
    }

    private static Worm worm(final int address) {
        return new Worm(null, 0, address, new SimHost("w", new EventLoop(), PolicyLookup.builtIn().policy(Spec.of("xp")),
                HostOptions.XP, HostRecorder.NONE), 0);
    }

    @Test
    @DisplayName("Sasser's picks: half anywhere, a quarter in the host's /8, a quarter in its /16")
    void sassersPicks() {
        final Worm w = worm(0x0A141E28); // 10.20.30.40
        final SplittableRandom random = new SplittableRandom(1);
        int slash16 = 0;
        int slash8 = 0;
        final int n = 200_000;
        for (int i = 0; i < n; i++) {
            final int a = ScanStrategy.SASSER.next(w, random, 1L << 32);
            if ((a & 0xFFFF0000) == 0x0A140000) {
                slash16++;
            } else if ((a & 0xFF000000) == 0x0A000000) {
                slash8++;
            }
        }
        assertEquals(0.25, slash16 / (double) n, 0.01, "in its /16");
        assertEquals(0.25, slash8 / (double) n, 0.01, "in its /8 but not its /16");
    }

    @Test
    @DisplayName("Blaster's picks: one address after the other from its start")
    void blastersPicksAreSequential() {
        final Worm w = worm(0x0A141E28);
        final SplittableRandom random = new SplittableRandom(2);
        final int first = ScanStrategy.BLASTER.next(w, random, 1L << 32);
        for (int i = 1; i < 1000; i++) {
            assertEquals(first + i, ScanStrategy.BLASTER.next(w, random, 1L << 32));
        }
        assertEquals(0, first & 0xFF, "starts at a /24");
    }

    @Test
    @DisplayName("the same run and seed give the same epidemic, to the event; another seed another")
    void epidemicsAreDeterministic() {
        final EpidemicResult a = Epidemic.run(run("xp", 0.5, 3), PolicyLookup.builtIn(), Progress.NONE);
        final EpidemicResult b = Epidemic.run(run("xp", 0.5, 3), PolicyLookup.builtIn(), Progress.NONE);
        final EpidemicResult c = Epidemic.run(run("xp", 0.5, 4), PolicyLookup.builtIn(), Progress.NONE);
        assertArrayEquals(a.infectionsAt(), b.infectionsAt());
        assertEquals(a.scans(), b.scans());
        assertEquals(a.events(), b.events());
        assertTrue(a.scans() != c.scans() || a.events() != c.events());
    }

    @Test
    @DisplayName("XP's cap on every host slows the spread; the same cap on half of them slows it less")
    void coverageDecidesTheSlowdown() {
        final double none = Epidemic.run(run("unlimited", 1, 5), PolicyLookup.builtIn(), Progress.NONE).secondsTo(0.9);
        final double half = Epidemic.run(run("xp", 0.5, 5), PolicyLookup.builtIn(), Progress.NONE).secondsTo(0.9);
        final double all = Epidemic.run(run("xp", 1, 5), PolicyLookup.builtIn(), Progress.NONE).secondsTo(0.9);
        assertTrue(none < half && half < all, none + " < " + half + " < " + all);
        // 16 threads against a cap of 10, nearly all scans dead: about 1.6 times slower at full coverage
        assertEquals(1.6, all / none, 0.4);
    }

    @Test
    @DisplayName("bad runs are refused, naming the value")
    void badRunsAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EpidemicRun(16, 400, 0.05, 4,
                ScanStrategy.UNIFORM, 16, 0, Spec.of("xp"), 1.5, 0.9, Duration.ofDays(1), 1, HostOptions.XP,
                RttDistribution.constant(Duration.ofMillis(1)), Map.of())).getMessage().contains("coverage"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScanStrategy.of("slammer"))
                .getMessage().contains("uniform, sasser, blaster"));
    }
}
