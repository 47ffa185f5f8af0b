package io.halfopen.policy.internal;

import static io.halfopen.policy.internal.StressTicket.LEFT;
import static io.halfopen.policy.internal.StressTicket.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Randomized stress of the bare semaphore with no timeouts to rescue anyone: three threads share two permits,
 * and each one acquires, waits for its grant (or, at random, withdraws while waiting, as a cancelled or
 * rejected waiter does), and releases; thousands of segments are crossed, removed and jumped. A waiter that no
 * hand-off ever reaches keeps its thread waiting: the test fails after a generous bound instead of hanging.
 * Afterwards the counter is back at the permits, nobody waits, and only the head and tail segments are linked.
 * Conservation is also checked on the fly: never more holders than permits.
 */
@DisplayName("The semaphore under three threads: nobody stranded, nothing lost, memory back to two segments")
class QueueingSemaphoreStressTest {

    private static final int PERMITS = 2;
    private static final int THREADS = 3;
    private static final int ROUNDS_PER_THREAD = 200_000;
    private final AtomicInteger holders = new AtomicInteger();
    private final AtomicInteger maxHolders = new AtomicInteger();
    private final AtomicLong withdrawals = new AtomicLong();
    private final AtomicLong handOffs = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @Test
    void threeThreadsOnTwoPermitsWithRandomWithdrawalsStrandNobodyAndLoseNothing() throws InterruptedException {
        final QueueingSemaphore<StressTicket> semaphore = new QueueingSemaphore<>(PERMITS, StressTicket::tryAdmit);
        final Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            final int seed = t;
            threads[t] = new Thread(() -> {
                try {
                    run(semaphore, new SplittableRandom(seed));
                } catch (final Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "semaphore-stress-" + t);
            threads[t].start();
        }
        for (final Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a stress thread failed: " + semaphore, failure.get());
        }
        System.out.printf("[stress] semaphore: %d rounds, %d hand-offs, %d withdrawals, %d segments linked at the"
                + " end%n", THREADS * ROUNDS_PER_THREAD, handOffs.get(), withdrawals.get(), semaphore.linkedSegments());
        assertEquals(PERMITS, semaphore.counter(), "every permit came back, no waiter is owed one");
        assertTrue(maxHolders.get() <= PERMITS, "holders at once: " + maxHolders.get());
        assertTrue(handOffs.get() > 10_000, "too few hand-offs to mean anything: " + handOffs.get());
        assertTrue(withdrawals.get() > 10_000, "too few withdrawals to mean anything: " + withdrawals.get());
        assertTrue(semaphore.linkedSegments() <= 2, "segments still linked: " + semaphore.linkedSegments());
        final int[] queued = {0};
        semaphore.forEachQueued(ticket -> queued[0]++);
        assertEquals(0, queued[0], "waiters left in the queue");
    }

    @Test
    void twoThreadsRacingToTryAcquireOnePermitNeverBothHoldIt() throws InterruptedException {
        // tryAcquire's CAS loses whenever the other thread moved the counter between its read and its CAS: a
        // lost CAS must re-read, never count as taken (the counter would then end above its permits).
        final QueueingSemaphore<StressTicket> semaphore = new QueueingSemaphore<>(1, StressTicket::tryAdmit);
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicLong taken = new AtomicLong();
        final Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                    for (int round = 0; round < ROUNDS_PER_THREAD && failure.get() == null; round++) {
                        if (semaphore.tryAcquire()) {
                            taken.incrementAndGet();
                            final int now = holders.incrementAndGet();
                            maxHolders.accumulateAndGet(now, Math::max);
                            holders.decrementAndGet();
                            semaphore.release();
                        }
                    }
                } catch (final Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "try-acquire-stress-" + t);
            threads[t].start();
        }
        start.countDown();
        for (final Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a stress thread failed: " + semaphore, failure.get());
        }
        assertEquals(1, semaphore.counter(), "the one permit came back, and no other appeared");
        assertEquals(1, maxHolders.get(), "holders at once");
        assertEquals(1, semaphore.peakHeld());
        assertTrue(taken.get() > 0, "nobody took the permit");
    }

    private void run(final QueueingSemaphore<StressTicket> semaphore, final SplittableRandom random) {
        for (int round = 0; round < ROUNDS_PER_THREAD && failure.get() == null; round++) {
            final StressTicket ticket = new StressTicket();
            final QueueingSemaphore.Cell cell = semaphore.acquire(ticket);
            if (cell != null) {
                if (random.nextInt(100) < 30 && ticket.state.compareAndSet(WAITING, LEFT)) {
                    cell.withdraw();
                    withdrawals.incrementAndGet();
                    continue;
                }
                ticket.awaitGrant(semaphore);
                handOffs.incrementAndGet();
            }
            final int now = holders.incrementAndGet();
            maxHolders.accumulateAndGet(now, Math::max);
            if (random.nextInt(4) == 0) {
                Thread.yield();
            }
            holders.decrementAndGet();
            semaphore.release();
        }
    }
}
