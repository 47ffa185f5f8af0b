package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * On real time (a limiter with the system scheduler), the handler arms each connect's half-open timer on the
 * channel's own event loop, so that a connect wakes no shared timer thread, and the outcome cancels it there.
 */
@DisplayName("The half-open timer lives on the channel's event loop when the limiter runs on real time")
class HalfOpenTimerOnEventLoopTest {

    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);

    @Test
    void theTimerIsArmedOnTheLoopAndTheOutcomeCancelsIt() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.xpSp2();
        assertTrue(limiter.usesSystemScheduler());
        final ConnectCapture transport = new ConnectCapture();
        final EmbeddedChannel channel = new EmbeddedChannel(transport,
                new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS));
        assertEquals(-1, channel.runScheduledPendingTasks(), "nothing scheduled before the connect");

        final ChannelFuture connect = channel.connect(PEER);
        channel.runPendingTasks();
        assertEquals(1, transport.connects.size(), "the connect went out");
        final long nextTimerNanos = channel.runScheduledPendingTasks();
        assertTrue(nextTimerNanos > TimeUnit.SECONDS.toNanos(20) && nextTimerNanos <= TimeUnit.SECONDS.toNanos(21),
                () -> "XP's 21 s half-open timer is on the channel's loop; next task in " + nextTimerNanos + " ns");

        transport.connects.get(0).setSuccess();
        channel.runPendingTasks();
        assertTrue(connect.isSuccess());
        assertEquals(-1, channel.runScheduledPendingTasks(), "the outcome cancelled the loop's timer");
        assertEquals(0, limiter.stats().halfOpen());
        assertEquals(1, limiter.stats().established());
        channel.finishAndReleaseAll();
    }

    @Test
    void theTimeoutFiresOnTheLoopClosesTheChannelAndFreesTheSlot() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().halfOpenTimeout(Duration.ofMillis(20)).build();
        final ConnectCapture transport = new ConnectCapture();
        final EmbeddedChannel channel = new EmbeddedChannel(transport,
                new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS));

        final ChannelFuture connect = channel.connect(PEER);
        channel.runPendingTasks();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!connect.isDone() && System.nanoTime() - deadline < 0) {
            channel.runScheduledPendingTasks(); // the embedded loop runs its timers only when told
            channel.runPendingTasks();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // real time must pass: 20 ms
        }

        assertTrue(connect.isDone(), "the half-open timeout never fired on the loop");
        final ConnectTimeoutException timeout = assertInstanceOf(ConnectTimeoutException.class, connect.cause());
        assertInstanceOf(HalfOpenTimeoutException.class, timeout.getCause());
        assertTrue(!channel.isOpen(), "the handler closed the channel");
        assertEquals(0, limiter.stats().halfOpen());
        assertEquals(1, limiter.stats().timedOut());
    }
}
