package io.halfopen.benchmarks.netty;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last handler of a benchmark pipeline: closes a channel on any exception instead of letting Netty's tail
 * log it, and counts what it saw for the tear-down. An {@link IOException} is a reset (the peer closed with
 * {@code SO_LINGER} 0), expected where a benchmark closes that way; anything else is unexpected.
 *
 * <p>{@link Sharable}: one instance per side of a benchmark; the counters are atomic.
 */
@Sharable
public final class QuietClose extends ChannelInboundHandlerAdapter {

    private final AtomicLong resets = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private volatile Throwable firstUnexpected;

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        if (cause instanceof IOException) {
            resets.incrementAndGet();
        } else if (unexpected.getAndIncrement() == 0) {
            firstUnexpected = cause;
        }
        ctx.close();
    }

    /**
     * Returns how many channels failed with an {@link IOException} (a connection reset, usually).
     *
     * @return the count
     */
    public long resets() {
        return resets.get();
    }

    /**
     * Returns how many exceptions were not {@link IOException}s: always 0 in a correct run.
     *
     * @return the count
     */
    public long unexpected() {
        return unexpected.get();
    }

    /**
     * Returns the first unexpected exception, for the tear-down's message.
     *
     * @return the first one, or null if there was none
     */
    public Throwable firstUnexpected() {
        return firstUnexpected;
    }
}
