package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.time.VirtualClock;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a limiter in virtual time the queue's share of a connect's budget ({@code CONNECT_TIMEOUT_MILLIS} under
 * {@link ConnectTimeoutScope#QUEUE_AND_HANDSHAKE}) is the wait on the limiter's clock, not the real time that
 * passed: a connect that waited 600 virtual ms of a 1,000 ms budget gives the transport 400 ms.
 */
class VirtualTimeBudgetTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 25);

    @Test
    void theQueueWaitChargedToTheConnectTimeoutIsTheLimitersVirtualTime() {
        final VirtualClock clock = new VirtualClock();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1)
                .halfOpenTimeout(Duration.ofSeconds(21)).clock(clock).build();
        final List<Integer> timeoutSeenByTransport = new ArrayList<>();
        final EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() { // the transport
            @Override
            public void connect(final ChannelHandlerContext ctx, final SocketAddress remote,
                    final SocketAddress local, final ChannelPromise promise) {
                timeoutSeenByTransport.add(ctx.channel().config().getConnectTimeoutMillis());
            }
        });
        try {
            channel.config().setConnectTimeoutMillis(1_000);
            channel.pipeline().addLast(new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS));
            final ConnectAttempt held = HalfOpenLimitHandlerTest.takeSlot(limiter, PEER);
            final ChannelFuture connect = channel.connect(PEER);
            assertEquals(1, limiter.stats().queued());

            clock.advance(Duration.ofMillis(600));
            held.cancel(); // grants the slot after 600 virtual ms in the queue
            channel.runPendingTasks();

            assertFalse(connect.isDone());
            assertEquals(List.of(400), timeoutSeenByTransport, "the transport gets what the queue left");
            assertEquals(1_000, channel.config().getConnectTimeoutMillis(), "the channel's own value is kept");
        } finally {
            channel.finishAndReleaseAll();
            limiter.close();
        }
    }
}
