package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.halfopen.time.VirtualClock;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A session is keyed by (remote computer, user)")
class SessionKeyingTest {

    private final VirtualClock clock = new VirtualClock();
    private final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock).build();

    @Test
    void allConnectionsFromOneComputerShareOneSessionWithAnEmptyUserName() {
        limiter.admit(Remote.computer(2, 40_001));
        limiter.admit(Remote.computer(2, 40_002));
        limiter.admit(Remote.computer(2, 40_003));

        final SessionInfo only = limiter.sessions().rows().get(0);
        assertEquals(1, limiter.sessions().size());
        assertEquals("127.0.0.2", only.computer());
        assertEquals("", only.userName());
        assertEquals(3, only.connections());
    }

    @Test
    void theComputerIsTheRemoteIpAddressWithoutThePort() {
        limiter.admit(Remote.computer(2, 1));
        limiter.admit(Remote.computer(3, 1));

        assertEquals(2, limiter.sessions().size());
    }

    @Test
    @DisplayName("an IPv4-mapped IPv6 address (::ffff:127.0.0.2) is the same computer as 127.0.0.2")
    void ipv4MappedIpv6AddressCountsAsItsIpv4Address() throws Exception {
        final byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 2};
        final InetSocketAddress v6 = new InetSocketAddress(Inet6Address.getByAddress(null, mapped, -1), 40_001);

        limiter.admit(Remote.computer(2));
        limiter.admit(v6);

        assertEquals(1, limiter.sessions().size());
        assertEquals(2, limiter.sessions().rows().get(0).connections());
        assertEquals("127.0.0.2", ConnectionInfo.from(v6).computer());
    }

    @Test
    @DisplayName("a real IPv6 address is its own computer, named in RFC 5952's form")
    void aRealIpv6AddressIsItsOwnComputer() {
        final byte[] loopback6 = new byte[16];
        loopback6[15] = 1;

        assertEquals("::1", ConnectionInfo.from(Remote.address(loopback6, 1)).computer());
    }

    @Test
    @DisplayName("the protocol may name the computer (NAT, NetBIOS); names compare ignoring case and a leading \\\\")
    void theProtocolMayNameTheComputer() {
        limiter.admit(ConnectionInfo.from(Remote.computer(2)).withComputer("WORKSTATION7"));
        limiter.admit(ConnectionInfo.from(Remote.computer(3)).withComputer("\\\\workstation7"));

        assertEquals(1, limiter.sessions().size());
        assertEquals("WORKSTATION7", limiter.sessions().rows().get(0).computer());
    }

    @Test
    void aSecondAuthenticatedUserFromTheSameComputerOpensASecondSession() {
        limiter.admit(ConnectionInfo.from(Remote.computer(2)).withUser("alice", "Windows 2002 Service Pack 2 2600"));
        limiter.admit(ConnectionInfo.from(Remote.computer(2)).withUser("bob", ""));
        limiter.admit(ConnectionInfo.from(Remote.computer(2)).withUser("ALICE", ""));

        final SessionTable table = limiter.sessions();
        assertEquals(2, table.size());
        assertEquals("alice", table.rows().get(0).userName());
        assertEquals(2, table.rows().get(0).connections());
        assertEquals("bob", table.rows().get(1).userName());
    }

    @Test
    @DisplayName("each anonymous connection is a null session of its own, even from one computer (KB 328459)")
    void eachAnonymousConnectionIsItsOwnNullSession() {
        final SessionConnection first = limiter.admit(ConnectionInfo.from(Remote.computer(2)).asAnonymous());
        final SessionConnection second = limiter.admit(ConnectionInfo.from(Remote.computer(2)).asAnonymous());

        assertNotSame(first, second);
        assertEquals(2, limiter.sessions().size());
        assertEquals(2, limiter.stats().nullSessions());
        limiter.sessions().rows().forEach(row -> assertEquals(1, row.connections()));
    }
}
