package io.halfopen.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.sim.host.HostOptions;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("HostMetrics: the queue the simulator counts is the limiter's queue")
class HostMetricsQueueAgreesWithTheLimiterTest {

    /**
     * A holding policy (fixedRate, tokenBucket) lets a held attempt go when a new one enters its gate at the very
     * instant of a release (the arrival, a world event, fires before the policy's timer of that instant): the
     * limiter grants the older attempt inside the newer one's {@code newAttempt}. The simulator must still count
     * the older one out of the queue. Fixed arrivals every 10 ms and dead destinations (ends at grant + 21 s)
     * make such instants exact.
     */
    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource(delimiter = '|', value = {
        "scanner(rate=100, liveShare=0)            | fixedRate(interval=1s)",
        "scanner(rate=100, liveShare=0, threads=50) | fixedRate(interval=1s)",
        "scanner(rate=100, liveShare=0)            | xp",
        "scanner(rate=100, liveShare=0.5)          | tokenBucket",
    })
    void theQueueLengthAndPeakAreTheLimiters(final String scanner, final String policy) {
        final HostResult r = HostSimulation.run(new HostRun(Spec.parse(policy), List.of(Workloads.parse(scanner)),
                Duration.ofMinutes(2), 1, HostOptions.XP, Map.of()), PolicyLookup.builtIn(), Progress.NONE);
        assertTrue(r.stats().queued() > 0, "something still waits: " + r.stats());
        assertEquals(r.stats().queued(), r.metrics().queued(), "queued now");
        assertEquals(r.stats().peakQueued(), r.metrics().peakQueued(), "the peak");
    }
}
