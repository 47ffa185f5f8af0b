package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import io.halfopen.time.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("limitEventMinInterval: a queue that empties and refills often raises one 4226 per interval, episodes folded in")
class LimitEventMinIntervalTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final VirtualClock clock = new VirtualClock(1_000_000_000_000L); // not zero: no clock starts there
    private final List<LimitReached> events = new CopyOnWriteArrayList<>();
    private final LimiterListener recorder = new LimiterListener() {
        @Override
        public void limitReached(final LimitReached event) {
            events.add(event);
        }
    };

    private HalfOpenLimiter paced(final LimitEventMode mode) {
        return HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).limitEvents(mode)
                .limitEventMinInterval(INTERVAL).listener(recorder).build();
    }

    /** One episode: the only slot is taken, one attempt queues, then both end; the queue is empty again. */
    private static void episode(final HalfOpenLimiter limiter, final int port) {
        final ConnectAttempt holder = limiter.newAttempt(remote(port), new RecordingListener());
        final ConnectAttempt waiter = limiter.newAttempt(remote(port + 1), new RecordingListener());
        assertEquals(AttemptState.QUEUED, waiter.state());
        holder.established();
        waiter.established();
    }

    @Test
    void aHundredEpisodesInOneSecondRaiseTwoEventsThatAccountForAllOfThem() {
        final HalfOpenLimiter limiter = paced(LimitEventMode.ONCE_PER_EPISODE);
        final long start = clock.nanoTime();
        for (int i = 0; i < 100; i++) {
            episode(limiter, 2 * i);
            clock.advance(Duration.ofMillis(9)); // 100 episodes in 0.9 s
        }
        assertEquals(1, events.size(), "the first episode is raised at once, the other 99 wait for the interval");
        assertEquals(new LimitReached(remote(1), 1, 1, start, 1, false), events.get(0));

        clock.advance(Duration.ofMillis(100)); // the interval ends at start + 1 s
        assertEquals(2, events.size());
        final LimitReached folded = events.get(1);
        assertEquals(99, folded.episodes(), "every other episode is folded into the second event");
        assertEquals(start + INTERVAL.toNanos(), folded.nanoTime(), "raised at the interval's end");
        assertEquals(remote(2 * 99 + 1), folded.remote(), "the folded event names the last episode's attempt");
        assertEquals(2, limiter.stats().limitReachedEvents(), "the stats count events, not episodes");

        clock.advance(Duration.ofSeconds(10));
        assertEquals(2, events.size(), "no episode, no event");
    }

    @Test
    void theFirstEpisodeAfterAQuietIntervalIsRaisedAtOnce() {
        final HalfOpenLimiter limiter = paced(LimitEventMode.ONCE_PER_EPISODE);
        episode(limiter, 10);
        clock.advance(Duration.ofMillis(1500));
        episode(limiter, 20);
        assertEquals(2, events.size());
        assertEquals(1, events.get(1).episodes());
        assertEquals(0, clock.pendingTasks(), "nothing was folded, so no timer is armed");
    }

    @Test
    void eventsAreAtLeastOneIntervalApartUnderContinuousChurn() {
        final HalfOpenLimiter limiter = paced(LimitEventMode.ONCE_PER_EPISODE);
        for (int i = 0; i < 1000; i++) { // 10 s of an episode every 10 ms
            episode(limiter, 2 * i);
            clock.advance(Duration.ofMillis(10));
        }
        clock.advance(INTERVAL);
        long total = 0;
        for (int i = 0; i < events.size(); i++) {
            total += events.get(i).episodes();
            if (i > 0) {
                assertTrue(events.get(i).nanoTime() - events.get(i - 1).nanoTime() >= INTERVAL.toNanos(), events::toString);
            }
        }
        assertEquals(1000, total, "every episode is in exactly one event");
        assertEquals(11, events.size(), "one event per second of churn, and the leading one: " + events);
    }

    @Test
    void everyThrottledAttemptFoldsAttemptsTheSameWay() {
        final HalfOpenLimiter limiter = paced(LimitEventMode.EVERY_THROTTLED_ATTEMPT);
        limiter.newAttempt(remote(1), new RecordingListener());
        for (int i = 0; i < 50; i++) {
            limiter.newAttempt(remote(100 + i), new RecordingListener());
        }
        assertEquals(1, events.size());
        clock.advance(INTERVAL);
        assertEquals(2, events.size());
        assertEquals(49, events.get(1).episodes());
        assertEquals(50, events.get(1).queued(), "the queue length when the last folded attempt queued");
    }

    @Test
    void closingTheLimiterRaisesWhatIsFoldedAtOnce() {
        final HalfOpenLimiter limiter = paced(LimitEventMode.ONCE_PER_EPISODE);
        for (int i = 0; i < 5; i++) {
            episode(limiter, 2 * i);
        }
        assertEquals(1, events.size());
        limiter.close();
        assertEquals(2, events.size(), "nothing is left waiting for a timer that may never run");
        assertEquals(4, events.get(1).episodes());
        clock.advance(INTERVAL);
        assertEquals(2, events.size(), "the timer that was armed finds nothing left to raise");
    }

    @Test
    void aSchedulerThatRefusesTheTimerGetsTheFoldedEventRaisedAtOnce() {
        final Scheduler refusing = new Scheduler() {
            @Override
            public Cancellable schedule(final Runnable task, final long delay, final TimeUnit unit) {
                throw new IllegalStateException("scheduler shut down");
            }
        };
        final List<Long> raised = new CopyOnWriteArrayList<>();
        final LimitEventPacer pacer = new LimitEventPacer(INTERVAL.toNanos(), clock, refusing,
                (remote, queued, episodes) -> raised.add(episodes));
        pacer.episode(remote(1), 1);
        pacer.episode(remote(2), 1);
        assertEquals(List.of(1L, 1L), raised, "the folded episode is raised at once when its timer cannot be armed");
    }

    @Test
    void theWarnLineSaysHowManyEpisodesItStandsFor() {
        final PrintStream original = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            final HalfOpenLimiter limiter = paced(LimitEventMode.ONCE_PER_EPISODE);
            for (int i = 0; i < 4; i++) {
                episode(limiter, 2 * i);
            }
            clock.advance(INTERVAL);
        } finally {
            System.setErr(original);
        }
        final String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(2, log.lines().filter(line -> line.contains("Event 4226 (Tcpip, Warning)")).count(), log);
        assertTrue(log.contains("3 throttling episodes folded into this event, at most one per PT1S"), log);
    }

    @Test
    void theJfrEventCarriesTheEpisodes(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("paced.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("io.halfopen.LimitReached");
            recording.start();
            final HalfOpenLimiter limiter = paced(LimitEventMode.ONCE_PER_EPISODE);
            for (int i = 0; i < 6; i++) {
                episode(limiter, 2 * i);
            }
            clock.advance(INTERVAL);
            recording.stop();
            recording.dump(file);
        }
        final List<RecordedEvent> recorded = RecordingFile.readAllEvents(file);
        assertEquals(2, recorded.size(), recorded.toString());
        assertEquals(1, recorded.get(0).getLong("episodes"));
        assertEquals(5, recorded.get(1).getLong("episodes"));
        assertFalse(recorded.get(1).getBoolean("shadow"));
    }

    @Test
    void theIntervalIsValidated() {
        assertEquals("limitEventMinInterval must be positive, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> HalfOpenLimiter.builder().limitEventMinInterval(Duration.ZERO)).getMessage());
        assertEquals("limitEventMinInterval must be positive, was PT-1S", assertThrows(IllegalArgumentException.class,
                () -> HalfOpenLimiter.builder().limitEventMinInterval(Duration.ofSeconds(-1))).getMessage());
        assertEquals("limitEventMinInterval", assertThrows(NullPointerException.class,
                () -> HalfOpenLimiter.builder().limitEventMinInterval(null)).getMessage());
        assertEquals("limitEventMinInterval is too long (at most about 292 years), was PT8760000H",
                assertThrows(IllegalArgumentException.class, () -> HalfOpenLimiter.builder()
                        .limitEventMinInterval(Duration.ofDays(365L * 1000))).getMessage());
        final IllegalStateException twice = assertThrows(IllegalStateException.class, () -> HalfOpenLimiter.builder()
                .limitEventMinInterval(INTERVAL).limitEventMinInterval(Duration.ofSeconds(2)));
        assertEquals("limitEventMinInterval was already set to PT1S by limitEventMinInterval(PT1S); cannot set it"
                + " again by limitEventMinInterval(PT2S)", twice.getMessage());
    }

    @Test
    void anIntervalWithEventsTurnedOffIsRefusedAtBuild() {
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> HalfOpenLimiter.builder()
                .limitEvents(LimitEventMode.NEVER).limitEventMinInterval(INTERVAL).build());
        assertEquals("limitEventMinInterval was set by limitEventMinInterval(PT1S), but limitEvents(NEVER) raises no"
                + " event 4226 to pace; drop one of them", e.getMessage());
    }

    @Test
    void anEventOfNoEpisodeCannotBeMade() {
        assertEquals("episodes must be >= 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> new LimitReached(remote(1), 1, 10, 0L, 0, false)).getMessage());
    }
}
