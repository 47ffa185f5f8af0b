package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.BeforeAll;

/**
 * The event loop shutdown on the Epoll transport. Skipped where Epoll is unavailable, except in CI
 * ({@code CI=true}), where a missing Epoll fails the build.
 */
class EpollEventLoopShutdownTest extends EventLoopShutdownTest {

    @BeforeAll
    static void requireEpoll() {
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(Epoll.isAvailable(), () -> "Epoll must be available in CI: " + Epoll.unavailabilityCause());
        } else {
            assumeTrue(Epoll.isAvailable(), () -> "Epoll unavailable: " + Epoll.unavailabilityCause());
        }
    }

    @Override
    @SuppressWarnings("deprecation") // EpollEventLoopGroup is deprecated in 4.2 but exists in 4.1 and 4.2
    EventLoopGroup newGroup(final int threads) {
        return new EpollEventLoopGroup(threads);
    }

    @Override
    Class<? extends SocketChannel> channelClass() {
        return EpollSocketChannel.class;
    }
}
