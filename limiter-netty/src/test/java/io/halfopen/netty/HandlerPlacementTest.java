package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.halfopen.limiter.HalfOpenLimiter;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The handler finds an outbound handler on another executor between itself and the head (which defers the connect
 * past its budget and its SYN-started timer), and only that: handlers on the channel's loop, handlers on the tail
 * side, and inbound handlers (a connect never passes them) are where they may be.
 */
@SuppressWarnings("deprecation") // addLast(EventExecutorGroup, ...): the placement under test
class HandlerPlacementTest {

    private final EventExecutorGroup other = new DefaultEventExecutorGroup(1);
    private final HalfOpenLimitHandler limit = new HalfOpenLimitHandler(HalfOpenLimiter.builder().maxHalfOpen(1)
            .build(), HalfOpenLimitHandler.ALL_CHANNELS);
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void tearDown() throws Exception {
        channel.finishAndReleaseAll();
        other.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    @Test
    void anOutboundHandlerOnAnotherExecutorNearerTheHeadIsFound() {
        channel.pipeline().addLast(other, "elsewhere", new ChannelOutboundHandlerAdapter());
        channel.pipeline().addLast("loop", new ChannelOutboundHandlerAdapter());
        channel.pipeline().addLast("limit", limit);
        assertEquals("elsewhere", HalfOpenLimitHandler.foreignExecutorNearerTheHead(
                channel.pipeline().context("limit")));
    }

    @Test
    void handlersOnTheLoopOnTheTailSideOrInboundOnlyAreNotFound() {
        channel.pipeline().addLast(other, "inbound", new ChannelInboundHandlerAdapter());
        channel.pipeline().addLast("loop", new ChannelOutboundHandlerAdapter());
        channel.pipeline().addLast("limit", limit);
        channel.pipeline().addLast(other, "tailSide", new ChannelOutboundHandlerAdapter());
        assertNull(HalfOpenLimitHandler.foreignExecutorNearerTheHead(channel.pipeline().context("limit")));
    }
}
