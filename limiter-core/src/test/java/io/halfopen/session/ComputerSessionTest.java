package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.halfopen.time.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, defect 1: all connections from one computer are one session (KB 328459, KB 314882); only a second
 * user context, once it authenticates, is a second session.
 */
@DisplayName("A computer that holds a session is never refused another connection")
class ComputerSessionTest {

    private final VirtualClock clock = new VirtualClock();
    private final InboundSessionLimiter xpPro = InboundSessionLimiter.builder().clock(clock).build();

    /** Ten computers, 127.0.0.2 to .11, each with one connection authenticated as user{host}. */
    private List<SessionConnection> tenAuthenticatedComputers() {
        final List<SessionConnection> connections = new ArrayList<>();
        for (int host = 2; host <= 11; host++) {
            final SessionConnection connection = xpPro.admit(Remote.computer(host, 1));
            connection.authenticate("user" + host, "Windows 2002 Service Pack 2 2600");
            connections.add(connection);
        }
        assertEquals(10, xpPro.stats().sessions());
        return connections;
    }

    @Test
    void anAuthenticatedComputersNextConnectionJoinsItsSessionWhenTheTableIsFull() {
        tenAuthenticatedComputers();

        final SessionConnection second = assertDoesNotThrow(() -> xpPro.admit(Remote.computer(5, 2)));

        assertEquals(10, xpPro.stats().sessions());
        assertEquals(0, xpPro.stats().refused());
        final SessionInfo row = xpPro.sessions().find("127.0.0.5").orElseThrow();
        assertEquals("user5", row.userName());
        assertEquals(2, row.connections());
        assertEquals(1, xpPro.sessions().rows().stream().filter(r -> r.computer().equals("127.0.0.5")).count());
        assertEquals("", second.info().userName(), "it joined without authenticating");
    }

    @Test
    void aJoinedConnectionThatNeverAuthenticatesLeavesTheComputerOneSession() {
        final List<SessionConnection> first = tenAuthenticatedComputers();
        final SessionConnection second = xpPro.admit(Remote.computer(5, 2));

        first.get(3).close();   // 127.0.0.5's authenticated connection leaves; the joined one stays

        assertEquals(10, xpPro.stats().sessions(), "the computer still holds exactly one session");
        assertEquals(1, xpPro.sessions().find("127.0.0.5").orElseThrow().connections());
        second.close();
        assertEquals(9, xpPro.stats().sessions());
        assertDoesNotThrow(() -> xpPro.admit(Remote.computer(12)));
    }

    @Test
    void aJoinedConnectionThatAuthenticatesAsTheSameUserStaysInTheSession() {
        tenAuthenticatedComputers();
        final SessionConnection second = xpPro.admit(Remote.computer(5, 2));

        assertDoesNotThrow(() -> second.authenticate("USER5", "Windows 2002 Service Pack 2 2600"));

        assertEquals(10, xpPro.stats().sessions());
        assertEquals(2, xpPro.sessions().find("127.0.0.5").orElseThrow().connections());
    }

    @Test
    @DisplayName("a second user context from the same computer is a second session and is refused at the limit")
    void aSecondUserContextIsASecondSession() {
        tenAuthenticatedComputers();
        final SessionConnection second = xpPro.admit(Remote.computer(5, 2));

        final SessionLimitExceededException refusal =
                assertThrows(SessionLimitExceededException.class, () -> second.authenticate("bob", ""));

        assertEquals("bob", refusal.userName());
        assertEquals(2, xpPro.sessions().find("127.0.0.5").orElseThrow().connections(), "it stays where it was");
        assertEquals(1, xpPro.stats().refused());
    }

    @Test
    @DisplayName("the first user to authenticate names the computer's session, with every connection in it")
    void theFirstUserToAuthenticateNamesTheComputersSession() {
        final InboundSessionLimiter two = InboundSessionLimiter.builder().maxSessions(2).clock(clock).build();
        two.admit(Remote.computer(2));
        final SessionConnection first = two.admit(Remote.computer(3, 1));
        final SessionConnection other = two.admit(Remote.computer(3, 2));

        assertDoesNotThrow(() -> first.authenticate("alice", "Windows 2002 Service Pack 2 2600"));

        final SessionInfo row = two.sessions().find("127.0.0.3").orElseThrow();
        assertEquals("alice", row.userName());
        assertEquals(2, row.connections());
        assertEquals(2, two.stats().sessions());
        assertEquals("", other.info().userName());
        assertThrows(SessionLimitExceededException.class, () -> other.authenticate("bob", ""),
                "bob is a second user context of a computer whose session is alice's");
    }

    @Test
    void aNamedConnectionFromAComputerWithAnUnnamedSessionNamesThatSession() {
        final InboundSessionLimiter one = InboundSessionLimiter.builder().maxSessions(1).clock(clock).build();
        one.admit(Remote.computer(2, 1));

        assertDoesNotThrow(() -> one.admit(ConnectionInfo.from(Remote.computer(2, 2)).withUser("alice", "")));

        assertEquals(1, one.stats().sessions());
        assertEquals("alice", one.sessions().rows().get(0).userName());
        assertEquals(2, one.sessions().rows().get(0).connections());
    }

    @Test
    void aNullSessionIsNeverJoinedByANamedConnection() {
        final InboundSessionLimiter one = InboundSessionLimiter.builder().maxSessions(1).clock(clock).build();
        one.admit(ConnectionInfo.from(Remote.computer(2)).asAnonymous());

        assertThrows(SessionLimitExceededException.class, () -> one.admit(Remote.computer(2, 2)),
                "a null session counts separately (KB 328459); the computer's ordinary connection needs a session");
    }
}
