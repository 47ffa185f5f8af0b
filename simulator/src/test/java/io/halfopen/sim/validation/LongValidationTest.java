package io.halfopen.sim.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.sim.host.HostOptions;
import io.halfopen.sim.net.RttDistribution;
import io.halfopen.sim.policy.PolicyLookup;
import io.halfopen.sim.population.Epidemic;
import io.halfopen.sim.population.EpidemicResult;
import io.halfopen.sim.population.EpidemicRun;
import io.halfopen.sim.population.RandomConstantSpread;
import io.halfopen.sim.population.ScanStrategy;
import io.halfopen.sim.run.HostResult;
import io.halfopen.sim.run.HostRun;
import io.halfopen.sim.run.HostSimulation;
import io.halfopen.sim.run.Progress;
import io.halfopen.sim.spec.Spec;
import io.halfopen.sim.workload.Workloads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The validations again, longer and tighter: left out of the default run (tag {@code long}), run by
 * {@code simulator/validate.sh} and once by {@code .ci/run}.
 */
@Tag("long")
@DisplayName("long validations")
class LongValidationTest {

    @Test
    @DisplayName("XP's cap against an all-dead scanner over 210,000 s: 10/21 per second within 0.05 %")
    void tenEveryTwentyOneSecondsOverALongRun() {
        final HostResult r = HostSimulation.run(new HostRun(Spec.parse("xp"),
                List.of(Workloads.parse("scanner(threads=128, rate=0, liveShare=0)")), Duration.ofSeconds(210_000),
                1, HostOptions.XP, Map.of()), PolicyLookup.builtIn(), Progress.NONE);
        assertEquals(10 / 21.0, r.metrics().total().completed() / 210_000.0, 10 / 21.0 * 0.0005);
    }

    @Test
    @DisplayName("XP's cap with a live share q = 0.5 answering after 0.1 s over 200,000 s: 0.948/s within 1 %")
    void littlesLawOverALongRun() {
        final HostResult r = HostSimulation.run(new HostRun(Spec.parse("xp"),
                List.of(Workloads.parse("scanner(threads=128, rate=0, liveShare=0.5, rtt=constant(100ms))")),
                Duration.ofSeconds(200_000), 2, HostOptions.XP, Map.of()), PolicyLookup.builtIn(), Progress.NONE);
        final double expected = 10 / (0.5 * 21 + 0.5 * 0.1);
        assertEquals(expected, r.metrics().total().completed() / 200_000.0, expected * 0.01);
    }

    @Test
    @DisplayName("an unthrottled uniform scanner from 4,000 of 40,000 hosts stays within 0.015 of the logistic curve")
    void randomConstantSpreadAtALargerScale() {
        final int bits = 21;
        final int vulnerable = 40_000;
        final int initial = 4_000;
        final double rate = 10;
        final EpidemicRun run = new EpidemicRun(bits, vulnerable, 0, initial, ScanStrategy.UNIFORM, 512, rate,
                Spec.of("unlimited"), 0, 0.95, Duration.ofHours(1), 43, HostOptions.XP,
                RttDistribution.constant(Duration.ofMillis(50)), Map.of());
        final EpidemicResult result = Epidemic.run(run, PolicyLookup.builtIn(), Progress.NONE);
        final RandomConstantSpread model = RandomConstantSpread.of(rate, vulnerable, 1L << bits, initial);
        final double t50 = model.secondsTo(0.5);
        double worst = 0;
        for (double t = 0; t <= 2 * t50; t += t50 / 100) {
            worst = Math.max(worst, Math.abs(result.infectedShareAt(t) - model.share(t)));
        }
        assertTrue(worst < 0.015, "largest gap: " + worst);
        assertEquals(t50, result.secondsTo(0.5), t50 * 0.02);
    }
}
