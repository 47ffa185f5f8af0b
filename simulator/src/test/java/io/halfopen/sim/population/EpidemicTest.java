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
    @DisplayName("Sasser's picks in a scaled space: a /8 or /16 larger than the space is the space, no pick leaves it")
    void sassersPicksStayInAScaledSpace() {
        final Worm w = worm(0x002A1B0C); // in 2^22 (the README's study); its /8 is 2^24 addresses
        final SplittableRandom random = new SplittableRandom(7);
        final int n = 200_000;
        int outside = 0;
        int slash16 = 0;
        for (int i = 0; i < n; i++) {
            final int a = ScanStrategy.SASSER.next(w, random, 1L << 22);
            if (Integer.toUnsignedLong(a) >= 1L << 22) {
                outside++;
            } else if ((a & 0xFFFF0000) == 0x002A0000) {
                slash16++;
            }
        }
        assertEquals(0, outside, "picks outside the 2^22 space");
        // a quarter in its /16, and 1/64 of the other three quarters (its /8 and anywhere: the whole space)
        assertEquals(0.25 + 0.75 / 64, slash16 / (double) n, 0.005, "in its /16");
        final Worm small = worm(0x0ABC); // in 2^12: its /16 is larger than the space too
        for (int i = 0; i < n; i++) {
            final int a = ScanStrategy.SASSER.next(small, random, 1L << 12);
            assertTrue(a >= 0 && a < 1 << 12, "pick " + a + " outside the 2^12 space");
        }
    }

    /** A constant 50 ms that fails a test, instead of letting it spin, once it has been drawn too often. */
    private record BoundedDraws(long[] draws) implements RttDistribution {
        @Override
        public long sampleNanos(final SplittableRandom random) {
            if (++draws[0] > 400_000) {
                throw new AssertionError("400,000 scans and the run has not ended: simulated time stands still");
            }
            return 50_000_000L;
        }

        @Override
        public Spec spec() {
            return Spec.of("constant");
        }
    }

    private static EpidemicRun refusingRun(final Spec policy, final HostOptions options, final double rate) {
        // every other address refuses after 50 ms (live share 1), so that every scan draws an RTT
        return new EpidemicRun(16, 100, 1.0, 2, ScanStrategy.UNIFORM, 128, rate, policy, 1, 0.9, Duration.ofSeconds(1),
                1, options, new BoundedDraws(new long[1]), Map.of());
    }

    @Test
    @DisplayName("a scan refused at once with no pause between scans fails the run, naming why; with a rate it ends")
    void aScanRefusedAtOnceWithoutARateFailsTheRun() {
        // XP's cap with a queue bound of 0: the 11th of a host's 128 threads is refused at the instant it asks
        final HostOptions noQueue = HostOptions.XP.withQueue(null, 0);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Epidemic.run(refusingRun(Spec.of("xp"), noQueue, 0), PolicyLookup.builtIn(), Progress.NONE));
        assertTrue(e.getMessage().contains("QueueFullException") && e.getMessage().contains("--rate")
                && e.getMessage().contains("at 0.0 s"), e.getMessage());
        // a policy that refuses a scanner's first contacts once it has judged it one
        final IllegalArgumentException walk = assertThrows(IllegalArgumentException.class,
                () -> Epidemic.run(refusingRun(Spec.parse("thresholdRandomWalk(refuse=true)"), HostOptions.XP, 0),
                        PolicyLookup.builtIn(), Progress.NONE));
        assertTrue(walk.getMessage().contains("PolicyRefusedException"), walk.getMessage());
        // with a pause between scans the refused threads come back later, and the run reaches its end
        final EpidemicResult paced = Epidemic.run(refusingRun(Spec.of("xp"), noQueue, 100), PolicyLookup.builtIn(),
                Progress.NONE);
        assertEquals(Duration.ofSeconds(1).toNanos(), paced.endNanos());
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
