package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The session table: net session and net session /delete")
class NetSessionTableTest {

    private final VirtualClock clock = new VirtualClock();
    private final InboundSessionLimiter limiter = InboundSessionLimiter.builder()
            .autoDisconnectMinutes(-1).nullSessionIdleTimeout(Duration.ofHours(2)).clock(clock).build();

    @Test
    @DisplayName("renders like XP's net session; Opens counts open files and pipes, not connections")
    void rendersLikeXpsNetSession() {
        limiter.admit(Remote.computer(2));
        limiter.admit(ConnectionInfo.from(Remote.computer(10)).withUser("ADMINISTRATOR",
                "Windows 2002 Service Pack 2 2600"));
        clock.advance(Duration.ofSeconds(3));
        final SessionConnection second = limiter.admit(Remote.computer(3, 1));
        limiter.admit(Remote.computer(3, 2)).open("\\Documents\\report.doc");
        limiter.admit(ConnectionInfo.from(Remote.computer(3)).asAnonymous()).open("\\PIPE\\spoolss");
        second.open("\\Documents\\budget.xls");
        clock.advance(Duration.ofSeconds(2));
        second.touch();
        clock.advance(Duration.ofHours(1).plusMinutes(2));

        assertEquals(""
                + "Computer               User name            Client Type       Opens Idle time\n"
                + "-------------------------------------------------------------------------------\n"
                + "\\\\127.0.0.10           ADMINISTRATOR        Windows 2002 Serv     0 01:02:05\n"
                + "\\\\127.0.0.2                                                       0 01:02:05\n"
                + "\\\\127.0.0.3                                                       2 01:02:00\n"
                + "\\\\127.0.0.3                                                       1 01:02:02\n"
                + "The command completed successfully.\n", limiter.sessions().render());
    }

    @Test
    void anEmptyTableSaysSo() {
        assertEquals("There are no entries in the list.\n", limiter.sessions().render());
    }

    @Test
    void theSnapshotIsImmutableAndDoesNotFollowTheLimiter() {
        final SessionConnection connection = limiter.admit(Remote.computer(2));
        final SessionTable before = limiter.sessions();

        connection.close();

        assertEquals(1, before.size());
        assertEquals(0, limiter.sessions().size());
    }

    @Test
    @DisplayName("disconnect(\\\\\\\\computer) ends every session of that computer and closes its connections")
    void disconnectEndsEverySessionOfTheComputer() {
        final ClosedFlag first = new ClosedFlag();
        final ClosedFlag second = new ClosedFlag();
        final ClosedFlag alice = new ClosedFlag();
        final ClosedFlag anonymous = new ClosedFlag();
        final ClosedFlag bystander = new ClosedFlag();
        limiter.admit(ConnectionInfo.from(Remote.computer(2, 1)), first);
        limiter.admit(ConnectionInfo.from(Remote.computer(2, 2)), second);
        limiter.admit(ConnectionInfo.from(Remote.computer(2, 3)).withUser("alice", ""), alice);
        final OpenHandle pipe = limiter.admit(ConnectionInfo.from(Remote.computer(2, 4)).asAnonymous(), anonymous)
                .open("\\PIPE\\spoolss");
        limiter.admit(ConnectionInfo.from(Remote.computer(3)), bystander);

        assertEquals(2, limiter.disconnect("\\\\127.0.0.2"), "alice's session and the null session");

        assertTrue(first.closed() && second.closed() && alice.closed() && anonymous.closed());
        assertFalse(pipe.isOpen(), "net session /delete closes the session's open files");
        assertEquals(0, limiter.stats().openHandles());
        assertFalse(bystander.closed());
        assertEquals(1, limiter.stats().sessions());
        assertEquals(1, limiter.stats().openConnections());
        assertEquals(2, limiter.stats().disconnected());
        assertEquals(0, limiter.disconnect("127.0.0.2"), "nothing left to disconnect");
    }
}
