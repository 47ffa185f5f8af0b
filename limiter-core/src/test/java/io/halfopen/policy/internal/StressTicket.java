package io.halfopen.policy.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The waiter of the semaphore's stress tests ({@link QueueingSemaphoreStressTest},
 * {@link QueueingSemaphoreReleaseAndAcquireStressTest}), with the limiter's attempts' protocol: one CAS out of
 * {@link #WAITING} decides between a grant ({@link #tryAdmit}, the semaphore's offer) and a withdrawal (its owner's
 * CAS to {@link #LEFT}); and the bounded wait for a grant, which fails instead of hanging when no hand-off comes.
 */
final class StressTicket {

    static final int WAITING = 1;
    static final int ADMITTED = 2;
    static final int LEFT = 3;

    /** How long a waiter waits for its grant before the test calls it stranded. */
    static final long STRANDED_AFTER_NANOS = TimeUnit.SECONDS.toNanos(20);

    final AtomicInteger state = new AtomicInteger(WAITING);

    boolean tryAdmit() {
        return state.compareAndSet(WAITING, ADMITTED);
    }

    /**
     * Spins (yielding every 64 spins) until this ticket is admitted; fails after {@link #STRANDED_AFTER_NANOS}.
     *
     * @param semaphore described in the failure
     */
    void awaitGrant(final QueueingSemaphore<?> semaphore) {
        final long deadline = System.nanoTime() + STRANDED_AFTER_NANOS;
        int spins = 0;
        while (state.get() != ADMITTED) {
            if (++spins % 64 == 0) {
                Thread.yield();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("a waiter was stranded: no hand-off reached it in 20 s: " + semaphore);
                }
            }
        }
    }
}
