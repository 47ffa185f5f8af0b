package io.halfopen.it;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.netty.ConnectTimeoutScope;
import io.halfopen.netty.HalfOpenLimitHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Netty NIO client that fires connects at targets, through a {@link HalfOpenLimitHandler} when given a limiter
 * (or with no handler at all, for control runs), and records how each one ended and when. Channels that connect
 * are closed at once with {@code SO_LINGER} 0, so that nothing lingers in TIME_WAIT.
 */
final class NettyConnects implements AutoCloseable {

    /** One connect: its target, its future, and when it was issued and completed. */
    static final class Connect {
        final Target target;
        final ChannelFuture future;
        final long startNanos;
        volatile long endNanos;

        Connect(final Target target, final ChannelFuture future, final long startNanos) {
            this.target = target;
            this.future = future;
            this.startNanos = startNanos;
        }

        /** @return how long the connect took, from issue to completion */
        Duration elapsed() {
            return Duration.ofNanos(endNanos - startNanos);
        }

        @Override
        public String toString() {
            return target + " -> " + (future.isDone() ? (future.isSuccess() ? "connected"
                    : future.isCancelled() ? "cancelled" : String.valueOf(future.cause()))
                    : "pending (channel " + (future.channel().isRegistered() ? "registered" : "not registered")
                    + ", " + (future.channel().isOpen() ? "open" : "closed") + ", its loop "
                    + (future.channel().eventLoop().isTerminated() ? "terminated" : "running") + ")")
                    + (endNanos == 0 ? "" : " after " + elapsed().toMillis() + " ms");
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Bootstrap bootstrap;

    /**
     * Creates a client.
     *
     * @param limiter the limiter to connect through, or {@code null} for no handler at all
     */
    NettyConnects(final HalfOpenLimiter limiter) {
        // XP's behaviour, as these scenarios were written against: the queue is not charged to Netty's connect
        // timeout (30 s by default), only the limiter's own timeouts apply
        final ChannelHandlerAdapter handler = limiter == null ? null : new HalfOpenLimitHandler(limiter,
                HalfOpenLimitHandler.TCP_CHANNELS, ConnectTimeoutScope.HANDSHAKE_ONLY);
        bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.SO_LINGER, 0)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel channel) {
                        if (handler != null) {
                            channel.pipeline().addLast(handler);
                        }
                    }
                });
    }

    /** @return the client's event loops, for shutting them down mid-storm */
    EventLoopGroup group() {
        return group;
    }

    /**
     * Issues one connect per target, without waiting for any of them.
     *
     * @param targets where to connect
     * @return the connects, in issue order
     */
    List<Connect> fire(final List<Target> targets) {
        final List<Connect> connects = new ArrayList<>(targets.size());
        for (final Target target : targets) {
            final long start = System.nanoTime();
            final ChannelFuture future = bootstrap.connect(target.address());
            final Connect connect = new Connect(target, future, start);
            future.addListener((ChannelFutureListener) done -> {
                connect.endNanos = System.nanoTime();
                if (done.isSuccess()) {
                    done.channel().close();
                }
            });
            connects.add(connect);
        }
        return connects;
    }

    /**
     * Waits until every connect has completed, and every connected channel has closed.
     *
     * @param connects the connects
     * @param deadline how long to wait at most, for all of them together
     * @return the connects still pending at the deadline (empty when all completed)
     * @throws InterruptedException if interrupted
     */
    static List<Connect> awaitAll(final List<Connect> connects, final Duration deadline)
            throws InterruptedException {
        final long end = System.nanoTime() + deadline.toNanos();
        final List<Connect> pending = new ArrayList<>();
        for (final Connect connect : connects) {
            final long left = Math.max(0, end - System.nanoTime());
            if (!connect.future.await(left, TimeUnit.NANOSECONDS)) {
                pending.add(connect);
                continue;
            }
            final Channel channel = connect.future.channel();
            if (connect.future.isSuccess()
                    && !channel.closeFuture().await(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                pending.add(connect);
            }
        }
        return pending;
    }

    @Override
    public void close() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
