package io.halfopen.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The event loop shutdown on the NIO transport. */
class NioEventLoopShutdownTest extends EventLoopShutdownTest {

    @Override
    @SuppressWarnings("deprecation") // NioEventLoopGroup is deprecated in 4.2 but exists in 4.1 and 4.2
    EventLoopGroup newGroup(final int threads) {
        return new NioEventLoopGroup(threads);
    }

    @Override
    Class<? extends SocketChannel> channelClass() {
        return NioSocketChannel.class;
    }
}
