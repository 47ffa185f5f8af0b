package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.limiter.QueueTimeoutException;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.time.Scheduler;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A channel's {@code CONNECT_TIMEOUT_MILLIS} bounds the whole connect through the handler, queue wait plus
 * handshake ({@link ConnectTimeoutScope#QUEUE_AND_HANDSHAKE}, the default), or only the handshake
 * ({@link ConnectTimeoutScope#HANDSHAKE_ONLY}, XP's behaviour). Limit 1; a connect to a dropping peer holds the
 * slot. Every scenario runs on every transport with the handler in both {@link HandlerPlacement}s: the budget
 * follows the channel's event loop (where the transport arms its connect timeout), not the handler's executor.
 * Real time on loopback: the bands are generous, and each is far from what the other behaviour gives.
 */
class ConnectTimeoutBudgetTest {

    private final LoopbackPeers peers = new LoopbackPeers();
    private final EventExecutorGroup handlerExecutors = new DefaultEventExecutorGroup(1);
    private EventLoopGroup group;

    @AfterEach
    void tearDown() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
        handlerExecutors.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        peers.close();
    }

    private Bootstrap bootstrap(final TestTransport transport, final HandlerPlacement placement,
            final HalfOpenLimitHandler handler) {
        transport.require();
        group = transport.newGroup(1);
        return placement.install(new Bootstrap().group(group).channel(transport.channelClass()), handler,
                handlerExecutors);
    }

    @ParameterizedTest
    @MethodSource("io.halfopen.netty.HandlerPlacement#everyTransportInEveryPlacement")
    void aConnectStillQueuedWhenItsConnectTimeoutIsSpentFailsWithAQueueTimeoutAndIsNeverIssued(
            final TestTransport transport,
            final HandlerPlacement placement) throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1)
                .halfOpenTimeout(Duration.ofSeconds(4)).build();
        final Bootstrap bootstrap = bootstrap(transport, placement, new HalfOpenLimitHandler(limiter));
        final ChannelFuture holder = bootstrap.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .connect(peers.dropping());
        Await.until("the holder has the slot", () -> limiter.stats().halfOpen() == 1);
        final long start = System.nanoTime();
        final ChannelFuture queued = bootstrap.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 500)
                .connect(peers.accepting());
        assertTrue(queued.await(10, TimeUnit.SECONDS));
        final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        final QueueTimeoutException cause = assertInstanceOf(QueueTimeoutException.class, queued.cause());
        assertEquals(Duration.ofMillis(500), cause.timeout());
        assertTrue(tookMillis >= 450 && tookMillis < 2_500, "failed after " + tookMillis + " ms, budget 500 ms");
        final LimiterStats stats = limiter.stats();
        assertEquals(1, stats.queueTimeouts(), stats::toString);
        assertEquals(1, stats.granted(), "only the holder was ever granted: " + stats);
        holder.channel().close();
    }

    @ParameterizedTest
    @MethodSource("io.halfopen.netty.HandlerPlacement#everyTransportInEveryPlacement")
    void aConnectGrantedLateGetsOnlyWhatTheQueueLeftOfItsConnectTimeout(final TestTransport transport,
            final HandlerPlacement placement)
            throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1)
                .halfOpenTimeout(Duration.ofSeconds(20)).build();
        final Bootstrap bootstrap = bootstrap(transport, placement, new HalfOpenLimitHandler(limiter));
        final ChannelFuture holder = bootstrap.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1_500)
                .connect(peers.dropping()); // frees the slot after 1.5 s (Netty's connect timeout)
        Await.until("the holder has the slot", () -> limiter.stats().halfOpen() == 1);
        final long start = System.nanoTime();
        final ChannelFuture late = bootstrap.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_500)
                .connect(peers.dropping());
        assertTrue(late.await(15, TimeUnit.SECONDS));
        final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(holder.isDone() && holder.cause() instanceof ConnectTimeoutException, "holder: " + holder);
        assertInstanceOf(ConnectTimeoutException.class, late.cause());
        // 1.5 s queued + 1 s half-open = 2.5 s; a handshake given the whole 2.5 s again would end near 4 s.
        assertTrue(tookMillis >= 2_400 && tookMillis < 3_600, "failed after " + tookMillis + " ms, budget 2500");
        assertEquals(2_500, late.channel().config().getConnectTimeoutMillis(), "the channel's own value is kept");
        assertEquals(2, limiter.stats().granted(), limiter.stats()::toString);
        assertEquals(0, limiter.stats().halfOpen(), limiter.stats()::toString);
        // the holder had its whole connect timeout: a timeout the peer earned; the late one had what the queue
        // left of its budget: its caller's budget ran out, which says nothing sure about the peer
        assertEquals(1, limiter.stats().timedOut(), "only the holder is blamed on the peer: " + limiter.stats());
        assertEquals(1, limiter.stats().cancelled(), limiter.stats()::toString);
    }

    @ParameterizedTest
    @MethodSource("io.halfopen.netty.HandlerPlacement#everyTransportInEveryPlacement")
    void aConnectGrantedAfterItsConnectTimeoutWasSpentFailsWithoutASyn(final TestTransport transport,
            final HandlerPlacement placement)
            throws Exception {
        // the limiter's timer runs 2 s late: the queue timer of a 300 ms budget would fire at 2.3 s, and the
        // slot frees 500 ms after the connect queued, granted to a connect whose whole budget is gone
        final Scheduler late = (task, delay, unit) -> Scheduler.system().schedule(task,
                unit.toNanos(delay) + TimeUnit.SECONDS.toNanos(2), TimeUnit.NANOSECONDS);
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).scheduler(late).build();
        final Bootstrap bootstrap = bootstrap(transport, placement, new HalfOpenLimitHandler(limiter));
        final ConnectAttempt holder = limiter.newAttempt(peers.accepting(), new RecordingOwner());
        final ChannelFuture connect = bootstrap.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 300)
                .connect(peers.accepting());
        Await.until("queued", () -> limiter.stats().queued() == 1);
        final long start = System.nanoTime(); // after the handler took the connect: its budget started earlier
        while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500)) {
            Thread.onSpinWait(); // a deadline, not a wait for an event: the slot must free after the budget
        }
        holder.cancel();
        assertTrue(connect.await(10, TimeUnit.SECONDS));
        final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        final ConnectTimeoutException cause = assertInstanceOf(ConnectTimeoutException.class, connect.cause(),
                () -> "connected after " + tookMillis + " ms with CONNECT_TIMEOUT_MILLIS=300: " + limiter.stats());
        assertTrue(cause.getMessage().contains("300 ms"), cause.getMessage());
        assertEquals(0, limiter.stats().established() + limiter.stats().timedOut(), "a SYN went out: "
                + limiter.stats());
        assertEquals(2, limiter.stats().cancelled(), "the holder and the late connect: " + limiter.stats());
        assertEquals(0, limiter.stats().halfOpen(), limiter.stats()::toString);
        Await.until("the channel closed", () -> !connect.channel().isOpen());
    }

    /** An owner for a slot the test holds by hand: it does nothing. */
    private static final class RecordingOwner implements AttemptListener {
        @Override
        public void granted(final ConnectAttempt attempt) {
        }

        @Override
        public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
        }

        @Override
        public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
        }
    }

    @ParameterizedTest
    @MethodSource("io.halfopen.netty.HandlerPlacement#everyTransportInEveryPlacement")
    void handshakeOnlyLetsAConnectWaitInTheQueuePastItsConnectTimeoutAsXpDid(final TestTransport transport,
            final HandlerPlacement placement)
            throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1)
                .halfOpenTimeout(Duration.ofSeconds(20)).build();
        final Bootstrap bootstrap = bootstrap(transport, placement, new HalfOpenLimitHandler(limiter,
                HalfOpenLimitHandler.TCP_CHANNELS, ConnectTimeoutScope.HANDSHAKE_ONLY));
        final ChannelFuture holder = bootstrap.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1_000)
                .connect(peers.dropping());
        Await.until("the holder has the slot", () -> limiter.stats().halfOpen() == 1);
        final ChannelFuture queued = bootstrap.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 300)
                .connect(peers.accepting());
        assertTrue(queued.await(15, TimeUnit.SECONDS));
        assertTrue(queued.isSuccess(), () -> "waited 1 s with a 300 ms connect timeout, then connected: "
                + queued.cause());
        assertEquals(0, limiter.stats().queueTimeouts(), limiter.stats()::toString);
        queued.channel().close();
    }
}
