package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.time.VirtualClock;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 4, through the handler: a channel closed while its connect waits for a slot is not kept
 * reachable by the limiter, with its whole pipeline (on main at 0472ade, 1,000 closed queued channels kept
 * 68 MB after GC).
 */
@DisplayName("A channel closed while its connect waits for a slot leaves nothing behind in the limiter")
class ClosedQueuedChannelTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 4226);

    @Test
    void aClosedQueuedChannelIsUnreachableThroughTheLimiter() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).clock(new VirtualClock()).build();
        final HalfOpenLimitHandler handler = new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS);
        final EmbeddedChannel holder = new EmbeddedChannel(new ConnectCapture(), handler);
        holder.connect(PEER);
        assertEquals(1, limiter.stats().halfOpen());

        final WeakReference<EmbeddedChannel> closed = queueAndClose(handler);
        for (int i = 0; i < 20 && closed.get() != null; i++) {
            System.gc();
        }
        assertNull(closed.get(), "the limiter still references the closed channel");
        assertEquals(0, limiter.stats().queued());
        assertEquals(1, limiter.stats().cancelled());
        holder.finishAndReleaseAll();
    }

    private static WeakReference<EmbeddedChannel> queueAndClose(final HalfOpenLimitHandler handler) {
        final EmbeddedChannel channel = new EmbeddedChannel(new ConnectCapture(), handler);
        final ChannelFuture connect = channel.connect(PEER);
        assertEquals(1, handler.limiter().stats().queued());
        channel.close();
        channel.runPendingTasks();
        assertTrue(connect.isDone(), "the close failed the queued connect");
        channel.finishAndReleaseAll();
        return new WeakReference<>(channel);
    }
}
