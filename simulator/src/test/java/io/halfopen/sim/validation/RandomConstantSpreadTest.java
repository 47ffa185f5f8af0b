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
import io.halfopen.sim.run.Progress;
import io.halfopen.sim.spec.Spec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("without a throttle, a uniform scanner follows the random-constant-spread model")
class RandomConstantSpreadTest {

    @Test
    @DisplayName("the simulated infection curve stays within 0.03 of the logistic one, and 50 % comes within 5 % of its time")
    void anUnthrottledUniformScannerFollowsTheLogisticCurve() {
        // a0 = 0.1: the early, stochastic phase of an epidemic from I0 hosts shifts the curve in time by about
        // 1/(K·sqrt(I0)), and the share by up to a quarter of 1/sqrt(I0) (0.009 here); 0.03 is over 3 of those
        final int bits = 19;
        final int vulnerable = 8_000;
        final int initial = 800;
        final double rate = 10;
        // 512 threads: at 10 scans/s and 21 s per dead address a host keeps about 210 outstanding, so only the
        // rate bounds it, as the model assumes
        final EpidemicRun run = new EpidemicRun(bits, vulnerable, 0, initial, ScanStrategy.UNIFORM, 512, rate,
                Spec.of("unlimited"), 0, 0.95, Duration.ofHours(1), 42, HostOptions.XP,
                RttDistribution.constant(Duration.ofMillis(50)), Map.of());
        final EpidemicResult result = Epidemic.run(run, PolicyLookup.builtIn(), Progress.NONE);
        final RandomConstantSpread model = RandomConstantSpread.of(rate, vulnerable, 1L << bits, initial);

        final double t50 = model.secondsTo(0.5);
        double worst = 0;
        for (double t = 0; t <= 2 * t50; t += t50 / 50) {
            worst = Math.max(worst, Math.abs(result.infectedShareAt(t) - model.share(t)));
        }
        assertTrue(worst < 0.03, "largest gap between the simulated and the logistic share: " + worst);
        assertEquals(t50, result.secondsTo(0.5), t50 * 0.05, "time to 50 % infected, s");
        assertEquals(model.secondsTo(0.9), result.secondsTo(0.9), model.secondsTo(0.9) * 0.05,
                "time to 90 % infected, s");
        assertTrue(result.scans() > 1_000_000, "scans: " + result.scans());
    }
}
