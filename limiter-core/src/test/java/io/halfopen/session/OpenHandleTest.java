package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, defect 2, the model: a session's open files and pipes are handles, opened and closed on one of its
 * connections, counted in {@code net session}'s Opens, and while one is open no idle timer ends the session.
 */
@DisplayName("Open files and pipes: counted in Opens, and they keep their session alive")
class OpenHandleTest {

    private static final String SPOOLSS = "\\PIPE\\spoolss";

    private final VirtualClock clock = new VirtualClock();
    private final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock).build();

    private static ConnectionInfo anonymousFrom(final int host) {
        return ConnectionInfo.from(Remote.computer(host)).asAnonymous();
    }

    private SessionInfo row(final int host) {
        return limiter.sessions().find("127.0.0." + host).orElseThrow();
    }

    @Test
    void opensCountsOpenHandlesNotConnections() {
        final SessionConnection first = limiter.admit(Remote.computer(2, 1));
        final SessionConnection second = limiter.admit(Remote.computer(2, 2));
        assertEquals(0, row(2).opens());
        assertEquals(2, row(2).connections());

        final OpenHandle report = first.open("\\Documents\\report.doc");
        second.open("\\Documents\\budget.xls");
        second.open("\\Documents\\budget.xls");
        assertEquals(3, row(2).opens());
        assertEquals(3, limiter.stats().openHandles());

        report.close();
        report.close();
        assertEquals(2, row(2).opens(), "closing is idempotent");
        assertFalse(report.isOpen());
        assertEquals("\\Documents\\report.doc", report.path());
    }

    @Test
    @DisplayName("a null session with an open handle outlives its 60 s idle timeout, its idle time growing")
    void aNullSessionWithAnOpenHandleStaysAlive() {
        final ClosedFlag closed = new ClosedFlag();
        final SessionConnection anonymous = limiter.admit(anonymousFrom(2), closed);
        final OpenHandle pipe = anonymous.open(SPOOLSS);

        clock.advance(Duration.ofHours(5));

        assertFalse(closed.closed());
        assertTrue(pipe.isOpen());
        assertEquals(Duration.ofHours(5), row(2).idleTime(), "an open handle is not activity");
        assertEquals(1, row(2).opens());
        assertEquals(0, limiter.stats().expiredNullSessions());
        assertEquals(0, clock.pendingTasks(), "no timer polls a session that cannot idle out");
    }

    @Test
    void anOpenHandleKeepsAnAuthenticatedSessionFromAutoDisconnectToo() {
        final ClosedFlag closed = new ClosedFlag();
        final SessionConnection alice = limiter.admit(ConnectionInfo.from(Remote.computer(2)), closed);
        alice.authenticate("alice", "");
        alice.open("\\Documents\\report.doc");

        clock.advance(Duration.ofDays(1));

        assertFalse(closed.closed());
        assertEquals(0, limiter.stats().autoDisconnected());
    }

    @Test
    void onceItsLastHandleClosesTheSessionIdlesOutAsUsual() {
        final ClosedFlag closed = new ClosedFlag();
        final SessionConnection anonymous = limiter.admit(anonymousFrom(2), closed);
        final OpenHandle first = anonymous.open(SPOOLSS);
        final OpenHandle second = anonymous.open("\\PIPE\\lsarpc");
        clock.advance(Duration.ofMinutes(10));

        first.close();
        clock.advance(Duration.ofMinutes(10));
        assertFalse(closed.closed(), "one handle is still open");
        second.close();                        // closing is activity: the 60 s start now
        clock.advance(Duration.ofSeconds(59));
        assertFalse(closed.closed());
        clock.advance(Duration.ofSeconds(1));

        assertTrue(closed.closed());
        assertEquals(1, limiter.stats().expiredNullSessions());
    }

    @Test
    void closingTheConnectionThatHeldTheHandleLetsTheSessionIdleOut() {
        final ClosedFlag idle = new ClosedFlag();
        limiter.admit(ConnectionInfo.from(Remote.computer(2, 1)), idle);
        final SessionConnection holder = limiter.admit(Remote.computer(2, 2));
        final OpenHandle handle = holder.open("\\Documents\\report.doc");
        clock.advance(Duration.ofMinutes(20));
        assertFalse(idle.closed());

        holder.close();

        assertFalse(handle.isOpen(), "a handle closes with its connection");
        assertEquals(0, row(2).opens());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(idle.closed(), "idle 20 minutes, past AutoDisconnect, once nothing is open");
        handle.close();
        assertEquals(0, limiter.stats().openHandles());
    }

    @Test
    @DisplayName("net session /delete ends a session with open handles and closes them")
    void disconnectClosesOpenHandles() {
        final ClosedFlag closed = new ClosedFlag();
        final OpenHandle pipe = limiter.admit(anonymousFrom(2), closed).open(SPOOLSS);

        assertEquals(1, limiter.disconnect("\\\\127.0.0.2"));

        assertTrue(closed.closed());
        assertFalse(pipe.isOpen());
        assertEquals(0, limiter.stats().openHandles());
    }

    @Test
    void handlesMoveWithTheirConnectionWhenItAuthenticates() {
        final SessionConnection anonymous = limiter.admit(anonymousFrom(2));
        final OpenHandle pipe = anonymous.open(SPOOLSS);

        anonymous.authenticate("alice", "");

        assertEquals(1, limiter.stats().sessions());
        assertEquals("alice", row(2).userName());
        assertEquals(1, row(2).opens());
        assertTrue(pipe.isOpen());
        assertEquals(anonymous, pipe.connection());
    }

    @Test
    void openingIsActivity() {
        final SessionConnection connection = limiter.admit(Remote.computer(2));
        clock.advance(Duration.ofMinutes(10));

        connection.open(SPOOLSS).close();

        assertEquals(Duration.ZERO, row(2).idleTime());
    }

    @Test
    void openingOnAnEndedConnectionOrABlankPathFails() {
        final SessionConnection connection = limiter.admit(Remote.computer(2));
        assertEquals("path must name a file or pipe, was \" \"",
                assertThrows(IllegalArgumentException.class, () -> connection.open(" ")).getMessage());
        assertEquals("path", assertThrows(NullPointerException.class, () -> connection.open(null)).getMessage());
        connection.close();

        assertEquals("connection already ended: SessionConnection[\\\\127.0.0.2 user '', ended]",
                assertThrows(IllegalStateException.class, () -> connection.open(SPOOLSS)).getMessage());
    }
}
