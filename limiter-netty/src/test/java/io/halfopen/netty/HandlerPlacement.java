package io.halfopen.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Where a test puts the handler in each channel's pipeline: as users usually do (its context's executor is the
 * channel's event loop), or with an executor group of its own ({@code pipeline.addFirst(group, "limit",
 * handler)}, so {@code ctx.executor()} is not the loop that arms the transport's connect timeout). A behaviour
 * that must hold wherever the handler runs is specified for both.
 */
enum HandlerPlacement {

    /** {@code bootstrap.handler(handler)}: the handler runs on the channel's event loop. */
    ON_THE_CHANNELS_EVENT_LOOP {
        @Override
        Bootstrap install(final Bootstrap bootstrap, final ChannelHandler handler,
                final EventExecutorGroup handlerExecutors) {
            return bootstrap.handler(handler);
        }
    },

    /** Added with an executor group of its own; Netty 4.2 deprecates it (4.1 does not), users still do it. */
    ON_AN_EXECUTOR_OF_ITS_OWN {
        @Override
        @SuppressWarnings("deprecation") // ChannelPipeline.addFirst(EventExecutorGroup, String, ChannelHandler) on 4.2
        Bootstrap install(final Bootstrap bootstrap, final ChannelHandler handler,
                final EventExecutorGroup handlerExecutors) {
            return bootstrap.handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(final Channel channel) {
                    channel.pipeline().addFirst(handlerExecutors, "limit", handler);
                }
            });
        }
    };

    /**
     * Sets the bootstrap's handler so that each channel has {@code handler} in this place.
     *
     * @param bootstrap the bootstrap
     * @param handler the handler under test (sharable)
     * @param handlerExecutors the group {@link #ON_AN_EXECUTOR_OF_ITS_OWN} runs it on
     * @return the bootstrap
     */
    abstract Bootstrap install(Bootstrap bootstrap, ChannelHandler handler, EventExecutorGroup handlerExecutors);

    /** Every transport in every placement: a {@code @MethodSource} for {@code (TestTransport, HandlerPlacement)}. */
    static Stream<Arguments> everyTransportInEveryPlacement() {
        return Arrays.stream(TestTransport.values()).flatMap(transport -> Arrays.stream(values())
                .map(placement -> Arguments.of(transport, placement)));
    }
}
