package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.fixture.FixedRateReleasePolicy;
import io.halfopen.policy.Admission;
import io.halfopen.policy.AdmissionGate;
import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.policy.AdmissionTicket;
import io.halfopen.policy.Outcome;
import io.halfopen.policy.PolicyContext;
import io.halfopen.time.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Shadow mode admits every attempt at once and records what the policy would have done")
class ShadowModeTest {

    private static final long T0 = 5_000_000_000L;

    private final VirtualClock clock = new VirtualClock(T0);
    private final List<LimitReached> events = new CopyOnWriteArrayList<>();
    private final List<String> waits = new CopyOnWriteArrayList<>();
    private final LimiterListener recorder = new LimiterListener() {
        @Override
        public void limitReached(final LimitReached event) {
            events.add(event);
        }

        @Override
        public void wouldHaveWaited(final InetSocketAddress remote, final Duration wait) {
            waits.add(remote.getPort() + ":" + wait.toMillis() + "ms");
        }
    };

    private HalfOpenLimiterBuilder shadow(final int cap) {
        return HalfOpenLimiter.builder().clock(clock).maxHalfOpen(cap).shadow(true).listener(recorder);
    }

    private ShadowStats shadowStats(final HalfOpenLimiter limiter) {
        return limiter.shadowStats().orElseThrow();
    }

    private void at(final long millis) {
        clock.advance(Duration.ofNanos(T0 + millis * 1_000_000L - clock.nanoTime()));
    }

    @Test
    void everyAttemptIsAdmittedAtOnceWhileThePolicyWouldHaveQueued() {
        final HalfOpenLimiter limiter = shadow(2).build();
        final List<RecordingListener> owners = new ArrayList<>();
        for (int port = 1; port <= 5; port++) {
            final RecordingListener owner = new RecordingListener();
            owners.add(owner);
            final ConnectAttempt attempt = limiter.newAttempt(remote(port), owner);
            assertEquals(AttemptState.HALF_OPEN, attempt.state(), "attempt " + port + " did not wait");
        }
        owners.forEach(owner -> assertTrue(owner.wasGranted(), "granted before newAttempt returned"));

        final LimiterStats real = limiter.stats();
        assertEquals(5, real.halfOpen(), "the real world: five half-open");
        assertEquals(0, real.queued());
        assertEquals(0, real.throttled());
        assertEquals(5, real.granted());
        assertEquals(0, real.limitReachedEvents(), "nothing was throttled");

        final ShadowStats shadow = shadowStats(limiter);
        assertEquals("half-open-cap(2)", shadow.policy());
        assertEquals(2, shadow.maxHalfOpen());
        assertEquals(2, shadow.halfOpen(), "the shadow world: two half-open");
        assertEquals(3, shadow.queued(), "and three waiting");
        assertEquals(3, shadow.wouldHaveQueued());
        assertEquals(3, shadow.peakQueued());
        assertEquals(1, shadow.limitReachedEvents());
        assertEquals(List.of(new LimitReached(remote(3), 1, 2, T0, 1, true)), events,
                "one shadow 4226 for the episode, with the policy's limit");
        assertEquals(List.of("1:0ms", "2:0ms"), waits, "the first two would have gone at once");
    }

    @Test
    void theShadowWorldReplaysEachAttemptsHalfOpenTimeAfterItsWait() {
        final HalfOpenLimiter limiter = shadow(1).build();
        final ConnectAttempt a = limiter.newAttempt(remote(1), new RecordingListener());      // t = 0
        at(1000);
        final ConnectAttempt b = limiter.newAttempt(remote(2), new RecordingListener());      // shadow waits
        assertEquals(1, shadowStats(limiter).queued());
        at(2000);
        b.established();                            // real B: half-open 1 s, while its shadow still waits
        assertEquals(1, shadowStats(limiter).queued(), "the real attempt ended; its shadow still waits");
        at(3000);
        a.refused();                                // real A: 3 s; its shadow frees the slot now
        assertEquals(List.of("1:0ms", "2:2000ms"), waits, "B would have waited from 1 s to 3 s");
        assertEquals(1, shadowStats(limiter).halfOpen(), "B's shadow now holds the slot, for B's real 1 s");
        at(3500);
        final ConnectAttempt c = limiter.newAttempt(remote(3), new RecordingListener());      // waits behind B
        at(3600);
        c.established();                            // real C: 0.1 s
        at(3999);
        assertEquals(1, shadowStats(limiter).halfOpen());
        assertEquals(1, shadowStats(limiter).queued());
        at(4000);                                   // B's shadow ends (3 s + 1 s): C's shadow goes
        assertEquals(List.of("1:0ms", "2:2000ms", "3:500ms"), waits);
        at(4099);
        assertEquals(1, shadowStats(limiter).halfOpen(), "C's shadow holds the slot for C's real 0.1 s");
        at(4100);
        final ShadowStats done = shadowStats(limiter);
        assertEquals(0, done.halfOpen());
        assertEquals(0, done.queued());
        assertEquals(3, done.granted());
        assertEquals(2, done.wouldHaveQueued());
        assertEquals(Duration.ofMillis(2500), done.wouldHaveWaited());
        assertEquals(Duration.ofMillis(2000), done.longestWait());
        assertEquals(2, done.limitReachedEvents(), "B and C each started an episode: the queue was empty between");
        assertEquals(0, clock.pendingTasks(), "no shadow timer is left");
    }

    @Test
    void aShadowGrantedAfterWaitingExitsThatWaitAfterItsRealAttempt() {
        final HalfOpenLimiter limiter = shadow(1).build();
        final ConnectAttempt e = limiter.newAttempt(remote(1), new RecordingListener());
        final ConnectAttempt f = limiter.newAttempt(remote(2), new RecordingListener());
        at(1000);
        e.established();                            // F's shadow goes now, W = 1 s, while real F is half-open
        assertEquals(List.of("1:0ms", "2:1000ms"), waits);
        at(1500);
        f.established();                            // real F ended at 1.5 s; its shadow ends 1 s later
        at(2499);
        assertEquals(1, shadowStats(limiter).halfOpen());
        at(2500);
        assertEquals(0, shadowStats(limiter).halfOpen());
        assertEquals(0, clock.pendingTasks());
    }

    @Test
    void aShadowGrantedAtOnceExitsWithItsRealAttemptWithoutATimer() {
        final HalfOpenLimiter limiter = shadow(10).halfOpenTimeout(Duration.ofDays(1)).build();
        final ConnectAttempt attempt = limiter.newAttempt(remote(1), new RecordingListener());
        final int timers = clock.pendingTasks(); // the half-open timer
        at(10);
        attempt.established();
        assertEquals(0, shadowStats(limiter).halfOpen(), "exited on the real attempt's exit");
        assertEquals(timers - 1, clock.pendingTasks(), "no shadow timer: only the half-open timer went");
    }

    @Test
    void anyPolicyRunsInShadowThroughTheSeamATimerDrivenOneIncluded() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).shadow(true).listener(recorder)
                .policy(new FixedRateReleasePolicy(Duration.ofSeconds(1), AdmissionPolicy.halfOpenCap(2))).build();
        final List<ConnectAttempt> attempts = new ArrayList<>();
        for (int port = 1; port <= 3; port++) {
            attempts.add(limiter.newAttempt(remote(port), new RecordingListener()));
        }
        attempts.forEach(attempt -> assertEquals(AttemptState.HALF_OPEN, attempt.state()));
        assertEquals(1, shadowStats(limiter).queued(), "the third would have waited for the fixed-rate release");
        at(200);
        attempts.get(2).established();              // real third: 0.2 s
        at(500);
        attempts.get(0).established();
        attempts.get(1).established();
        assertEquals(List.of("1:0ms", "2:0ms"), waits);
        at(1000);                                   // the policy's own timer releases the third
        assertEquals(List.of("1:0ms", "2:0ms", "3:1000ms"), waits);
        at(1199);
        assertEquals(1, shadowStats(limiter).halfOpen());
        at(1200);
        assertEquals(0, shadowStats(limiter).halfOpen());
        assertTrue(shadowStats(limiter).policy().startsWith("fixed-rate(PT1S)"), shadowStats(limiter).policy());
    }

    @Test
    void aPolicysRefusalCountsAsWouldHaveRefusedAndTheAttemptGoesAnyway() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).shadow(true).listener(recorder)
                .policy(new RefusesPort(666)).build();
        final ConnectAttempt refusedByPolicy = limiter.newAttempt(remote(666), new RecordingListener());
        assertEquals(AttemptState.HALF_OPEN, refusedByPolicy.state());
        assertEquals(1, shadowStats(limiter).wouldHaveRefused());
        assertEquals(0, shadowStats(limiter).granted());
        assertEquals(List.of(), waits, "never granted in the shadow world");
        assertTrue(refusedByPolicy.established());
        assertEquals(0, limiter.stats().halfOpen());
        assertEquals(0, shadowStats(limiter).halfOpen());
    }

    @Test
    void closingWithdrawsTheWaitingShadowsAndTheRealAttemptsStillEnd() {
        final HalfOpenLimiter limiter = shadow(1).build();
        final ConnectAttempt a = limiter.newAttempt(remote(1), new RecordingListener());
        final ConnectAttempt b = limiter.newAttempt(remote(2), new RecordingListener());
        limiter.close();
        assertEquals(0, shadowStats(limiter).queued(), "withdrawn");
        assertTrue(a.established());
        assertTrue(b.established());
        clock.advance(Duration.ofSeconds(60));
        assertEquals(List.of("1:0ms"), waits, "B's shadow was withdrawn, never granted");
        assertEquals(0, shadowStats(limiter).halfOpen());
        assertEquals(0, limiter.stats().halfOpen());
        final RecordingListener late = new RecordingListener();
        limiter.newAttempt(remote(3), late);
        assertTrue(late.failures.get(0) instanceof LimiterClosedException, "a closed limiter refuses, shadow or not");
    }

    @Test
    void theHalfOpenTimeoutStillApplies() {
        final HalfOpenLimiter limiter = shadow(1).halfOpenTimeout(Duration.ofSeconds(21)).build();
        final RecordingListener owner = new RecordingListener();
        final ConnectAttempt attempt = limiter.newAttempt(remote(1), owner);
        clock.advance(Duration.ofSeconds(21));
        assertEquals(1, owner.aborts.size(), "the owner is told to abort at 21 s, as without shadow");
        assertEquals(AttemptState.ABORTING, attempt.state());
        attempt.aborted();
        assertEquals(0, shadowStats(limiter).halfOpen());
    }

    @Test
    void loopbackExemptionBypassesTheShadowToo() {
        final HalfOpenLimiter limiter = shadow(1).exemptLoopback(true).build();
        limiter.newAttempt(Addresses.loopback(1), new RecordingListener());
        limiter.newAttempt(Addresses.loopback(2), new RecordingListener());
        assertEquals(0, shadowStats(limiter).halfOpen(), "the policy would not have seen loopback connects");
        assertEquals(0, shadowStats(limiter).wouldHaveQueued());
    }

    @Test
    void shadowEventsArePacedByTheMinimumIntervalToo() {
        final HalfOpenLimiter limiter = shadow(1).limitEventMinInterval(Duration.ofSeconds(1)).build();
        for (int i = 0; i < 10; i++) {
            final ConnectAttempt holder = limiter.newAttempt(remote(2 * i), new RecordingListener());
            final ConnectAttempt waiter = limiter.newAttempt(remote(2 * i + 1), new RecordingListener());
            holder.established();
            waiter.established();
            clock.advance(Duration.ofMillis(10));
        }
        clock.advance(Duration.ofSeconds(1));
        assertEquals(2, events.size(), events::toString);
        assertTrue(events.stream().allMatch(LimitReached::shadow));
        assertEquals(10, events.get(0).episodes() + events.get(1).episodes());
    }

    @Test
    void theShadowEventIsLoggedAtInfoOnItsOwnLoggerAndNeverAsAWarning() {
        final PrintStream original = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            final HalfOpenLimiter limiter = shadow(1).name("mx-out").build();
            limiter.newAttempt(remote(1), new RecordingListener());
            limiter.newAttempt(remote(2), new RecordingListener());
        } finally {
            System.setErr(original);
        }
        final String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("INFO io.halfopen.limiter.HalfOpenLimiter.shadow - Shadow event 4226 (not enforced:"
                + " this limiter admits every attempt): " + Event4226.TEXT + " [halfopen limiter 'mx-out' in shadow"
                + " mode: half-open-cap(1) would have queued 1, 1 half-open allowed, remote /203.0.113.7:2]"), log);
        assertFalse(log.contains("WARN"), log);
    }

    @Test
    void theJfrEventIsMarkedShadow(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("shadow.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("io.halfopen.LimitReached");
            recording.start();
            final HalfOpenLimiter limiter = shadow(1).build();
            limiter.newAttempt(remote(1), new RecordingListener());
            limiter.newAttempt(remote(2), new RecordingListener());
            recording.stop();
            recording.dump(file);
        }
        final List<RecordedEvent> recorded = RecordingFile.readAllEvents(file);
        assertEquals(1, recorded.size(), recorded.toString());
        assertTrue(recorded.get(0).getBoolean("shadow"));
        assertEquals(1, recorded.get(0).getInt("maxHalfOpen"));
    }

    @Test
    void theLimiterSaysItEnforcesNothing() {
        final HalfOpenLimiter limiter = shadow(10).name("trial").build();
        assertTrue(limiter.isShadow());
        assertEquals(Integer.MAX_VALUE, limiter.maxHalfOpen(), "no limit is in force");
        assertEquals(Integer.MAX_VALUE, limiter.stats().maxHalfOpen());
        assertEquals("half-open-cap(10)", limiter.policy().name(), "the policy being evaluated");
        assertEquals("HalfOpenLimiter[trial, shadow(half-open-cap(10)), halfOpen=0, queued=0]", limiter.toString());
        assertFalse(HalfOpenLimiter.xpSp2().isShadow());
        assertTrue(HalfOpenLimiter.xpSp2().shadowStats().isEmpty());
    }

    @Test
    void aQueueBoundOrAQueueTimeoutIsRefusedInShadowModeNamingTheCall() {
        final IllegalStateException bound = assertThrows(IllegalStateException.class,
                () -> HalfOpenLimiter.builder().shadow(true).maxQueued(100).build());
        assertEquals("shadow(true) admits every attempt at once, so maxQueued(100) would never apply; drop it"
                + " (shadowStats().peakQueued() says how long the queue would have grown)", bound.getMessage());
        final IllegalStateException timeout = assertThrows(IllegalStateException.class,
                () -> HalfOpenLimiter.builder().queueTimeout(Duration.ofSeconds(5)).shadow(true).build());
        assertTrue(timeout.getMessage().startsWith("shadow(true) admits every attempt at once, so queueTimeout(PT5S)"
                + " would never apply"), timeout.getMessage());
        assertEquals("shadow was already set to true by shadow(true); cannot set it again by shadow(false)",
                assertThrows(IllegalStateException.class, () -> HalfOpenLimiter.builder().shadow(true).shadow(false))
                        .getMessage());
        HalfOpenLimiter.builder().shadow(false).maxQueued(100).queueTimeout(Duration.ofSeconds(5)).build();
    }

    /** A policy that refuses one port and admits everything else: a fast-fail rule. */
    private static final class RefusesPort implements AdmissionPolicy {
        private final int port;

        RefusesPort(final int port) {
            this.port = port;
        }

        @Override
        public String name() {
            return "refuses-port(" + port + ")";
        }

        @Override
        public int maxHalfOpen() {
            return Integer.MAX_VALUE;
        }

        @Override
        public AdmissionGate newGate(final PolicyContext context) {
            final AdmissionGate unlimited = AdmissionPolicy.unlimited().newGate(context);
            return new AdmissionGate() {
                @Override
                public Admission enter(final AdmissionTicket ticket) {
                    return ticket.remote().getPort() == port ? Admission.refused("port " + port + " is refused")
                            : unlimited.enter(ticket);
                }

                @Override
                public void exit(final AdmissionTicket ticket, final Outcome outcome) {
                    unlimited.exit(ticket, outcome);
                }

                @Override
                public int halfOpen() {
                    return unlimited.halfOpen();
                }

                @Override
                public int peakHalfOpen() {
                    return unlimited.peakHalfOpen();
                }

                @Override
                public void forEachQueued(final Consumer<? super AdmissionTicket> action) {
                }
            };
        }
    }
}
