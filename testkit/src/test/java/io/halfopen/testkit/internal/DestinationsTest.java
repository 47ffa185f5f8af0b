package io.halfopen.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Matching traced destinations to peers, and the filter that keeps other ports out of the buffer. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DestinationsTest {

    @Test
    void anIpv4PeerMatchesItsMappedFormAndAnIpv6PeerItsOwnAddressOnly() throws Exception {
        final InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("198.18.160.2"), 8080);
        final InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:2:0:1800::2"), 8080);
        final Destinations destinations = Destinations.exactly(List.of(v4, v6));
        assertEquals(0, destinations.index(0, 0xffffL << 32 | 0xc612a002L, 8080));
        assertEquals(1, destinations.index(0x2001000200001800L, 2, 8080));
        assertEquals(-1, destinations.index(0, 0xffffL << 32 | 0xc612a002L, 8081), "another port");
        assertEquals(-1, destinations.index(0, 0xffffL << 32 | 0xc612a003L, 8080), "another address");
        assertEquals(List.of(v4, v6), destinations.all());
    }

    @Test
    void onPortsEveryAddressIsADestinationOfItsOwn() throws Exception {
        final Destinations destinations = Destinations.onPorts(List.of(25));
        final int loopback = destinations.index(0, 0xffffL << 32 | 0x7f000001L, 25);
        final int v6 = destinations.index(0, 1, 25);
        assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 25),
                new InetSocketAddress(InetAddress.getByName("::1"), 25)), destinations.all());
        assertEquals(loopback, destinations.index(0, 0xffffL << 32 | 0x7f000001L, 25), "the same index again");
        assertEquals(1, v6);
        assertEquals(-1, destinations.index(0, 1, 26));
    }

    @Test
    void theKernelFilterKeepsTcpSynSentTransitionsToThePortsWithConsecutivePortsAsRanges() {
        final Destinations destinations = Destinations.onPorts(List.of(8080, 8081, 8082, 8090, 8091, 8093));
        assertEquals("protocol == 6 && (oldstate == 2 || newstate == 2) && ((dport >= 8080 && dport <= 8082)"
                + " || (dport >= 8090 && dport <= 8091) || dport == 8093)", destinations.kernelFilter());
        final List<Integer> scattered = new ArrayList<>();
        for (int port = 1000; port < 3000; port += 2) {
            scattered.add(port);
        }
        assertEquals("protocol == 6 && (oldstate == 2 || newstate == 2)",
                Destinations.onPorts(scattered).kernelFilter(), "too long for the kernel: ports matched here");
    }

    @Test
    void badPeersAreRefusedNamingThem() {
        final IllegalArgumentException unresolved = assertThrows(IllegalArgumentException.class,
                () -> Destinations.exactly(List.of(InetSocketAddress.createUnresolved("example.org", 80))));
        assertTrue(unresolved.getMessage().contains("example.org"), unresolved.getMessage());
        final IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> Destinations.onPorts(List.of(0)));
        assertEquals("a peer's port must be 1 to 65535, was 0", port.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Destinations.exactly(List.of()));
    }
}
