package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.testkit.LoopbackPeers;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The handler added with an executor group of its own ({@code pipeline.addFirst(group, "limit", handler)}), so
 * that {@code ctx.executor()} is not the channel's event loop: the connect's budget, the shutdown checks and the
 * termination watch still follow the channel's event loop, which is where the transport arms its connect timeout
 * and whose shutdown ends the channel (the connect's budget in both placements: {@link ConnectTimeoutBudgetTest}).
 * Limit 1; real time on loopback, generous bands. Netty 4.2 deprecates adding
 * a handler with an {@code EventExecutorGroup} (4.1 does not); users still do it, so it is specified here.
 */
@SuppressWarnings("deprecation") // ChannelPipeline.addFirst(EventExecutorGroup, String, ChannelHandler) on 4.2
class HandlerOnItsOwnExecutorTest {

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

    @ParameterizedTest
    @EnumSource(TestTransport.class)
    void aConnectThatNeverQueuedIsBlamedOnThePeerAtItsConnectTimeoutHoweverLongTheHopToItsLoopTook(
            final TestTransport transport) throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1)
                .halfOpenTimeout(Duration.ofSeconds(20)).build();
        transport.require();
        group = transport.newGroup(1);
        final HalfOpenLimitHandler handler = new HalfOpenLimitHandler(limiter);
        final Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(final Channel channel) {
                        channel.pipeline().addFirst(handlerExecutors, "limit", handler);
                        channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() { // tail side, on the loop
                            @Override
                            public void connect(final ChannelHandlerContext ctx, final SocketAddress remote,
                                    final SocketAddress local, final ChannelPromise promise) {
                                ctx.connect(remote, local, promise); // hands it to the limiter's executor
                                // a stall of the loop: the granted connect's hop to it waits 200 ms
                                final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                                while (System.nanoTime() < until) {
                                    Thread.onSpinWait();
                                }
                            }
                        });
                    }
                });
        final ChannelFuture connect = bootstrap.connect(peers.dropping());
        assertTrue(connect.await(10, TimeUnit.SECONDS));

        assertInstanceOf(ConnectTimeoutException.class, connect.cause());
        // granted at once: no queue took any of its budget, so the timeout is the peer's (the hop's 200 ms are
        // the loop's, not the queue's; they shorten the transport's timeout but do not make it the caller's)
        assertEquals(1, limiter.stats().timedOut(), "the peer earned this timeout: " + limiter.stats());
        assertEquals(0, limiter.stats().cancelled(), limiter.stats()::toString);
        assertEquals(0, limiter.stats().halfOpen(), limiter.stats()::toString);
    }

    @ParameterizedTest
    @EnumSource(TestTransport.class)
    void aSlotGrantedWhileTheChannelsEventLoopShutsDownIsGivenBackWithoutConnecting(
            final TestTransport transport) throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1)
                .halfOpenTimeout(Duration.ofSeconds(20)).build();
        final AtomicInteger issued = new AtomicInteger();
        transport.require();
        group = transport.newGroup(1);
        final HalfOpenLimitHandler handler = new HalfOpenLimitHandler(limiter);
        final Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.channelClass())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(final Channel channel) {
                        channel.pipeline().addFirst(handlerExecutors, "limit", handler);
                        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() { // between it and the head
                            @Override
                            public void connect(final ChannelHandlerContext ctx, final SocketAddress remote,
                                    final SocketAddress local, final ChannelPromise promise) {
                                issued.incrementAndGet();
                                ctx.connect(remote, local, promise);
                            }
                        });
                    }
                });
        final ConnectAttempt held = HalfOpenLimitHandlerTest.takeSlot(limiter, peers.accepting());
        final ChannelFuture queued = bootstrap.connect(peers.dropping());
        Await.until("the connect waits for a slot", () -> limiter.stats().queued() == 1);

        final CountDownLatch release = LoopHold.hold(queued.channel().eventLoop()); // the stall
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        assertTrue(held.cancel()); // grants the queued connect its slot while the channel's loop shuts down
        Await.until("the grant was handled", () -> limiter.stats().queued() == 0);
        release.countDown();

        assertTrue(queued.await(5, TimeUnit.SECONDS), "the connect hung after its channel's loop shut down");
        final RejectedExecutionException cause = assertInstanceOf(RejectedExecutionException.class,
                queued.cause());
        assertTrue(cause.getMessage().contains("shutting down"), cause.getMessage());
        assertEquals(0, issued.get(), "a connect was issued on an event loop that was shutting down");
        assertEquals(0, limiter.stats().halfOpen(), limiter.stats()::toString);
        assertEquals(2, limiter.stats().cancelled(), "the held slot, and the grant given back: " + limiter.stats());
    }
}
