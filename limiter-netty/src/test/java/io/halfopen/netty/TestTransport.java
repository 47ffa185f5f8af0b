package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The transports the real-socket tests run on, with the classes that exist in both Netty 4.1 and 4.2. */
enum TestTransport {

    /** JDK NIO. */
    NIO {
        @Override
        @SuppressWarnings("deprecation") // NioEventLoopGroup is deprecated in 4.2 but exists in 4.1 and 4.2
        EventLoopGroup newGroup(final int threads) {
            return new NioEventLoopGroup(threads);
        }

        @Override
        Class<? extends SocketChannel> channelClass() {
            return NioSocketChannel.class;
        }

        @Override
        void require() {
            // always there
        }
    },

    /** Linux epoll, the native transport. */
    EPOLL {
        @Override
        @SuppressWarnings("deprecation") // EpollEventLoopGroup is deprecated in 4.2 but exists in 4.1 and 4.2
        EventLoopGroup newGroup(final int threads) {
            return new EpollEventLoopGroup(threads);
        }

        @Override
        Class<? extends SocketChannel> channelClass() {
            return EpollSocketChannel.class;
        }

        /** Skipped where Epoll is unavailable, except in CI ({@code CI=true}), where that fails the build. */
        @Override
        void require() {
            if ("true".equals(System.getenv("CI"))) {
                assertTrue(Epoll.isAvailable(), () -> "Epoll must be available in CI: "
                        + Epoll.unavailabilityCause());
            } else {
                assumeTrue(Epoll.isAvailable(), () -> "Epoll unavailable: " + Epoll.unavailabilityCause());
            }
        }
    };

    /**
     * Creates an event loop group of this transport.
     *
     * @param threads how many loops
     * @return the group
     */
    abstract EventLoopGroup newGroup(int threads);

    /** @return this transport's client socket channel class */
    abstract Class<? extends SocketChannel> channelClass();

    /** Skips the test (or fails it under CI) if this transport cannot run here. */
    abstract void require();
}
