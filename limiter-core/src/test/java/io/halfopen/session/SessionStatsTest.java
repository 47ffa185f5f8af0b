package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.halfopen.time.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionStatsTest {

    private final VirtualClock clock = new VirtualClock();

    @Test
    void countsSessionsNullSessionsConnectionsHandlesRefusalsDisconnectionsAndThePeak() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().maxSessions(3).clock(clock).build();
        final SessionConnection a = limiter.admit(Remote.computer(2, 1));
        limiter.admit(Remote.computer(2, 2));
        limiter.admit(ConnectionInfo.from(Remote.computer(3)).asAnonymous());
        final SessionConnection d = limiter.admit(Remote.computer(4));
        d.open("\\Documents\\report.doc");
        d.open("\\PIPE\\spoolss").close();
        assertThrows(SessionLimitExceededException.class, () -> limiter.admit(Remote.computer(5)));
        assertThrows(SessionLimitExceededException.class, () -> limiter.admit(Remote.computer(6)));

        assertEquals(new SessionStats(3, 1, 0, 4, 1, 3, 2, 0, 0, 0, 0), limiter.stats());

        clock.advance(Duration.ofSeconds(60));
        a.close();
        limiter.disconnect("127.0.0.4");
        assertEquals(new SessionStats(1, 0, 0, 1, 0, 3, 2, 0, 0, 1, 1), limiter.stats());

        clock.advance(Duration.ofMinutes(15));
        assertEquals(new SessionStats(0, 0, 0, 0, 0, 3, 2, 0, 1, 1, 1), limiter.stats());
    }
}
