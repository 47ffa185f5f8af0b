package io.halfopen.benchmarks.handoff;

import io.halfopen.benchmarks.baseline.XaddQueueSemaphore;
import io.halfopen.policy.AdmissionTicket;
import io.halfopen.policy.internal.QueueingSemaphore;

/** The two semaphores whose waiters are {@link AdmissionTicket} callbacks, behind one shape. */
interface TicketSemaphore {

    /** Takes a permit ({@code true}) or queues the ticket ({@code false}), which a release then grants. */
    boolean acquire(AdmissionTicket ticket);

    void release();

    /**
     * {@code release()} then {@code acquire(ticket)}: ours has a combined operation
     * ({@link QueueingSemaphore#releaseAndAcquire}), used by {@link HandoffType#QUEUEING_SEMAPHORE_COMBINED} only.
     */
    default boolean releaseAndAcquire(final AdmissionTicket ticket) {
        release();
        return acquire(ticket);
    }

    /** Free permits; for ours the raw counter, which also shows cells claimed and not yet visited. */
    int counter();

    /** Whether any cell or queue slot is still pending. */
    boolean hasPending();

    static TicketSemaphore of(final QueueingSemaphore<AdmissionTicket> semaphore) {
        return of(semaphore, false);
    }

    /**
     * Ours; {@code combined}: the lane's release-then-start is one {@code releaseAndAcquire}, else the two calls.
     */
    static TicketSemaphore of(final QueueingSemaphore<AdmissionTicket> semaphore, final boolean combined) {
        return new TicketSemaphore() {
            @Override
            public boolean releaseAndAcquire(final AdmissionTicket ticket) {
                if (!combined) {
                    release();
                    return acquire(ticket);
                }
                return semaphore.releaseAndAcquire(ticket) == null;
            }

            @Override
            public boolean acquire(final AdmissionTicket ticket) {
                return semaphore.acquire(ticket) == null;
            }

            @Override
            public void release() {
                semaphore.release();
            }

            @Override
            public int counter() {
                return (int) semaphore.counter();
            }

            @Override
            public boolean hasPending() {
                final boolean[] any = new boolean[1];
                semaphore.forEachQueued(ticket -> any[0] = true);
                return any[0];
            }
        };
    }

    static TicketSemaphore of(final XaddQueueSemaphore semaphore) {
        return new TicketSemaphore() {
            @Override
            public boolean acquire(final AdmissionTicket ticket) {
                return semaphore.acquire(ticket);
            }

            @Override
            public void release() {
                semaphore.release();
            }

            @Override
            public int counter() {
                return semaphore.availablePermits();
            }

            @Override
            public boolean hasPending() {
                return semaphore.hasQueued();
            }
        };
    }
}
