package io.halfopen.netty;

/** The event loop shutdown on the NIO transport. */
class NioEventLoopShutdownTest extends EventLoopShutdownTest {

    NioEventLoopShutdownTest() {
        super(TestTransport.NIO);
    }
}
