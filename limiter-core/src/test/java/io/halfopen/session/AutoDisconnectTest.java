package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AutoDisconnect ends sessions idle too long and closes their connections")
class AutoDisconnectTest {

    private final VirtualClock clock = new VirtualClock();


    private InboundSessionLimiter limiter(final InboundSessionLimiterBuilder builder) {
        return builder.clock(clock).build();
    }

    @Test
    void byDefaultASessionIdleFor15MinutesIsDisconnectedWithItsOpenConnections() {
        final InboundSessionLimiter limiter = limiter(InboundSessionLimiter.builder());
        final ClosedFlag first = new ClosedFlag();
        final ClosedFlag second = new ClosedFlag();
        final SessionConnection a = limiter.admit(ConnectionInfo.from(Remote.computer(2, 1)), first);
        final SessionConnection b = limiter.admit(ConnectionInfo.from(Remote.computer(2, 2)), second);

        clock.advance(Duration.ofMinutes(15).minusNanos(1));
        assertEquals(1, limiter.stats().sessions());
        assertFalse(first.closed());

        clock.advance(1, TimeUnit.NANOSECONDS);
        assertEquals(0, limiter.stats().sessions());
        assertEquals(0, limiter.stats().openConnections());
        assertEquals(1, limiter.stats().autoDisconnected());
        assertEquals(1, first.closes());
        assertEquals(1, second.closes());
        assertFalse(a.isOpen());
        assertFalse(b.isOpen());
    }

    @Test
    void activityRestartsTheIdleTime() {
        final InboundSessionLimiter limiter = limiter(InboundSessionLimiter.builder());
        final ClosedFlag closed = new ClosedFlag();
        final SessionConnection connection = limiter.admit(ConnectionInfo.from(Remote.computer(2)), closed);

        clock.advance(Duration.ofMinutes(10));
        connection.touch();
        clock.advance(Duration.ofMinutes(10));
        assertFalse(closed.closed());
        assertEquals(Duration.ofMinutes(10), limiter.sessions().rows().get(0).idleTime());

        clock.advance(Duration.ofMinutes(5));
        assertTrue(closed.closed());
    }

    @Test
    void activityOnAnyConnectionOfTheSessionKeepsTheWholeSessionAlive() {
        final InboundSessionLimiter limiter = limiter(InboundSessionLimiter.builder());
        final ClosedFlag idleOne = new ClosedFlag();
        limiter.admit(ConnectionInfo.from(Remote.computer(2, 1)), idleOne);
        final SessionConnection busy = limiter.admit(ConnectionInfo.from(Remote.computer(2, 2)), new ClosedFlag());

        for (int minute = 0; minute < 60; minute++) {
            clock.advance(Duration.ofMinutes(1));
            busy.touch();
        }

        assertFalse(idleOne.closed());
        assertEquals(2, limiter.sessions().rows().get(0).connections());
    }

    @Test
    void minusOneDisablesAutoDisconnect() {
        final InboundSessionLimiter limiter = limiter(InboundSessionLimiter.builder().autoDisconnectMinutes(-1));
        final ClosedFlag closed = new ClosedFlag();
        limiter.admit(ConnectionInfo.from(Remote.computer(2)), closed);

        clock.advance(Duration.ofDays(365));

        assertFalse(closed.closed());
        assertEquals(1, limiter.stats().sessions());
        assertEquals(0, clock.pendingTasks(), "no idle timer is armed when AutoDisconnect is disabled");
    }

    @Test
    void theDwordFormOfMinusOneDisablesItToo() {
        final InboundSessionLimiter limiter = limiter(InboundSessionLimiter.builder().autoDisconnectMinutes(0xFFFF_FFFFL));
        limiter.admit(Remote.computer(2));

        clock.advance(Duration.ofDays(365));

        assertEquals(1, limiter.stats().sessions());
    }

    @Test
    @DisplayName("0 minutes means \"within seconds\": here a session idle for 1 second")
    void zeroMinutesDisconnectsWithinSeconds() {
        final InboundSessionLimiter limiter = limiter(InboundSessionLimiter.builder().autoDisconnectMinutes(0));
        final ClosedFlag closed = new ClosedFlag();
        limiter.admit(ConnectionInfo.from(Remote.computer(2)), closed);

        clock.advance(Duration.ofMillis(999));
        assertFalse(closed.closed());
        clock.advance(Duration.ofMillis(1));
        assertTrue(closed.closed());
        assertEquals(Duration.ofSeconds(1), InboundSessionLimiterBuilder.ZERO_MINUTE_AUTO_DISCONNECT);
    }

    @Test
    void aPositiveNumberOfMinutesIsThatManyMinutes() {
        final InboundSessionLimiter limiter = limiter(InboundSessionLimiter.builder().autoDisconnectMinutes(2));
        limiter.admit(Remote.computer(2));

        clock.advance(Duration.ofSeconds(119));
        assertEquals(1, limiter.stats().sessions());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(0, limiter.stats().sessions());
    }

    @Test
    void aDisconnectedComputerFreesItsPlaceUnderTheLimit() {
        final InboundSessionLimiter limiter = limiter(InboundSessionLimiter.builder().maxSessions(1));
        limiter.admit(Remote.computer(2));
        clock.advance(Duration.ofMinutes(15));

        limiter.admit(Remote.computer(3));

        assertEquals("127.0.0.3", limiter.sessions().rows().get(0).computer());
    }

    @Test
    void closingTheConnectionAfterTheLimiterEndedItIsANoOp() {
        final InboundSessionLimiter limiter = limiter(InboundSessionLimiter.builder());
        final ClosedFlag closed = new ClosedFlag();
        final SessionConnection connection = limiter.admit(ConnectionInfo.from(Remote.computer(2)), closed);
        clock.advance(Duration.ofMinutes(15));

        connection.close();
        connection.close();

        assertEquals(1, closed.closes(), "the callback runs exactly once");
        assertEquals(0, limiter.stats().openConnections());
        assertEquals(0, clock.pendingTasks(), "no timer is left behind");
    }

    @Test
    void aSessionThatEndsNormallyLeavesNoTimerBehind() {
        final InboundSessionLimiter limiter = limiter(InboundSessionLimiter.builder());
        final SessionConnection connection = limiter.admit(Remote.computer(2));

        connection.close();

        assertEquals(0, clock.pendingTasks());
    }
}
