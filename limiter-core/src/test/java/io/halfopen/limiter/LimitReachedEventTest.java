package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Event 4226 is raised when throttling starts: listener, WARN log line, JFR event")
class LimitReachedEventTest {

    private final VirtualClock clock = new VirtualClock();
    private final List<LimitReached> events = new CopyOnWriteArrayList<>();

    private HalfOpenLimiter limiter(final LimitEventMode mode) {
        return HalfOpenLimiter.builder().clock(clock).maxHalfOpen(2).limitEvents(mode)
                .listener(new LimiterListener() {
                    @Override
                    public void limitReached(final LimitReached event) {
                        events.add(event);
                    }
                }).build();
    }

    @Test
    void oncePerEpisodeByDefaultFromTheFirstQueuedAttemptUntilTheQueueIsEmptyAgain() {
        final HalfOpenLimiter limiter = limiter(LimitEventMode.ONCE_PER_EPISODE);
        final List<ConnectAttempt> all = new ArrayList<>();
        all.add(limiter.newAttempt(remote(1), new RecordingListener()));
        all.add(limiter.newAttempt(remote(2), new RecordingListener()));
        assertTrue(events.isEmpty(), "no throttling while slots are free");

        for (int port = 3; port <= 5; port++) {
            all.add(limiter.newAttempt(remote(port), new RecordingListener()));
        }
        assertEquals(1, events.size(), "one event for the whole episode");
        assertEquals(new LimitReached(remote(3), 1, 2, 0L), events.get(0));
        assertEquals(Event4226.TEXT, events.get(0).text());

        all.get(0).established();                       // remote(3) goes, 4 and 5 still wait
        all.add(limiter.newAttempt(remote(6), new RecordingListener()));
        assertEquals(1, events.size(), "the episode goes on while anyone waits");

        for (final ConnectAttempt attempt : all) {
            if (attempt.state() == AttemptState.QUEUED) {
                attempt.cancel();
            }
        }
        for (final ConnectAttempt attempt : all) {
            if (attempt.state().holdsSlot()) {
                attempt.established();
            }
        }
        assertEquals(0, limiter.stats().queued(), "the episode is over");
        assertEquals(0, limiter.stats().halfOpen());

        fillSlots(limiter);
        limiter.newAttempt(remote(7), new RecordingListener());
        assertEquals(2, events.size(), "the next attempt that has to wait starts a new episode");
        assertEquals(2, limiter.stats().limitReachedEvents());
    }

    @Test
    void everyThrottledAttemptWhenAskedTo() {
        final HalfOpenLimiter limiter = limiter(LimitEventMode.EVERY_THROTTLED_ATTEMPT);
        fillSlots(limiter);
        for (int i = 0; i < 5; i++) {
            limiter.newAttempt(remote(10 + i), new RecordingListener());
        }
        assertEquals(5, events.size());
        assertEquals(5, events.get(4).queued());
        assertEquals(5, limiter.stats().throttled());
    }

    @Test
    void neverWhenTurnedOffButThrottledAttemptsAreStillCounted() {
        final HalfOpenLimiter limiter = limiter(LimitEventMode.NEVER);
        fillSlots(limiter);
        limiter.newAttempt(remote(10), new RecordingListener());
        assertTrue(events.isEmpty());
        assertEquals(1, limiter.stats().throttled());
        assertEquals(0, limiter.stats().limitReachedEvents());
    }

    @Test
    void theWarnLogLineCarriesXpsIdAndText() {
        final PrintStream original = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            final HalfOpenLimiter limiter = limiter(LimitEventMode.ONCE_PER_EPISODE);
            fillSlots(limiter);
            limiter.newAttempt(remote(10), new RecordingListener());
        } finally {
            System.setErr(original);
        }
        final String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARN"), log);
        assertTrue(log.contains("Event 4226 (Tcpip, Warning): " + Event4226.TEXT), log);
        assertTrue(log.contains("2 half-open allowed, 1 queued"), log);
    }

    @Test
    void aJfrEventNamedIoHalfopenLimitReachedIsRecorded(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("limit.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("io.halfopen.LimitReached");
            recording.start();
            final HalfOpenLimiter limiter = limiter(LimitEventMode.ONCE_PER_EPISODE);
            fillSlots(limiter);
            limiter.newAttempt(remote(10), new RecordingListener());
            recording.stop();
            recording.dump(file);
        }
        final List<RecordedEvent> recorded = RecordingFile.readAllEvents(file);
        assertEquals(1, recorded.size(), recorded.toString());
        final RecordedEvent event = recorded.get(0);
        assertEquals("io.halfopen.LimitReached", event.getEventType().getName());
        assertEquals(4226, event.getInt("eventId"));
        assertEquals(1, event.getInt("queued"));
        assertEquals(2, event.getInt("maxHalfOpen"));
        assertTrue(event.getString("remote").endsWith("203.0.113.7:10"), event.getString("remote"));
        Files.deleteIfExists(file);
    }

    private static void fillSlots(final HalfOpenLimiter limiter) {
        for (int i = limiter.stats().halfOpen(); i < limiter.maxHalfOpen(); i++) {
            limiter.newAttempt(remote(1000 + i), new RecordingListener());
        }
    }
}
