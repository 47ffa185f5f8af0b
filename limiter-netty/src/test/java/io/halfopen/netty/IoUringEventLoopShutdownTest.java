package io.halfopen.netty;

import org.junit.jupiter.api.BeforeAll;

/**
 * The event loop shutdown on the io_uring transport (Netty 4.2's, or the incubator's on Netty 4.1). Skipped
 * where io_uring cannot load, except in CI ({@code CI=true}) on Linux x86_64, where that fails the build.
 */
class IoUringEventLoopShutdownTest extends EventLoopShutdownTest {

    @BeforeAll
    static void requireIoUring() {
        TestTransport.IO_URING.require();
    }

    IoUringEventLoopShutdownTest() {
        super(TestTransport.IO_URING);
    }
}
