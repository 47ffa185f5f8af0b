package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.agent.programs.SaturatedHost;
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
 * UDP replies go out at once. The child's throttle is read through its MBean.
 */
@Tag("child-jvm")
class InboundAndUdpJvmTest {

    @Test
    void inboundConnectionsAndUdpGoThroughWhileEveryOutboundSlotIsTaken() throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final InetSocketAddress drop = peers.dropping();
            try (ChildJvm.Running child = ChildJvm.start(List.of(ChildJvm.javaagent("halfOpenTimeout=60s")),
                    SaturatedHost.class, drop.getHostString() + ":" + drop.getPort(), "12")) {
                final String ready = child.awaitLine("READY", Duration.ofSeconds(30));
                final int tcp = Integer.parseInt(ready.replaceAll(".*tcp=(\\d+).*", "$1"));
                final int udp = Integer.parseInt(ready.replaceAll(".*udp=(\\d+).*", "$1"));
                long slowestInbound = 0;
                for (int i = 0; i < 20; i++) {
                    final long start = System.nanoTime();
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp), 5000);
                        s.setSoTimeout(5000);
                        final String hello = new BufferedReader(new InputStreamReader(s.getInputStream(),
                                StandardCharsets.US_ASCII)).readLine();
                        assertEquals("hello", hello);
                    }
                    slowestInbound = Math.max(slowestInbound, System.nanoTime() - start);
                }
                long slowestUdp = 0;
                try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                    socket.setSoTimeout(5000);
                    for (int i = 0; i < 20; i++) {
                        final byte[] ping = ("ping " + i).getBytes(StandardCharsets.US_ASCII);
                        final long start = System.nanoTime();
                        socket.send(new DatagramPacket(ping, ping.length, InetAddress.getLoopbackAddress(), udp));
                        final DatagramPacket pong = new DatagramPacket(new byte[64], 64);
                        socket.receive(pong);
                        assertEquals("ping " + i, new String(pong.getData(), 0, pong.getLength(),
                                StandardCharsets.US_ASCII));
                        slowestUdp = Math.max(slowestUdp, System.nanoTime() - start);
                    }
                }
                child.send("DONE");
                final ChildJvm.Result result = child.await(Duration.ofSeconds(30));
                System.out.println("inbound and UDP while saturated: slowest inbound connect+greeting "
                        + slowestInbound / 1_000_000 + " ms, slowest UDP round trip " + slowestUdp / 1_000_000
                        + " ms; child " + result.result());
                assertEquals(20, result.count("accepted"), result::toString);
                assertEquals(20, result.count("echoed"), result::toString);
                // the throttle was full the whole time: nothing inbound or UDP went through a slot or waited
                assertEquals(10, result.count("halfOpen"), result::toString);
                assertEquals(2, result.count("queued"), result::toString);
                // generous: the point is "not queued behind 60 s half-open connects", not a latency figure
                assertTrue(slowestInbound < 2_000_000_000L, "inbound took " + slowestInbound + " ns");
                assertTrue(slowestUdp < 2_000_000_000L, "UDP took " + slowestUdp + " ns");
                assertEquals("socket,channel-blocking,channel-adaptor,channel-non-blocking,async",
                        result.result().get("limitedPaths"));
            }
        }
    }
}
