package io.halfopen.netty;

import org.junit.jupiter.api.BeforeAll;

/**
 * The connect storm on the Epoll transport. Skipped where Epoll is unavailable, except in CI ({@code CI=true}),
 * where a missing Epoll fails the build rather than silently testing less.
 */
class EpollConnectStormTest extends ConnectStormTest {

    @BeforeAll
    static void requireEpoll() {
        TestTransport.EPOLL.require();
    }

    EpollConnectStormTest() {
        super(TestTransport.EPOLL);
    }
}
