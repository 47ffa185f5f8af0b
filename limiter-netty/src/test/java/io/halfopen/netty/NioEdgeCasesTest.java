package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.testkit.SynSentWatch;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Behaviour on the real NIO transport that the embedded tests cannot show: UDP, and a loop shutting down. */
class NioEdgeCasesTest {

    private final LoopbackPeers peers = new LoopbackPeers();
    private final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).build();
    private EventLoopGroup group;
    private SynSentWatch kernel;

    @SuppressWarnings("deprecation") // NioEventLoopGroup is deprecated in 4.2 but exists in 4.1 and 4.2
    private EventLoopGroup newGroup() {
        group = new NioEventLoopGroup(1);
        return group;
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
        if (kernel != null) {
            kernel.close();
        }
        peers.close();
        limiter.close();
    }

    @Test
    void datagramConnectsAreNeverDelayedEvenWhenEveryChannelIsOptedIn() throws Exception {
        final ConnectAttempt held = HalfOpenLimitHandlerTest.takeSlot(limiter, peers.accepting()); // limit reached
        final ChannelFuture connect = new Bootstrap()
                .group(newGroup())
                .channel(NioDatagramChannel.class)
                .handler(new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS))
                .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9));
        assertTrue(connect.await(10, TimeUnit.SECONDS));
        assertTrue(connect.isSuccess(), () -> String.valueOf(connect.cause()));
        assertEquals(1, limiter.stats().granted(), "only the held slot");
        assertEquals(0, limiter.stats().queued());
        connect.channel().close().sync();
        held.cancel();
    }

    @Test
    void queuedConnectsFailPromptlyWhenTheirEventLoopShutsDown() throws Exception {
        final InetSocketAddress accepting = peers.accepting();
        final ConnectAttempt held = HalfOpenLimitHandlerTest.takeSlot(limiter, accepting); // limit reached
        final Bootstrap bootstrap = new Bootstrap()
                .group(newGroup())
                .channel(NioSocketChannel.class)
                .handler(new HalfOpenLimitHandler(limiter));
        final List<ChannelFuture> connects = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            connects.add(bootstrap.connect(accepting));
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (limiter.stats().queued() < 5) {
            assertTrue(System.nanoTime() < deadline, () -> "never queued: " + limiter.stats());
            Thread.onSpinWait();
        }

        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        for (final ChannelFuture connect : connects) {
            assertTrue(connect.await(5, TimeUnit.SECONDS), "a queued connect hung after its loop shut down");
            assertFalse(connect.isSuccess());
            assertTrue(connect.cause() instanceof ClosedChannelException
                    || connect.cause() instanceof RejectedExecutionException, String.valueOf(connect.cause()));
        }
        assertEquals(0, limiter.stats().queued());
        assertEquals(1, limiter.stats().halfOpen(), "only the held slot");
        held.cancel();
        assertEquals(0, limiter.stats().halfOpen());
    }

    /**
     * A limiter that counts, on the thread that frees each slot and at that instant, the sockets in SYN_SENT
     * towards {@code peer} by the kernel's judge (started here, closed after the test): it must be zero, or the
     * kernel saw one socket more than the limiter.
     */
    private HalfOpenLimiter watchingRelease(final InetSocketAddress peer,
            final java.util.List<Integer> synSentAtRelease) {
        kernel = KernelJudge.watcher().label(getClass().getSimpleName()).watch(java.util.List.of(peer));
        final SynSentWatch watch = kernel;
        return HalfOpenLimiter.builder().maxHalfOpen(1).listener(new io.halfopen.limiter.LimiterListener() {
            @Override
            public void attemptEnded(final ConnectAttempt attempt, final java.time.Duration queueWait,
                    final java.time.Duration halfOpen) {
                synSentAtRelease.add(watch.countNow());
            }
        }).build();
    }

    @Test
    void cancellingAHalfOpenConnectFreesTheSlotOnlyOnceTheKernelSocketIsGone() throws Exception {
        final InetSocketAddress dropping = peers.dropping();
        final java.util.List<Integer> synSentAtRelease = new java.util.concurrent.CopyOnWriteArrayList<>();
        final HalfOpenLimiter limiter = watchingRelease(dropping, synSentAtRelease);
        final ChannelFuture connect = new Bootstrap()
                .group(newGroup())
                .channel(NioSocketChannel.class)
                .handler(new HalfOpenLimitHandler(limiter))
                .connect(dropping);
        awaitTrue(() -> kernel.countNow() == 1, "the connect never reached SYN_SENT");
        assertEquals(1, limiter.stats().halfOpen());

        assertTrue(connect.cancel(false));
        awaitTrue(() -> !synSentAtRelease.isEmpty(), "the slot was never freed");
        assertEquals(java.util.List.of(0), synSentAtRelease, "slot freed while the socket was still in SYN_SENT");
        assertFalse(connect.channel().isOpen());
        assertEquals(1, limiter.stats().cancelled());
    }

    @Test
    void nettysConnectTimeoutEndsTheAttemptAsTimedOutAfterTheSocketIsGone() throws Exception {
        final InetSocketAddress dropping = peers.dropping();
        final java.util.List<Integer> synSentAtRelease = new java.util.concurrent.CopyOnWriteArrayList<>();
        final HalfOpenLimiter limiter = watchingRelease(dropping, synSentAtRelease);
        final ChannelFuture connect = new Bootstrap()
                .group(newGroup())
                .channel(NioSocketChannel.class)
                .option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, 200) // shorter than the 21 s
                .handler(new HalfOpenLimitHandler(limiter))
                .connect(dropping);
        assertTrue(connect.await(10, TimeUnit.SECONDS));
        assertTrue(connect.cause() instanceof io.netty.channel.ConnectTimeoutException, String.valueOf(connect.cause()));
        assertEquals(0, limiter.stats().halfOpen(), "counted before the caller heard");
        assertEquals(java.util.List.of(0), synSentAtRelease, "slot freed while the socket was still in SYN_SENT");
        assertEquals(1, limiter.stats().timedOut());
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition, final String message) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, message);
            Thread.onSpinWait();
        }
    }
}
