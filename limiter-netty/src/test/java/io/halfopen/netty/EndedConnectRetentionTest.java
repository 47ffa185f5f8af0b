package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.QueueTimeoutException;
import io.halfopen.time.VirtualClock;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Nothing is retained after a connect ends: a queued connect whose promise was cancelled, or that timed out in
 * the queue, leaves its channel collectable at once, while the slot holder ahead of it still holds its slot
 * (the limiter keeps a cancelled waiter's ticket in its queue cell until the waiters ahead are served, and a
 * cancelled timer in its clock's queue; neither may keep the channel). Judged with a {@link WeakReference} and
 * GC; in virtual time.
 */
@DisplayName("An ended connect leaves its channel collectable at once")
class EndedConnectRetentionTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 4226);

    private final VirtualClock clock = new VirtualClock();

    @Test
    void aQueuedConnectWhoseCallerCancelledItDoesNotKeepItsChannel() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).clock(clock).build();
        assertCollectableAfter(limiter, 0, connect -> assertTrue(connect.cancel(false)));
        assertEquals(1, limiter.stats().cancelled(), limiter.stats()::toString);
    }

    @Test
    void aConnectThatTimedOutInTheQueueDoesNotKeepItsChannel() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).clock(clock)
                .queueTimeout(Duration.ofSeconds(5)).build();
        assertCollectableAfter(limiter, 0, connect -> {
            clock.advance(Duration.ofSeconds(5));
            assertInstanceOf(QueueTimeoutException.class, connect.cause());
        });
        assertEquals(1, limiter.stats().queueTimeouts(), limiter.stats()::toString);
    }

    @Test
    void aConnectWhoseConnectTimeoutWasSpentInTheQueueDoesNotKeepItsChannel() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).clock(clock).build();
        assertCollectableAfter(limiter, 700, connect -> {
            clock.advance(Duration.ofMillis(700));
            assertInstanceOf(QueueTimeoutException.class, connect.cause());
        });
        assertEquals(1, limiter.stats().queueTimeouts(), limiter.stats()::toString);
    }

    @Test
    void aConnectThatEndedEstablishedDoesNotKeepItsClosedChannelThroughItsCancelledHalfOpenTimer() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).clock(clock).build();
        final HalfOpenLimitHandler handler = new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS);
        final WeakReference<EmbeddedChannel> ended = establishAndClose(handler);
        for (int i = 0; i < 20 && ended.get() != null; i++) {
            System.gc();
        }
        assertNull(ended.get(), "an established, closed channel is still reachable through the limiter");
        assertEquals(1, limiter.stats().established(), limiter.stats()::toString);
    }

    private static WeakReference<EmbeddedChannel> establishAndClose(final HalfOpenLimitHandler handler) {
        final ConnectCapture transport = new ConnectCapture();
        final EmbeddedChannel channel = new EmbeddedChannel(transport, handler);
        final ChannelFuture connect = channel.connect(PEER);
        transport.last().setSuccess();
        channel.runPendingTasks();
        assertTrue(connect.isSuccess(), "established");
        channel.close();
        channel.finishAndReleaseAll();
        return new WeakReference<>(channel);
    }

    /**
     * A holder takes the slot; a second channel (with that {@code CONNECT_TIMEOUT_MILLIS}, 0 for none) queues,
     * {@code end} ends its connect; it must be collectable.
     */
    private void assertCollectableAfter(final HalfOpenLimiter limiter, final int connectTimeoutMillis,
            final Consumer<ChannelFuture> end) {
        final HalfOpenLimitHandler handler = new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS);
        final EmbeddedChannel holder = new EmbeddedChannel(new ConnectCapture(), handler);
        holder.connect(PEER);
        assertEquals(1, limiter.stats().halfOpen());

        final WeakReference<EmbeddedChannel> ended = queueAndEnd(handler, connectTimeoutMillis, end);
        for (int i = 0; i < 20 && ended.get() != null; i++) {
            System.gc();
        }
        assertNull(ended.get(), "an ended connect's channel is still reachable");
        assertEquals(0, limiter.stats().queued());
        assertEquals(1, limiter.stats().halfOpen(), "the holder still holds its slot");
        holder.finishAndReleaseAll();
    }

    private static WeakReference<EmbeddedChannel> queueAndEnd(final HalfOpenLimitHandler handler,
            final int connectTimeoutMillis, final Consumer<ChannelFuture> end) {
        final EmbeddedChannel channel = new EmbeddedChannel(new ConnectCapture(), handler);
        channel.config().setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
        final ChannelFuture connect = channel.connect(PEER);
        assertEquals(1, handler.limiter().stats().queued());
        end.accept(connect);
        channel.runPendingTasks();
        assertTrue(connect.isDone(), "the connect ended");
        channel.finishAndReleaseAll();
        return new WeakReference<>(channel);
    }
}
