package io.halfopen.testkit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A Netty NIO server on a loopback address and an ephemeral port, for tests, demos and benchmarks that need a
 * real server: each accepted child's pipeline is built by the caller ({@link Builder#childPipeline}), and the
 * server counts children accepted and still open, so that a tear-down can check that every connect was
 * accepted and closed on the server's side too ({@link #awaitDrained}). Needs {@code netty-transport} on the
 * class path (an optional dependency of the testkit).
 *
 * <pre>{@code
 * try (LoopbackServer server = LoopbackServer.builder()
 *         .childPipeline(pipeline -> pipeline.addLast(new InboundSessionLimitHandler(sessions), new Greeter()))
 *         .start()) {
 *     ... connect to server.address() ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: the counters are atomics written on the server's event loops.
 */
public final class LoopbackServer implements AutoCloseable {

    /** The default accept-queue length: deep, so a burst of connects is never dropped (somaxconn caps it). */
    public static final int DEFAULT_BACKLOG = 1024;

    private final EventLoopGroup group;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final Channel serverChannel;

    @SuppressWarnings("deprecation") // NioEventLoopGroup: deprecated in Netty 4.2, the one NIO group in 4.1 and 4.2
    private LoopbackServer(final Builder builder) {
        this.group = new NioEventLoopGroup(builder.threads, new DefaultThreadFactory(builder.threadName, true));
        final Consumer<ChannelPipeline> pipeline = builder.childPipeline;
        final ChannelFutureListener childClosed = future -> open.decrementAndGet();
        try {
            this.serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, builder.backlog)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(final SocketChannel child) {
                            accepted.incrementAndGet();
                            open.incrementAndGet();
                            child.closeFuture().addListener(childClosed);
                            pipeline.accept(child.pipeline());
                        }
                    })
                    .bind(new InetSocketAddress(builder.address, 0))
                    .syncUninterruptibly()
                    .channel();
        } catch (final RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** {@return a builder: one thread, backlog {@value #DEFAULT_BACKLOG}, 127.0.0.1, children only accepted} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a one-thread server on 127.0.0.1 whose children's pipelines hold the given handlers, in order.
     *
     * @param sharableHandlers {@link io.netty.channel.ChannelHandler.Sharable} handlers, the same instances in
     *                         every child; may be none (children are then only accepted)
     * @return the listening server
     */
    public static LoopbackServer start(final ChannelHandler... sharableHandlers) {
        final ChannelHandler[] handlers = sharableHandlers.clone();
        return builder().childPipeline(pipeline -> pipeline.addLast(handlers)).start();
    }

    /** {@return the address the server listens on} */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** {@return children accepted so far} */
    public long accepted() {
        return accepted.get();
    }

    /** {@return children accepted and not yet closed} */
    public int open() {
        return open.get();
    }

    /**
     * Waits until the server has accepted {@code connects} children and every one of them is closed.
     *
     * @param connects how many connects the clients completed
     * @param timeout  how long to wait at most
     * @throws IllegalStateException if the server did not get there in time, with both counts
     */
    public void awaitDrained(final long connects, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (accepted.get() != connects || open.get() != 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("loopback server: accepted " + accepted.get() + " of " + connects
                        + " connects, " + open.get() + " children still open after " + timeout.toMillis() + " ms");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // counters no callback announces; bounded
            if (Thread.interrupted()) {
                throw new IllegalStateException("interrupted while waiting for the loopback server");
            }
        }
    }

    /** Closes the listening channel and shuts the event loops down (open children close with them). */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** How to start a {@link LoopbackServer}. Not thread-safe. */
    public static final class Builder {
        private int threads = 1;
        private int backlog = DEFAULT_BACKLOG;
        private InetAddress address = InetAddress.getLoopbackAddress();
        private String threadName = "loopback-server";
        private Consumer<ChannelPipeline> childPipeline = pipeline -> { };

        private Builder() {
        }

        /**
         * {@return this}
         *
         * @param threads event loop threads, accepting and serving (default 1)
         */
        public Builder threads(final int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * {@return this}
         *
         * @param backlog the accept-queue length (default {@value #DEFAULT_BACKLOG})
         */
        public Builder backlog(final int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be at least 1, was " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /**
         * {@return this}
         *
         * @param address a loopback address (default 127.0.0.1)
         */
        public Builder address(final InetAddress address) {
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("a loopback server listens on loopback only, was " + address);
            }
            this.address = address;
            return this;
        }

        /**
         * {@return this}
         *
         * @param threadName the event loop threads' name prefix (default "loopback-server")
         */
        public Builder threadName(final String threadName) {
            this.threadName = Objects.requireNonNull(threadName, "threadName");
            return this;
        }

        /**
         * {@return this}
         *
         * @param childPipeline builds each accepted child's pipeline, on its event loop
         */
        public Builder childPipeline(final Consumer<ChannelPipeline> childPipeline) {
            this.childPipeline = Objects.requireNonNull(childPipeline, "childPipeline");
            return this;
        }

        /** {@return the listening server} */
        public LoopbackServer start() {
            return new LoopbackServer(this);
        }
    }
}
