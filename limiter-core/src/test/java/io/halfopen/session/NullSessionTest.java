package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Null sessions: anonymous connections, short-lived, optionally refused")
class NullSessionTest {

    private final VirtualClock clock = new VirtualClock();

    private static ConnectionInfo anonymousFrom(final int host) {
        return ConnectionInfo.from(Remote.computer(host)).asAnonymous();
    }

    @Test
    void aNullSessionExpiresAfter60SecondsIdleByDefault() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock).build();
        final ClosedFlag closed = new ClosedFlag();
        limiter.admit(anonymousFrom(2), closed);

        clock.advance(Duration.ofSeconds(59));
        assertFalse(closed.closed());
        clock.advance(Duration.ofSeconds(1));

        assertTrue(closed.closed());
        assertEquals(0, limiter.stats().nullSessions());
        assertEquals(1, limiter.stats().expiredNullSessions());
        assertEquals(0, limiter.stats().autoDisconnected());
    }

    @Test
    void theNullSessionIdleTimeIsConfigurable() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder()
                .nullSessionIdleTimeout(Duration.ofSeconds(30)).clock(clock).build();
        final ClosedFlag closed = new ClosedFlag();
        final SessionConnection connection = limiter.admit(anonymousFrom(2), closed);

        clock.advance(Duration.ofSeconds(20));
        connection.touch();
        clock.advance(Duration.ofSeconds(29));
        assertFalse(closed.closed());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(closed.closed());
    }

    @Test
    void nullSessionsExpireEvenWhenAutoDisconnectIsDisabled() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder()
                .autoDisconnectMinutes(-1).clock(clock).build();
        limiter.admit(anonymousFrom(2));
        limiter.admit(Remote.computer(3));

        clock.advance(Duration.ofMinutes(1));

        assertEquals(1, limiter.stats().sessions());
        assertEquals("127.0.0.3", limiter.sessions().rows().get(0).computer());
    }

    @Test
    void aShorterAutoDisconnectAppliesToNullSessionsToo() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder()
                .autoDisconnectMinutes(0).clock(clock).build();
        limiter.admit(anonymousFrom(2));

        clock.advance(Duration.ofSeconds(1));

        assertEquals(0, limiter.stats().sessions());
        assertEquals(1, limiter.stats().autoDisconnected());
    }

    @Test
    @DisplayName("an expired null session frees its place under the limit")
    void anExpiredNullSessionFreesItsPlace() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().maxSessions(2).clock(clock).build();
        limiter.admit(anonymousFrom(2));
        limiter.admit(anonymousFrom(2));
        assertThrows(SessionLimitExceededException.class, () -> limiter.admit(Remote.computer(3)));

        clock.advance(Duration.ofSeconds(60));

        assertDoesNotThrow(() -> limiter.admit(Remote.computer(3)));
    }

    @Test
    void restrictAnonymousRefusesAnonymousConnectionsWithSystemError5() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder()
                .restrictAnonymous(true).clock(clock).build();

        final AnonymousSessionRefusedException refusal =
                assertThrows(AnonymousSessionRefusedException.class, () -> limiter.admit(anonymousFrom(2)));

        assertEquals(5, refusal.errorCode());
        assertEquals("System error 5 has occurred.", refusal.systemErrorLine());
        assertEquals("Access is denied.", refusal.errorText());
        assertEquals("127.0.0.2", refusal.computer());
        assertEquals(0, limiter.stats().sessions());
        assertEquals(1, limiter.stats().refusedAnonymous());
        assertEquals(0, limiter.stats().refused());
    }

    @Test
    void restrictAnonymousStillAdmitsNamedConnections() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder()
                .restrictAnonymous(true).clock(clock).build();

        assertDoesNotThrow(() -> limiter.admit(Remote.computer(2)));
        assertDoesNotThrow(() -> limiter.admit(ConnectionInfo.from(Remote.computer(2)).withUser("alice", "")));
    }
}
