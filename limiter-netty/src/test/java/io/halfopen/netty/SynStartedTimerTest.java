package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The half-open timer's cancel never throws into the limiter: Netty's {@code ScheduledFutureTask.cancel}, called
 * off the loop, throws {@link RejectedExecutionException} once the loop has reached {@code ST_SHUTDOWN} (it
 * submits the removal of the task), and the limiter cancels the timer inside {@code ConnectAttempt}'s outcome,
 * after the attempt's state moved and before its slot is given back: a throw there would leak the slot. The loop
 * is a stand-in whose timers' {@code cancel} throws as such a loop's do (a real loop is in {@code ST_SHUTDOWN}
 * only for an instant that a test cannot hold).
 */
class SynStartedTimerTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 9);

    @Test
    void aTimerWhoseLoopRejectsTheCancelStillGivesTheSlotBack() {
        final AtomicInteger cancels = new AtomicInteger();
        final SynStartedTimer timer = new SynStartedTimer(loopWhoseTimersRejectCancel(cancels));
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1)
                .halfOpenTimeout(Duration.ofSeconds(20)).build();
        final ConnectAttempt attempt = limiter.newAttempt(PEER, new Granted(), timer);
        timer.start(); // the SYN went: the timer is on the loop

        assertDoesNotThrow(attempt::refused); // ends the attempt, which cancels the timer
        assertEquals(1, cancels.get(), "the loop's timer was not cancelled");
        assertEquals(0, limiter.stats().halfOpen(), limiter.stats()::toString);
        final Granted next = new Granted();
        limiter.newAttempt(PEER, next);
        assertTrue(next.granted, "the slot was not given back: " + limiter.stats());
    }

    /** An event loop whose {@code schedule} gives a timer whose {@code cancel} throws; nothing else is called. */
    private static EventLoop loopWhoseTimersRejectCancel(final AtomicInteger cancels) {
        final ScheduledFuture<?> timer = (ScheduledFuture<?>) Proxy.newProxyInstance(
                SynStartedTimerTest.class.getClassLoader(), new Class<?>[] {ScheduledFuture.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("cancel")) {
                        cancels.incrementAndGet();
                        throw new RejectedExecutionException("event executor terminated");
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (EventLoop) Proxy.newProxyInstance(SynStartedTimerTest.class.getClassLoader(),
                new Class<?>[] {EventLoop.class}, (proxy, method, args) -> {
                    if (method.getName().equals("schedule")) {
                        return timer;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static final class Granted implements AttemptListener {
        volatile boolean granted;

        @Override
        public void granted(final ConnectAttempt attempt) {
            granted = true;
        }

        @Override
        public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
        }

        @Override
        public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
        }
    }
}
