package io.halfopen.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.sim.host.Ending;
import io.halfopen.sim.host.HostOptions;
import io.halfopen.sim.policy.PolicyLookup;
import io.halfopen.sim.report.HostRow;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("HostMetrics: what the report's columns count")
class HostMetricsTest {

    @Test
    @DisplayName("benign attempts starved behind a scanner for the whole run still count in the added delay")
    void starvedBenignAttemptsCountInTheDelay() {
        // an open-loop scanner at 1,000/s fills XP's queue at once: no desktop connect gets a slot in 10 minutes
        final HostResult r = HostSimulation.run(new HostRun(Spec.parse("xp"),
                List.of(Workloads.parse("desktop(rate=1)"), Workloads.parse("scanner(rate=1000)")),
                Duration.ofMinutes(10), 1, HostOptions.XP, Map.of()), PolicyLookup.builtIn(), Progress.NONE);
        final StreamMetrics desktop = r.metrics().stream(0);
        assertEquals(0, desktop.wentOut(), "no desktop connect got a slot");
        assertEquals(desktop.submitted(), desktop.stillWaiting());
        assertEquals(desktop.submitted(), desktop.queueWait().getTotalCount(), "each counted once, with its wait so far");
        final HostRow all = HostRow.of(r).get(0);
        assertTrue(all.benignDelayP50Ms() > 100_000, "the median desktop connect waited minutes: " + all.benignDelayP50Ms());
    }

    @Test
    @DisplayName("distinct destinations count each address once, across streams too")
    void distinctDestinationsCountEachAddressOnce() {
        final HostResult r = HostSimulation.run(new HostRun(Spec.parse("unlimited"),
                List.of(Workloads.parse("desktop(rate=5, destinations=7)"), Workloads.parse("desktop(rate=5, destinations=7)")),
                Duration.ofMinutes(10), 1, HostOptions.XP, Map.of()), PolicyLookup.builtIn(), Progress.NONE);
        assertEquals(7, r.metrics().stream(0).distinctDestinations());
        assertEquals(7, r.metrics().stream(1).distinctDestinations());
        // the two desktops live in different /16s (one per stream): 14 in all
        assertEquals(14, r.metrics().total().distinctDestinations());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"scanner(rate=100)", "scanner(rate=100, threads=20)"})
    @DisplayName("an attempt the limiter refuses at once, with no room in its queue, never counts as queued")
    void anAttemptRefusedAtOnceIsNotQueued(final String scanner) {
        final HostResult r = HostSimulation.run(new HostRun(Spec.parse("xp"), List.of(Workloads.parse(scanner)),
                Duration.ofMinutes(1), 1, HostOptions.XP.withQueue(null, 0), Map.of()), PolicyLookup.builtIn(),
                Progress.NONE);
        assertTrue(r.metrics().total().ended(Ending.REJECTED) > 100, "refused: " + r.metrics().total().ended(Ending.REJECTED));
        assertEquals(0, r.metrics().peakQueued(), "nothing ever waited");
        assertEquals(0, r.metrics().queued());
    }
}
