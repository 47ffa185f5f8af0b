package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("The blocking wait, for plain-socket code")
@Timeout(30)
class BlockingAcquireTest {

    private final VirtualClock clock = new VirtualClock();
    private final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).build();

    @Test
    void returnsAtOnceWhenASlotIsFree() throws Exception {
        final ConnectAttempt attempt = limiter.acquire(remote(25), Duration.ofSeconds(1));
        assertEquals(AttemptState.HALF_OPEN, attempt.state());
        attempt.established();
    }

    @Test
    void waitsUntilAnotherThreadFreesASlot() throws Exception {
        final ConnectAttempt holder = limiter.acquire(remote(1), Duration.ofSeconds(1));
        final CompletableFuture<ConnectAttempt> waiter = acquireAsync(remote(2), Duration.ofMinutes(1));
        awaitQueued(1);
        assertTrue(!waiter.isDone(), "still waiting while the slot is held");
        holder.refused();
        final ConnectAttempt granted = waiter.get(10, TimeUnit.SECONDS);
        assertEquals(AttemptState.HALF_OPEN, granted.state());
        assertEquals(remote(2), granted.remote());
    }

    @Test
    void givesUpAfterMaxWaitWithAQueueTimeoutException() throws Exception {
        limiter.acquire(remote(1), Duration.ofSeconds(1));
        final CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                limiter.acquire(remote(2), Duration.ofSeconds(3));
                return null;
            } catch (final Exception e) {
                return e;
            }
        });
        awaitQueued(1);
        awaitPendingTimers(2); // the holder's half-open timer and the waiter's queue timer are armed
        clock.advance(Duration.ofSeconds(3)); // virtual time: the wait is bounded by the limiter's clock
        final QueueTimeoutException e = assertInstanceOf(QueueTimeoutException.class,
                waiter.get(10, TimeUnit.SECONDS));
        assertEquals(Duration.ofSeconds(3), e.waited());
        assertEquals(0, limiter.stats().queued());
        assertTrue(java.util.Arrays.stream(e.getStackTrace()).anyMatch(frame -> frame.getClassName().equals(
                HalfOpenLimiter.class.getName()) && frame.getMethodName().equals("acquire")),
                "the stack trace points at the waiting caller: " + java.util.Arrays.toString(e.getStackTrace()));
    }

    @Test
    void anInterruptCancelsTheWaitAndHoldsNoSlot() throws Exception {
        final ConnectAttempt holder = limiter.acquire(remote(1), Duration.ofSeconds(1));
        final AtomicInteger interrupted = new AtomicInteger();
        final Thread waiter = new Thread(() -> {
            try {
                limiter.acquire(remote(2), Duration.ofMinutes(1));
            } catch (final InterruptedException e) {
                interrupted.incrementAndGet();
            } catch (final HalfOpenLimitException e) {
                throw new AssertionError(e);
            }
        });
        waiter.start();
        awaitQueued(1);
        waiter.interrupt();
        waiter.join(10_000);
        assertEquals(1, interrupted.get());
        assertEquals(0, limiter.stats().queued());
        assertEquals(1, limiter.stats().cancelled());
        holder.established();
        assertEquals(0, limiter.stats().halfOpen(), "the slot was not handed to the interrupted waiter");
    }

    @Test
    void runsTheAbortActionWhenTheHalfOpenTimeoutExpires() throws Exception {
        final AtomicInteger aborts = new AtomicInteger();
        final ConnectAttempt attempt = limiter.acquire(remote(1), Duration.ofSeconds(1), aborts::incrementAndGet);
        clock.advance(Duration.ofSeconds(21));
        assertEquals(1, aborts.get());
        assertEquals(AttemptState.ABORTING, attempt.state());
        attempt.aborted();
        assertEquals(0, limiter.stats().halfOpen());
    }

    @Test
    void failsWithLimiterClosedWhenTheLimiterClosesWhileWaiting() throws Exception {
        limiter.acquire(remote(1), Duration.ofSeconds(1));
        final CompletableFuture<ConnectAttempt> waiter = acquireAsync(remote(2), Duration.ofMinutes(1));
        awaitQueued(1);
        limiter.close();
        final ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(10, TimeUnit.SECONDS));
        assertInstanceOf(LimiterClosedException.class, e.getCause().getCause());
    }

    private CompletableFuture<ConnectAttempt> acquireAsync(final java.net.InetSocketAddress remote,
            final Duration maxWait) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return limiter.acquire(remote, maxWait);
            } catch (final Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    private void awaitPendingTimers(final int expected) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (clock.pendingTasks() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never saw " + expected + " timers: " + clock.pendingDeadlines());
            }
            Thread.onSpinWait();
        }
    }

    private void awaitQueued(final int expected) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (limiter.stats().queued() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never saw " + expected + " queued: " + limiter.stats());
            }
            Thread.onSpinWait();
        }
    }
}
