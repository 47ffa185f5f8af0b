package io.halfopen.benchmarks.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Netty NIO server on 127.0.0.1, on an ephemeral port, for the end-to-end benchmarks. One event loop thread
 * both accepts and serves every child. A child's pipeline is the handlers given to the constructor, in order,
 * then a {@link QuietClose}. The server counts children accepted and still open, so that a tear-down can check
 * that every connection a benchmark made was accepted and closed on the server side too.
 *
 * <p>Counters are atomic: they are written on the server's event loop and read by the benchmark thread.
 */
public final class LoopbackServer implements AutoCloseable {

    /** Accept-queue length: deep, so a burst of connects is never dropped (the kernel caps it at somaxconn). */
    static final int BACKLOG = 1024;

    private final EventLoopGroup group = NioGroups.oneThread("loopback-server");
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final ChannelFutureListener childClosed = future -> open.decrementAndGet();
    private final QuietClose exceptions = new QuietClose();
    private final Channel serverChannel;

    /**
     * Binds the server and waits until it listens.
     *
     * @param childHandlers {@link io.netty.channel.ChannelHandler.Sharable} handlers for every child pipeline,
     *                      in order; may be empty (the child is then only accepted, and closed on a reset)
     */
    public LoopbackServer(final ChannelHandler... childHandlers) {
        final ChannelHandler[] handlers = childHandlers.clone();
        this.serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel child) {
                        accepted.incrementAndGet();
                        open.incrementAndGet();
                        child.closeFuture().addListener(childClosed);
                        child.pipeline().addLast(handlers).addLast(exceptions);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
    }

    /**
     * Returns the address the server listens on.
     *
     * @return 127.0.0.1 and the server's port
     */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Returns what the children's pipelines caught.
     *
     * @return the children's {@link QuietClose}
     */
    public QuietClose exceptions() {
        return exceptions;
    }

    /**
     * Waits until the server has accepted {@code connects} children and every one of them is closed.
     *
     * @param connects      how many connects the clients completed
     * @param timeoutMillis how long to wait at most
     * @throws IllegalStateException if the server did not get there in time, with both counts
     */
    public void awaitDrained(final long connects, final long timeoutMillis) {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (accepted.get() != connects || open.get() != 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("loopback server: accepted " + accepted.get() + " of " + connects
                        + " connects, " + open.get() + " children still open after " + timeoutMillis + " ms");
            }
            // polling counters that no callback announces; bounded by the deadline above
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            if (Thread.interrupted()) {
                throw new IllegalStateException("interrupted while waiting for the loopback server");
            }
        }
    }

    /** Closes the listening channel and shuts the event loop down (open children close with it). */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        NioGroups.shutdown(group);
    }
}
