package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.SessionInfo;
import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("InboundSessionLimitHandler on a real loopback server")
class InboundSessionLimitHandlerTest {

    private final List<Client> clients = new ArrayList<>();
    private SessionServer server;

    @AfterEach
    void tearDown() {
        clients.forEach(Client::close);
        if (server != null) {
            server.close();
        }
    }

    private Client connect(final int host) {
        final Client client = new Client(host, server.address());
        clients.add(client);
        return client;
    }

    private Client connectAdmitted(final int host) {
        final Client client = connect(host);
        assertEquals(SessionServer.GREETING, client.readLine(), "127.0.0." + host + " should be admitted");
        return client;
    }

    private SessionInfo sessionOf(final int host) {
        return server.limiter().sessions().find("127.0.0." + host).orElseThrow();
    }

    @Test
    void tenComputersAreAdmittedAndTheEleventhReadsTheRefusalLineThenEndOfStream() throws Exception {
        server = new SessionServer(InboundSessionLimiter.xpProfessional());
        for (int host = 2; host <= 11; host++) {
            connectAdmitted(host);
        }

        final Client eleventh = connect(12);

        assertEquals(SessionServer.REFUSAL_LINE, eleventh.readLine());
        assertTrue(eleventh.atEndOfStream());
        assertEquals(10, server.limiter().stats().sessions());
        assertEquals(1, server.limiter().stats().refused());
        assertEquals(10, server.admittedChannels().size(), "the refused channel never reached the protocol");
    }

    @Test
    void aSecondConnectionFromAnAdmittedComputerJoinsItsSession() throws Exception {
        server = new SessionServer(InboundSessionLimiter.xpHome());
        for (int host = 2; host <= 6; host++) {
            connectAdmitted(host);
        }

        connectAdmitted(4);

        assertEquals(2, sessionOf(4).connections());
        assertEquals(5, server.limiter().stats().sessions());
        assertEquals(6, server.limiter().stats().openConnections());
    }

    @Test
    @DisplayName("a second connection from an authenticated computer joins its session when ten are connected")
    void anAuthenticatedComputersNextConnectionJoinsItsSessionWhenTheTableIsFull() throws Exception {
        server = new SessionServer(InboundSessionLimiter.xpProfessional());
        for (int host = 2; host <= 11; host++) {
            final Client user = connectAdmitted(host);
            user.send("USER user" + host);
            assertEquals("235 ok", user.readLine());
        }

        connectAdmitted(5);

        assertEquals(10, server.limiter().stats().sessions());
        assertEquals(0, server.limiter().stats().refused());
        assertEquals("user5", sessionOf(5).userName());
        assertEquals(2, sessionOf(5).connections());
    }

    @Test
    void afterOneComputerLeavesANewOneIsAdmitted() throws Exception {
        server = new SessionServer(InboundSessionLimiter.xpHome());
        final Client leaving = connectAdmitted(2);
        for (int host = 3; host <= 6; host++) {
            connectAdmitted(host);
        }
        assertEquals(SessionServer.REFUSAL_LINE, connect(7).readLine());

        leaving.close();
        Await.until("127.0.0.2's session ends", () -> server.limiter().sessions().find("127.0.0.2").isEmpty());

        connectAdmitted(7);
        assertEquals(5, server.limiter().stats().sessions());
    }

    @Test
    @DisplayName("XP Home admits 5 computers and refuses the 6th")
    void xpHomeAdmitsFiveComputers() throws Exception {
        server = new SessionServer(InboundSessionLimiter.xpHome());
        for (int host = 2; host <= 6; host++) {
            connectAdmitted(host);
        }

        for (int host = 7; host <= 9; host++) {
            final Client refused = connect(host);
            assertEquals(SessionServer.REFUSAL_LINE, refused.readLine());
            assertTrue(refused.atEndOfStream());
        }
        assertEquals(3, server.limiter().stats().refused());
    }

    @Test
    @DisplayName("disconnect(\\\\\\\\computer) closes every channel of that computer")
    void disconnectClosesAllChannelsOfTheComputer() throws Exception {
        server = new SessionServer(InboundSessionLimiter.xpProfessional());
        final Client first = connectAdmitted(2);
        final Client second = connectAdmitted(2);
        final Client bystander = connectAdmitted(3);

        assertEquals(1, server.limiter().disconnect("\\\\127.0.0.2"));

        assertTrue(first.atEndOfStream());
        assertTrue(second.atEndOfStream());
        Await.until("the server closes both channels", () -> server.admittedChannels().size() == 1);
        assertEquals(1, server.limiter().stats().sessions());
        assertEquals(1, server.limiter().stats().openConnections());
        bystander.send("NOOP");
        assertEquals(1, sessionOf(3).connections());
    }

    @Test
    void autoDisconnectClosesTheChannelsOfAnIdleSession() throws Exception {
        final VirtualClock clock = new VirtualClock();
        server = new SessionServer(InboundSessionLimiter.builder().clock(clock).build());
        final Client idle = connectAdmitted(2);

        clock.advance(Duration.ofMinutes(15));

        assertTrue(idle.atEndOfStream());
        assertEquals(1, server.limiter().stats().autoDisconnected());
        Await.until("the session table is empty", () -> server.limiter().stats().openConnections() == 0);
    }

    @Test
    void readsAndWritesRefreshTheIdleTime() throws Exception {
        final VirtualClock clock = new VirtualClock();
        server = new SessionServer(InboundSessionLimiter.builder().clock(clock).build());
        final Client client = connectAdmitted(2);
        clock.advance(Duration.ofMinutes(10));
        assertEquals(Duration.ofMinutes(10), sessionOf(2).idleTime());

        client.send("NOOP");

        Await.until("the read refreshes the idle time", () -> sessionOf(2).idleTime().isZero());
        clock.advance(Duration.ofMinutes(10));
        assertEquals(1, server.limiter().stats().sessions(), "20 minutes old, but only 10 idle");
    }

    @Test
    void theProtocolNamesTheUserAfterAuthentication() throws Exception {
        server = new SessionServer(InboundSessionLimiter.xpProfessional());
        final Client alice = connectAdmitted(2);
        connectAdmitted(2);

        alice.send("USER alice");
        assertEquals("235 ok", alice.readLine());

        final List<SessionInfo> rows = server.limiter().sessions().rows();
        assertEquals(1, rows.size(), "the first user to authenticate names the computer's session");
        assertEquals("alice", rows.get(0).userName());
        assertEquals("TestClient 1.0", rows.get(0).clientType());
        assertEquals(2, rows.get(0).connections());
        System.out.print(server.limiter().sessions().render());
    }
}
