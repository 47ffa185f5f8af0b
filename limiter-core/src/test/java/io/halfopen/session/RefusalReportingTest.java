package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.halfopen.time.VirtualClock;
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

@DisplayName("A refusal is reported to the listener and as the JFR event io.halfopen.SessionRefused")
class RefusalReportingTest {

    private final VirtualClock clock = new VirtualClock();

    @Test
    void theListenerHearsOpenedEndedAndRefusedSessions() {
        final List<String> heard = new CopyOnWriteArrayList<>();
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().maxSessions(1).clock(clock)
                .listener(new SessionListener() {
                    @Override
                    public void sessionOpened(final SessionInfo session) {
                        heard.add("opened " + session.computer());
                    }

                    @Override
                    public void sessionEnded(final SessionInfo session, final SessionEndReason reason) {
                        heard.add("ended " + session.computer() + " " + reason);
                    }

                    @Override
                    public void sessionRefused(final SessionRefusedException refusal) {
                        heard.add("refused " + refusal.computer() + " error " + refusal.errorCode());
                    }
                }).build();

        final SessionConnection connection = limiter.admit(Remote.computer(2));
        assertThrows(SessionLimitExceededException.class, () -> limiter.admit(Remote.computer(3)));
        connection.close();

        assertEquals(List.of("opened 127.0.0.2", "refused 127.0.0.3 error 71", "ended 127.0.0.2 CLOSED"), heard);
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheLimiter() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock)
                .listener(new SessionListener() {
                    @Override
                    public void sessionOpened(final SessionInfo session) {
                        throw new IllegalStateException("listener bug");
                    }
                }).build();

        limiter.admit(Remote.computer(2));

        assertEquals(1, limiter.stats().sessions());
    }

    @Test
    void aRefusalCommitsTheJfrEventWhenItIsEnabled(@TempDir final Path dir) throws Exception {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().maxSessions(1).clock(clock).build();
        limiter.admit(Remote.computer(2));
        final Path file = dir.resolve("refusals.jfr");

        try (Recording recording = new Recording()) {
            recording.enable("io.halfopen.SessionRefused");
            recording.start();
            assertThrows(SessionLimitExceededException.class, () -> limiter.admit(Remote.computer(3)));
            recording.stop();
            recording.dump(file);
        }

        final List<RecordedEvent> events = new ArrayList<>();
        for (final RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (event.getEventType().getName().equals("io.halfopen.SessionRefused")) {
                events.add(event);
            }
        }
        assertEquals(1, events.size());
        final RecordedEvent refused = events.get(0);
        assertEquals("127.0.0.3", refused.getString("computer"));
        assertEquals("", refused.getString("user"));
        assertEquals(1, refused.getInt("limit"));
        assertEquals(1, refused.getInt("sessions"));
        assertEquals(71, refused.getInt("errorCode"));
        assertEquals("Session Refused", refused.getEventType().getLabel());
        Files.deleteIfExists(file);
    }
}
