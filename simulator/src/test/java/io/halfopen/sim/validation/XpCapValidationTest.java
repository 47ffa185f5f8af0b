package io.halfopen.sim.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.sim.engine.EventLoop;
import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.Ending;
import io.halfopen.sim.host.HostOptions;
import io.halfopen.sim.host.HostRecorder;
import io.halfopen.sim.host.SimHost;
import io.halfopen.sim.policy.PolicyLookup;
import io.halfopen.sim.run.HostResult;
import io.halfopen.sim.run.HostRun;
import io.halfopen.sim.run.HostSimulation;
import io.halfopen.sim.run.Progress;
import io.halfopen.sim.run.Seeds;
import io.halfopen.sim.spec.Spec;
import io.halfopen.sim.workload.WorkloadContext;
import io.halfopen.sim.workload.Workloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("XP's cap in the simulator: the numbers FACTS.md promises")
class XpCapValidationTest {

    private static final double SECOND = 1e9;

    /** Sasser's shape: 128 blocking threads, no pause between connects, every address dead. */
    private static final String ALL_DEAD_SCANNER = "scanner(threads=128, rate=0, liveShare=0)";

    @Test
    @DisplayName("against an all-dead scanner, 10/21 ≈ 0.4762 attempts/s complete, within 0.5 %, over 2,100 s")
    void anAllDeadScannerCompletesTenEveryTwentyOneSeconds() {
        final HostResult result = HostSimulation.run(new HostRun(Spec.parse("xp"),
                List.of(Workloads.parse(ALL_DEAD_SCANNER)), Duration.ofSeconds(2_100), 1,
                HostOptions.XP, Map.of()), PolicyLookup.builtIn(), Progress.NONE);
        final double perSecond = result.metrics().total().completed() / 2_100.0;
        assertEquals(10 / 21.0, perSecond, 10 / 21.0 * 0.005, "completed attempts per second");
        assertEquals(result.metrics().total().completed(), result.metrics().total().ended(Ending.TIMED_OUT),
                "every completed attempt timed out: every destination is dead");
    }

    @Test
    @DisplayName("its SYNs go in a staircase of 10 at t = 0, 21, 42 s, ...")
    void startsFormAStaircaseOfTenEveryTwentyOneSeconds() {
        final EventLoop loop = new EventLoop();
        final TreeMap<Long, Integer> startsAt = new TreeMap<>();
        final SimHost host = new SimHost("staircase", loop, PolicyLookup.builtIn().policy(Spec.parse("xp")),
                HostOptions.XP, new HostRecorder() {
                    @Override
                    public void granted(final Connect connect) {
                        startsAt.merge(connect.grantedAt(), 1, Integer::sum);
                    }
                });
        Workloads.parse(ALL_DEAD_SCANNER).start(
                new WorkloadContext(host, Seeds.random(7, 0), 0, Duration.ofSeconds(200).toNanos()));
        loop.runUntil(Duration.ofSeconds(200).toNanos());
        final List<Long> instants = new ArrayList<>(startsAt.keySet());
        for (int step = 0; step < instants.size(); step++) {
            assertEquals(Math.round(step * 21 * SECOND), instants.get(step), "step " + step + " starts at " + step * 21 + " s");
            assertEquals(10, startsAt.get(instants.get(step)), "SYNs at " + step * 21 + " s");
        }
        assertEquals(10, instants.size(), "steps in 200 s: 0, 21, ..., 189 s");
    }

    @Test
    @DisplayName("with a share q of live destinations answering after d: 10 / ((1 - q)·21 + q·d); q = 0.5, d = 0.1 s → 0.948/s")
    void aLiveShareShortensTheHoldTimeAsLittlesLawSays() {
        final double q = 0.5;
        final double d = 0.1;
        final double seconds = 20_000;
        final HostResult result = HostSimulation.run(new HostRun(Spec.parse("xp"),
                List.of(Workloads.parse("scanner(rate=100, liveShare=0.5, rtt=constant(100ms))")),
                Duration.ofSeconds((long) seconds), 3, HostOptions.XP, Map.of()), PolicyLookup.builtIn(),
                Progress.NONE);
        final double expected = 10 / ((1 - q) * 21 + q * d);
        final double perSecond = result.metrics().total().completed() / seconds;
        assertEquals(0.948, expected, 0.0005, "the formula's own value");
        // about 19,000 completions: the count's standard deviation is about 0.7 %; 3 % is over 4 of them
        assertEquals(expected, perSecond, expected * 0.03, "completed attempts per second");
        assertTrue(result.metrics().total().ended(Ending.REFUSED) > 0, "live destinations refused");
    }
}
