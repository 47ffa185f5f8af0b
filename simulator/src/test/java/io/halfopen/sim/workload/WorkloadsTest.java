package io.halfopen.sim.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.HostOptions;
import io.halfopen.sim.host.HostRecorder;
import io.halfopen.sim.net.Answer;
import io.halfopen.sim.policy.PolicyLookup;
import io.halfopen.sim.run.HostResult;
import io.halfopen.sim.run.HostRun;
import io.halfopen.sim.run.HostSimulation;
import io.halfopen.sim.run.Progress;
import io.halfopen.sim.spec.Spec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Workloads: each makes the connects its spec says")
class WorkloadsTest {

    /** Every submission, in order (read during the call: a recorder may not keep the Connect of a submission). */
    private static final class Log implements HostRecorder {
        final List<Long> at = new ArrayList<>();
        final List<InetSocketAddress> remotes = new ArrayList<>();
        final List<Answer> answers = new ArrayList<>();

        @Override
        public void submitted(final Connect c) {
            at.add(c.submittedAt());
            remotes.add(c.remote());
            answers.add(c.answer());
        }
    }

    private static Log run(final String workload, final Duration duration, final String policy) {
        final Log log = new Log();
        HostSimulation.run(new HostRun(Spec.parse(policy), List.of(Workloads.parse(workload)), duration, 1,
                HostOptions.XP, Map.of()), PolicyLookup.builtIn(), Progress.NONE, log);
        return log;
    }

    @Test
    @DisplayName("an open-loop scanner submits at its fixed rate, to random addresses, a liveShare of them live")
    void anOpenLoopScannerKeepsItsPace() {
        final Log log = run("scanner(rate=100, liveShare=0.2)", Duration.ofSeconds(100), "xp");
        assertEquals(10_001, log.at.size(), "arrivals at 0, 0.01, ..., 100 s");
        assertEquals(10_000_000L, log.at.get(1) - log.at.get(0));
        assertEquals(0.2, log.answers.stream().filter(a -> a == Answer.REFUSE).count() / 10_001.0, 0.02);
        assertTrue(log.remotes.stream().distinct().count() > 9_990, "random addresses rarely repeat");
    }

    @Test
    @DisplayName("a threaded scanner keeps at most its threads outstanding: under XP's cap, 10 half-open, the rest queued")
    void aThreadedScannerIsBoundByItsThreads() {
        final HostResult r = HostSimulation.run(new HostRun(Spec.parse("xp"),
                List.of(Workloads.parse("scanner(threads=32, rate=0, liveShare=0)")), Duration.ofSeconds(100), 1,
                HostOptions.XP, Map.of()), PolicyLookup.builtIn(), Progress.NONE);
        assertEquals(22, r.stats().peakQueued());
        assertEquals(10, r.stats().peakHalfOpen());
    }

    @Test
    @DisplayName("the same seed gives every policy the same open-loop arrivals")
    void everyPolicySeesTheSameArrivals() {
        final Log xp = run("desktop(rate=3)", Duration.ofMinutes(10), "xp");
        final Log unlimited = run("desktop(rate=3)", Duration.ofMinutes(10), "unlimited");
        assertEquals(xp.at, unlimited.at);
        assertEquals(xp.remotes, unlimited.remotes);
    }

    @Test
    @DisplayName("a desktop uses few destinations, the popular ones far more (Zipf), and repeats recent ones")
    void aDesktopHasFewDestinationsAndLocality() {
        final Log log = run("desktop(rate=10, destinations=30, locality=0.5)", Duration.ofMinutes(10), "unlimited");
        final Map<InetSocketAddress, Integer> counts = new HashMap<>();
        log.remotes.forEach(a -> counts.merge(a, 1, Integer::sum));
        assertTrue(counts.size() <= 30);
        final List<Integer> sorted = counts.values().stream().sorted((a, b) -> b - a).toList();
        assertTrue(sorted.get(0) > 5 * sorted.get(sorted.size() - 1), "Zipf: " + sorted);
        int repeats = 0;
        for (int i = 1; i < log.remotes.size(); i++) {
            if (log.remotes.get(i).equals(log.remotes.get(i - 1))) {
                repeats++;
            }
        }
        assertTrue(repeats > log.remotes.size() / 5, "locality: " + repeats + " of " + log.remotes.size());
        assertEquals(6_000, log.at.size(), 300, "Poisson at 10/s for 600 s");
    }

    @Test
    @DisplayName("a mail burst releases its deliveries at once, a deadShare of MX hosts dropping")
    void aMailBurstGoesAtOnce() {
        final Log log = run("mail(deliveries=1000, deadShare=0.2)", null, "xp");
        assertEquals(1000, log.at.size());
        assertTrue(log.at.stream().allMatch(t -> t == 0));
        assertEquals(0.2, log.answers.stream().filter(a -> a == Answer.DROP).count() / 1000.0, 0.04);
        assertEquals(25, log.remotes.get(0).getPort());
    }

    @Test
    @DisplayName("a crawler waits its politeness between fetches of one site, and gives a dead site up")
    void aCrawlerIsPolite() {
        final Log log = run("crawler(hosts=20, pages=4, deadShare=0.25, politeness=2s, rate=10)", null, "unlimited");
        final Map<InetSocketAddress, List<Long>> bySite = new HashMap<>();
        for (int i = 0; i < log.at.size(); i++) {
            bySite.computeIfAbsent(log.remotes.get(i), k -> new ArrayList<>()).add(log.at.get(i));
        }
        int dead = 0;
        for (final Map.Entry<InetSocketAddress, List<Long>> e : bySite.entrySet()) {
            final List<Long> times = e.getValue();
            if (times.size() == 1) {
                dead++;
                continue;
            }
            assertEquals(4, times.size());
            for (int i = 1; i < times.size(); i++) {
                assertTrue(times.get(i) - times.get(i - 1) >= 2_000_000_000L, "politeness at " + e.getKey());
            }
        }
        assertTrue(dead > 0 && dead < 20, "dead sites tried once: " + dead);
    }

    @Test
    @DisplayName("unknown workloads and parameters are named")
    void unknownsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Workloads.parse("botnet"))
                .getMessage().contains("desktop, mail, crawler, scanner"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Workloads.parse("scanner(threads=0, rate=0)"))
                .getMessage().contains("needs a rate"));
    }
}
