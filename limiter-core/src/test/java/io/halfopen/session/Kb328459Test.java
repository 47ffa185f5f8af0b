package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, defect 2, end to end in virtual time: KB 328459's cause. A Windows client's RPC {@code OpenPrinter}
 * stops answering, so RPC keeps its {@code \PIPE\spoolss} open on an anonymous (null session) connection "that
 * never closes"; with nine other computers connected the XP Professional server is at its limit of ten, and
 * the eleventh computer gets system error 71. {@code net session} shows the culprit: an empty user name, one
 * open, an idle time that only grows. {@code net session /delete} frees the place; restricting null sessions
 * (the KB's first method, {@code restrictAnonymous}) keeps the culprit from taking it at all.
 */
@DisplayName("KB 328459: a stuck \\PIPE\\spoolss null session exhausts the limit until deleted or restricted")
class Kb328459Test {

    private static final String SPOOLSS = "\\PIPE\\spoolss";

    private final VirtualClock clock = new VirtualClock();
    private final List<SessionConnection> users = new ArrayList<>();

    /** The culprit, 127.0.0.2: connects, logs on anonymously, and its OpenPrinter never returns. */
    private OpenHandle stuckPrinterPipe(final InboundSessionLimiter limiter, final ClosedFlag socket) {
        final SessionConnection connection = limiter.admit(ConnectionInfo.from(Remote.computer(2)), socket);
        connection.authenticateAnonymously();
        return connection.open(SPOOLSS);
    }

    /** Nine users on 127.0.0.3 to .11, each authenticated. */
    private void nineUsers(final InboundSessionLimiter limiter) {
        for (int host = 3; host <= 11; host++) {
            final SessionConnection user = limiter.admit(Remote.computer(host));
            user.authenticate("user" + host, "Windows 2002 Service Pack 2 2600");
            users.add(user);
        }
    }

    /** Time passes; the users keep working (activity every minute), the culprit does nothing. */
    private void minutesOfWork(final int minutes) {
        for (int minute = 0; minute < minutes; minute++) {
            clock.advance(Duration.ofMinutes(1));
            users.forEach(SessionConnection::touch);
        }
    }

    @Test
    void theStuckNullSessionHoldsItsPlaceAndTheEleventhComputerGetsError71() {
        final InboundSessionLimiter xpPro = InboundSessionLimiter.builder().clock(clock).build();
        final ClosedFlag culpritSocket = new ClosedFlag();
        final OpenHandle pipe = stuckPrinterPipe(xpPro, culpritSocket);
        nineUsers(xpPro);

        minutesOfWork(2);
        final SessionInfo afterTwoMinutes = xpPro.sessions().find("127.0.0.2").orElseThrow();
        minutesOfWork(14);
        final SessionInfo culprit = xpPro.sessions().find("\\\\127.0.0.2").orElseThrow();

        assertEquals(Duration.ofMinutes(2), afterTwoMinutes.idleTime(), "past the 60 s null-session timeout");
        assertEquals(Duration.ofMinutes(16), culprit.idleTime(), "past the 15 min AutoDisconnect, and growing");
        assertTrue(culprit.nullSession());
        assertEquals("", culprit.userName());
        assertEquals(1, culprit.opens());
        assertTrue(pipe.isOpen());
        assertFalse(culpritSocket.closed());
        assertEquals(10, xpPro.stats().sessions());
        assertTrue(xpPro.sessions().render().contains(
                "\\\\127.0.0.2                                                       1 00:16:00\n"),
                xpPro.sessions().render());

        final SessionLimitExceededException refusal =
                assertThrows(SessionLimitExceededException.class, () -> xpPro.admit(Remote.computer(12)));
        assertEquals(71, refusal.errorCode());
        assertEquals("This remote computer has reached its connection limit, you cannot connect at this time.",
                refusal.errorText());
        assertEquals(10, refusal.sessions());
    }

    @Test
    @DisplayName("net session /delete \\\\culprit ends the stuck session, closes its pipe, and the eleventh gets in")
    void netSessionDeleteResolvesIt() {
        final InboundSessionLimiter xpPro = InboundSessionLimiter.builder().clock(clock).build();
        final ClosedFlag culpritSocket = new ClosedFlag();
        final OpenHandle pipe = stuckPrinterPipe(xpPro, culpritSocket);
        nineUsers(xpPro);
        minutesOfWork(16);
        assertThrows(SessionLimitExceededException.class, () -> xpPro.admit(Remote.computer(12)));

        assertEquals(1, xpPro.disconnect("\\\\127.0.0.2"));

        assertEquals(1, culpritSocket.closes());
        assertFalse(pipe.isOpen());
        assertDoesNotThrow(() -> xpPro.admit(Remote.computer(12)));
        assertEquals(10, xpPro.stats().sessions());
        assertEquals(1, xpPro.stats().disconnected());
    }

    @Test
    @DisplayName("with null sessions restricted (RestrictAnonymous) the culprit never takes a place: the eleventh gets in")
    void restrictAnonymousResolvesIt() {
        final InboundSessionLimiter restricted = InboundSessionLimiter.builder()
                .restrictAnonymous(true).clock(clock).build();
        final ClosedFlag culpritSocket = new ClosedFlag();
        final SessionConnection culprit = restricted.admit(ConnectionInfo.from(Remote.computer(2)), culpritSocket);

        final AnonymousSessionRefusedException refusal =
                assertThrows(AnonymousSessionRefusedException.class, culprit::authenticateAnonymously);
        culprit.close();                       // the server closes a connection whose logon failed
        nineUsers(restricted);
        minutesOfWork(16);

        assertEquals(5, refusal.errorCode());
        assertTrue(restricted.sessions().find("127.0.0.2").isEmpty());
        assertDoesNotThrow(() -> restricted.admit(Remote.computer(12)));
        assertEquals(10, restricted.stats().sessions());
        assertEquals(0, restricted.stats().nullSessions());
    }

    @Test
    @DisplayName("without the stuck pipe the null session expires after 60 s and frees its place on its own")
    void withoutTheStuckPipeTheNullSessionFreesItsPlaceOnItsOwn() {
        final InboundSessionLimiter xpPro = InboundSessionLimiter.builder().clock(clock).build();
        final ClosedFlag culpritSocket = new ClosedFlag();
        final OpenHandle pipe = stuckPrinterPipe(xpPro, culpritSocket);
        nineUsers(xpPro);

        pipe.close();                          // OpenPrinter answered after all
        minutesOfWork(2);

        assertTrue(culpritSocket.closed());
        assertEquals(1, xpPro.stats().expiredNullSessions());
        assertDoesNotThrow(() -> xpPro.admit(Remote.computer(12)));
    }
}
