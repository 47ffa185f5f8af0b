package io.halfopen.sim.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.HostOptions;
import io.halfopen.sim.host.HostRecorder;
import io.halfopen.sim.metrics.HostMetrics;
import io.halfopen.sim.policy.PolicyLookup;
import io.halfopen.sim.run.HostResult;
import io.halfopen.sim.run.HostRun;
import io.halfopen.sim.run.HostSimulation;
import io.halfopen.sim.run.Progress;
import io.halfopen.sim.spec.Spec;
import io.halfopen.sim.workload.Workloads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Williamson's virus throttle (Williamson, ACSAC 2002; Twycross and Williamson, USENIX Security 2003) against
 * Nimda's 400 new destinations per second, named as the policy registry names it, run through the simulator
 * with the production {@code WilliamsonPolicy}: the numbers the papers give.
 */
@DisplayName("Williamson's throttle in the simulator: the numbers of the papers")
class WilliamsonValidationTest {

    /** Nimda's pace: 400 connects per second, each to a new random address, at 1/400 s apart from t = 0. */
    private static final String NIMDA = "scanner(rate=400, liveShare=0, arrivals=fixed)";

    private static HostResult nimda(final String policy, final Duration duration, final HostRecorder probe) {
        return HostSimulation.run(new HostRun(Spec.parse(policy), List.of(Workloads.parse(NIMDA)), duration, 1,
                HostOptions.XP, Map.of()), PolicyLookup.builtIn(), Progress.NONE, probe);
    }

    @Test
    @DisplayName("working set 5, release 1 s: exactly one new-destination connection per second gets out")
    void oneNewDestinationPerSecond() {
        final TreeMap<Long, Integer> outPerSecond = new TreeMap<>();
        nimda("williamson(workingSet=5, release=1s)", Duration.ofSeconds(30), new HostRecorder() {
            @Override
            public void granted(final Connect c) {
                outPerSecond.merge(c.grantedAt() / 1_000_000_000L, 1, Integer::sum);
            }
        });
        for (long second = 0; second < 30; second++) {
            assertEquals(1, outPerSecond.getOrDefault(second, 0), "connections out in second " + second);
        }
    }

    @Test
    @DisplayName("working set 5, release 1 s: the delay queue reaches 100 at t = 0.25 s")
    void theDelayQueueReachesOneHundredAtAQuarterSecond() {
        final HostMetrics m = nimda("williamson(workingSet=5, release=1s)", Duration.ofSeconds(2), null).metrics();
        assertEquals(250_000_000L, m.firstReached(100), 2_500_000L, "when the queue first held 100");
    }

    @Test
    @DisplayName("HP's defaults: the high watermark of 160 is reached at t = 0.40 s")
    void hpsHighWatermarkIsReachedAtFourTenthsOfASecond() {
        final HostMetrics m = nimda("williamson", Duration.ofSeconds(2), null).metrics();
        assertEquals(400_000_000L, m.firstReached(160), 2_500_000L, "when the queue first held 160");
    }
}
