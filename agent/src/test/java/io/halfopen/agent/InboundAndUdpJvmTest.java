package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.agent.programs.SaturatedHost;
import io.halfopen.testkit.LoopbackPeers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Inbound connections and UDP are never delayed: with every outbound slot of the child's throttle taken (10
 * connects half-open to a dropping peer, 2 more queued), connections into the child are accepted at once and its
 * UDP replies go out at once (a test for each). The child's throttle is read through its MBean.
 */
@Tag("child-jvm")
class InboundAndUdpJvmTest {

    /** What the saturated child saw, and the slowest exchange the test measured. */
    private record Served(ChildJvm.Result child, long slowestNanos) {
    }

    @FunctionalInterface
    private interface Exchange {
        void run(int tcpPort, int udpPort) throws Exception;
    }

    private static Served whileSaturated(final Exchange exchange) throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final InetSocketAddress drop = peers.dropping();
            try (ChildJvm.Running child = ChildJvm.start(List.of(ChildJvm.javaagent("halfOpenTimeout=60s")),
                    SaturatedHost.class, drop.getHostString() + ":" + drop.getPort(), "12")) {
                final String ready = child.awaitLine("READY", Duration.ofSeconds(30));
                final int tcp = Integer.parseInt(ready.replaceAll(".*tcp=(\\d+).*", "$1"));
                final int udp = Integer.parseInt(ready.replaceAll(".*udp=(\\d+).*", "$1"));
                final long[] slowest = new long[1];
                for (int i = 0; i < 20; i++) {
                    final long start = System.nanoTime();
                    exchange.run(tcp, udp);
                    slowest[0] = Math.max(slowest[0], System.nanoTime() - start);
                }
                child.send("DONE");
                final ChildJvm.Result result = child.await(Duration.ofSeconds(30));
                // the throttle was full the whole time: 10 half-open, 2 queued
                assertEquals(10, result.count("halfOpen"), result::toString);
                assertEquals(2, result.count("queued"), result::toString);
                assertEquals("socket,channel-blocking,channel-adaptor,channel-non-blocking,async",
                        result.result().get("limitedPaths"));
                return new Served(result, slowest[0]);
            }
        }
    }

    @Test
    void inboundConnectionsAreAcceptedAtOnceWhileEveryOutboundSlotIsTaken() throws Exception {
        final Served served = whileSaturated((tcp, udp) -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp), 5000);
                s.setSoTimeout(5000);
                assertEquals("hello", new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine());
            }
        });
        System.out.println("inbound while saturated: slowest connect+greeting " + served.slowestNanos() / 1_000_000
                + " ms; child " + served.child().result());
        assertEquals(20, served.child().count("accepted"), served.child()::toString);
        // generous: the point is "not queued behind 60 s half-open connects", not a latency figure
        assertTrue(served.slowestNanos() < 2_000_000_000L, "inbound took " + served.slowestNanos() + " ns");
    }

    @Test
    void udpGoesOutAtOnceWhileEveryOutboundSlotIsTaken() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(5000);
            final int[] serial = new int[1];
            final Served served = whileSaturated((tcp, udp) -> {
                final byte[] ping = ("ping " + serial[0]).getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(ping, ping.length, InetAddress.getLoopbackAddress(), udp));
                final DatagramPacket pong = new DatagramPacket(new byte[64], 64);
                socket.receive(pong);
                assertEquals("ping " + serial[0]++, new String(pong.getData(), 0, pong.getLength(),
                        StandardCharsets.US_ASCII));
            });
            System.out.println("UDP while saturated: slowest round trip " + served.slowestNanos() / 1_000_000
                    + " ms; child " + served.child().result());
            assertEquals(20, served.child().count("echoed"), served.child()::toString);
            assertTrue(served.slowestNanos() < 2_000_000_000L, "UDP took " + served.slowestNanos() + " ns");
        }
    }
}
