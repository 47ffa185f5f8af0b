package io.halfopen.netty;

import org.junit.jupiter.api.BeforeAll;

/**
 * The event loop shutdown on the Epoll transport. Skipped where Epoll is unavailable, except in CI
 * ({@code CI=true}), where a missing Epoll fails the build.
 */
class EpollEventLoopShutdownTest extends EventLoopShutdownTest {

    @BeforeAll
    static void requireEpoll() {
        TestTransport.EPOLL.require();
    }

    EpollEventLoopShutdownTest() {
        super(TestTransport.EPOLL);
    }
}
