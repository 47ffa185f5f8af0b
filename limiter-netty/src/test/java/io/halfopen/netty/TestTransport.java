package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The transports the real-socket tests run on. NIO and Epoll through the classes that exist in both Netty 4.1 and
 * 4.2; io_uring through {@link IoUringTransport}, which finds Netty 4.2's own transport or, on Netty 4.1, the
 * incubator's, by reflection (the two have different packages and names, and this source compiles on both).
 */
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
    },

    /**
     * Linux io_uring: Netty 4.2's {@code io.netty.channel.uring}, or on Netty 4.1 the incubator's
     * {@code io.netty.incubator.channel.uring}.
     */
    IO_URING {
        @Override
        EventLoopGroup newGroup(final int threads) {
            return IoUringTransport.get().newGroup(threads);
        }

        @Override
        Class<? extends SocketChannel> channelClass() {
            return IoUringTransport.get().channelClass();
        }

        /**
         * Skipped where io_uring cannot run (another OS or architecture, or a kernel that disables it), except in
         * CI ({@code CI=true}) on Linux x86_64, where the jars are on the test class path and the kernel allows
         * io_uring: there a transport that does not load fails the build, saying why.
         */
        @Override
        void require() {
            final IoUringTransport transport = IoUringTransport.get();
            if (transport.isAvailable()) {
                return;
            }
            final String why = "io_uring unavailable (" + transport.describe() + "): " + transport.unavailabilityCause();
            if ("true".equals(System.getenv("CI")) && IoUringTransport.expectedHere()) {
                fail("io_uring must load in CI on Linux x86_64 with kernel.io_uring_disabled=0; " + why);
            }
            assumeTrue(false, why);
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
