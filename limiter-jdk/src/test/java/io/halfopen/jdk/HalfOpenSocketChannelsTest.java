package io.halfopen.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.testkit.LoopbackPeers;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@link HalfOpenSocketChannels#connect} does to a blocking {@link SocketChannel}. */
class HalfOpenSocketChannelsTest {

    private final LoopbackPeers peers = new LoopbackPeers();
    private final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("channels").maxHalfOpen(1)
            .halfOpenTimeout(Duration.ofSeconds(30)).build();
    private final HalfOpenSocketChannels channels = new HalfOpenSocketChannels(limiter);

    @AfterEach
    void closePeers() {
        peers.close();
    }

    private void assertDrained() {
        assertEquals(0, limiter.stats().halfOpen(), limiter::toString);
        assertEquals(0, limiter.stats().queued(), limiter::toString);
    }

    private CompletableFuture<SocketChannel> connectInBackground(final SocketChannel channel,
            final InetSocketAddress remote, final int timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                channels.connect(channel, remote, timeout);
                return channel;
            } catch (final IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    @Test
    void aBlockingChannelConnectsThroughTheLimiter() throws Exception {
        try (SocketChannel channel = SocketChannel.open()) {
            channels.connect(channel, peers.accepting(), 3000);
            assertTrue(channel.isConnected());
        }
        assertEquals(1, limiter.stats().established());
        assertDrained();
    }

    @Test
    void aRefusedChannelConnectIsReportedRefused() throws Exception {
        try (SocketChannel channel = SocketChannel.open()) {
            assertThrows(ConnectException.class, () -> channels.connect(channel, peers.refusing(), 3000));
            assertTrue(!channel.isOpen(), "a failed connect closes the channel");
        }
        assertEquals(1, limiter.stats().refused());
        assertDrained();
    }

    @Test
    void theQueueWaitIsChargedToTheTimeout() throws Exception {
        final InetSocketAddress accepting = peers.accepting();
        final ConnectAttempt held = limiter.acquire(accepting, Duration.ofSeconds(5));
        try (SocketChannel channel = SocketChannel.open()) {
            final long start = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> channels.connect(channel, accepting, 300));
            final long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took >= 250 && took < 3000, "took " + took + " ms");
        }
        held.cancel();
        assertDrained();
    }

    @Test
    void aChannelClosedByAnotherThreadStopsWaitingWithinAFewMilliseconds() throws Exception {
        final InetSocketAddress accepting = peers.accepting();
        final ConnectAttempt held = limiter.acquire(accepting, Duration.ofSeconds(5));
        final SocketChannel channel = SocketChannel.open();
        final CompletableFuture<SocketChannel> connecting = connectInBackground(channel, accepting, 0);
        Await.until(() -> limiter.stats().queued() == 1, limiter::toString);
        final long start = System.nanoTime();
        channel.close();
        final ExecutionException e = assertThrows(ExecutionException.class, () -> connecting.get(5, TimeUnit.SECONDS));
        final long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(SocketException.class, e.getCause());
        assertTrue(took < 1000, "ended " + took + " ms after the close (probe every 10 ms)");
        assertEquals(0, limiter.stats().queued());
        held.cancel();
        assertDrained();
    }

    @Test
    void badChannelsAndAddressesAreRefusedWithoutAnAttempt() throws Exception {
        final InetSocketAddress accepting = peers.accepting();
        try (SocketChannel nonBlocking = SocketChannel.open()) {
            nonBlocking.configureBlocking(false);
            assertThrows(IllegalBlockingModeException.class, () -> channels.connect(nonBlocking, accepting, 1000));
        }
        final SocketChannel closed = SocketChannel.open();
        closed.close();
        assertThrows(ClosedChannelException.class, () -> channels.connect(closed, accepting, 1000));
        try (SocketChannel channel = SocketChannel.open()) {
            assertThrows(UnknownHostException.class,
                    () -> channels.connect(channel, InetSocketAddress.createUnresolved("mx.example.invalid", 25), 1000));
            assertThrows(IllegalArgumentException.class, () -> channels.connect(channel, accepting, -5));
            assertThrows(NullPointerException.class, () -> channels.connect(channel, null, 1000));
            assertEquals(0, limiter.stats().granted() + limiter.stats().throttled());
            channels.connect(channel, accepting, 1000);
            assertThrows(AlreadyConnectedException.class, () -> channels.connect(channel, accepting, 1000));
        }
        assertEquals(1, limiter.stats().granted());
        assertDrained();
    }
}
