package io.halfopen.benchmarks.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/** NIO event loop groups for the end-to-end benchmarks: one daemon thread each, named for its side. */
public final class NioGroups {

    private NioGroups() {
    }

    /**
     * Returns a one-thread NIO group. {@code NioEventLoopGroup} is deprecated in Netty 4.2 but is the one NIO
     * group that exists in both 4.1 and 4.2.
     *
     * @param name the thread name's prefix, e.g. "client"
     * @return a new group
     */
    @SuppressWarnings("deprecation")
    public static EventLoopGroup oneThread(final String name) {
        return new NioEventLoopGroup(1, new DefaultThreadFactory(name, true));
    }

    /**
     * Shuts a group down without a quiet period and waits up to 10 s for it.
     *
     * @param group the group, or null (nothing to do)
     */
    public static void shutdown(final EventLoopGroup group) {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
