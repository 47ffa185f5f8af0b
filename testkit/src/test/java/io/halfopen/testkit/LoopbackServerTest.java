package io.halfopen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Netty loopback server counts its children and builds their pipelines as told. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class LoopbackServerTest {

    /** Closes each child as soon as it is active: the pipeline the test builds. */
    @ChannelHandler.Sharable
    static final class Bye extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(final ChannelHandlerContext ctx) {
            ctx.close();
        }
    }

    @Test
    void everyChildGetsThePipelineAndIsCountedUntilItCloses() throws IOException {
        try (LoopbackServer server = LoopbackServer.start(new Bye())) {
            assertTrue(server.address().getAddress().isLoopbackAddress());
            for (int i = 0; i < 3; i++) {
                try (SocketChannel client = SocketChannel.open(server.address())) {
                    assertEquals(-1, client.read(ByteBuffer.allocate(1)), "the pipeline closes the child");
                }
            }
            server.awaitDrained(3, Duration.ofSeconds(10));
            assertEquals(3, server.accepted());
            assertEquals(0, server.open());
        }
    }

    @Test
    void awaitDrainedSaysHowFarTheServerGot() throws IOException {
        try (LoopbackServer server = LoopbackServer.builder().threads(2).threadName("held").start();
             SocketChannel held = SocketChannel.open(server.address())) {
            // the kernel completes the connect before the server's event loop accepts it: wait for that first
            // (on a busy machine it took longer than the 200 ms below), so that the message is deterministic
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.accepted() != 1 || server.open() != 1) {
                assertTrue(System.nanoTime() - deadline < 0, "the server never accepted the held connect");
                Thread.onSpinWait();
            }
            final IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> server.awaitDrained(1, Duration.ofMillis(200)));
            assertEquals("loopback server: accepted 1 of 1 connects, 1 children still open after 200 ms",
                    e.getMessage());
        }
    }

    @Test
    void aServerListensOnLoopbackOnly() throws IOException {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoopbackServer.builder().address(InetAddress.getByName("192.0.2.1")));
        assertTrue(e.getMessage().contains("192.0.2.1"), e.getMessage());
    }
}
