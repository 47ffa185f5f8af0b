package io.halfopen.benchmarks.netty;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A server's protocol handler that closes every child as soon as it is active, and tells the benchmark thread
 * once the close has completed and every {@code closeFuture} listener registered before its own has run (Netty
 * runs them in the order they were added, so an {@code InboundSessionLimitHandler} earlier in the pipeline has
 * ended the connection's session by then).
 *
 * <p>{@link Sharable}. Its signal is a {@link Semaphore}: one permit per closed child, taken by
 * {@link #awaitOneClosed(long)}.
 */
@Sharable
public final class CloseOnActive extends ChannelInboundHandlerAdapter {

    private final Semaphore closed = new Semaphore(0);
    private final ChannelFutureListener signal = future -> closed.release();

    @Override
    public void channelActive(final ChannelHandlerContext ctx) {
        ctx.channel().closeFuture().addListener(signal);
        ctx.close();
    }

    /**
     * Waits until one more child has been closed by this handler.
     *
     * @param timeoutMillis how long to wait at most
     * @throws InterruptedException  if the waiting thread is interrupted
     * @throws IllegalStateException if no child was closed in time
     */
    public void awaitOneClosed(final long timeoutMillis) throws InterruptedException {
        if (!closed.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the server closed no child within " + timeoutMillis + " ms");
        }
    }
}
