package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    @DisplayName("events carry the session's id and its state at the change: opened with its first connection")
    void eventsCarryTheSessionsIdAndItsStateAtTheChange() {
        final List<SessionInfo> opened = new CopyOnWriteArrayList<>();
        final List<SessionInfo> named = new CopyOnWriteArrayList<>();
        final List<SessionInfo> ended = new CopyOnWriteArrayList<>();
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock)
                .listener(new SessionListener() {
                    @Override
                    public void sessionOpened(final SessionInfo session) {
                        opened.add(session);
                    }

                    @Override
                    public void sessionAuthenticated(final SessionInfo session) {
                        named.add(session);
                    }

                    @Override
                    public void sessionEnded(final SessionInfo session, final SessionEndReason reason) {
                        ended.add(session);
                    }
                }).build();

        final SessionConnection first = limiter.admit(Remote.computer(2, 1));
        final SessionConnection second = limiter.admit(Remote.computer(2, 2));
        first.authenticate("alice", "Windows 2002 Service Pack 2 2600");
        limiter.disconnect("127.0.0.2");

        assertEquals(1, opened.size());
        assertEquals(1, opened.get(0).connections(), "the session as it opened, with its first connection");
        assertEquals("", opened.get(0).userName());
        assertEquals(1, named.size());
        assertEquals("alice", named.get(0).userName());
        assertEquals(2, named.get(0).connections());
        assertEquals(1, ended.size());
        assertEquals(opened.get(0).id(), named.get(0).id());
        assertEquals(opened.get(0).id(), ended.get(0).id());
        assertFalse(second.isOpen());
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
