package io.halfopen.sim.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.Ending;
import io.halfopen.sim.host.HostOptions;
import io.halfopen.sim.host.HostRecorder;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("unlimited: every attempt's latency is exactly what the network model says")
class UnlimitedValidationTest {

    @Test
    @DisplayName("no attempt waits, and each ends after its own RTT (or at the 21 s give-up when dropped)")
    void latencyEqualsTheRttModel() {
        final long[] checked = new long[1];
        final HostRecorder probe = new HostRecorder() {
            @Override
            public void granted(final Connect c) {
                assertEquals(c.submittedAt(), c.grantedAt(), "no queue wait without a limit");
            }

            @Override
            public void ended(final Connect c, final Ending ending) {
                final long latency = c.host().loop().nanoTime() - c.submittedAt();
                final long expected = switch (ending) {
                    case TIMED_OUT -> 21_000_000_000L;
                    case ESTABLISHED, REFUSED, UNREACHABLE -> c.rttNanos();
                    default -> throw new AssertionError("unexpected ending " + ending);
                };
                assertEquals(expected, latency, () -> c + " ended " + ending);
                checked[0]++;
            }
        };
        final HostResult result = HostSimulation.run(new HostRun(Spec.of("unlimited"),
                List.of(Workloads.parse("desktop(rate=5, deadShare=0.1, refusedShare=0.1)"),
                        Workloads.parse("scanner(rate=50, liveShare=0.3, live=accept)"),
                        Workloads.parse("mail(deliveries=300, deadShare=0.3)")),
                Duration.ofMinutes(10), 9, HostOptions.XP, Map.of()), PolicyLookup.builtIn(), Progress.NONE, probe);
        assertTrue(checked[0] > 30_000, "attempts checked: " + checked[0]);
        assertEquals(0, result.stats().peakQueued(), "the limiter's own peak queue");
        assertEquals(0, result.metrics().total().queueWait().getMaxValue(), "the simulator's queue wait");
    }
}
