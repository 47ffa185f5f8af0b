package io.halfopen.benchmarks.handoff;

import io.halfopen.benchmarks.baseline.XaddQueueSemaphore;
import io.halfopen.policy.AdmissionTicket;
import io.halfopen.policy.internal.QueueingSemaphore;

/** The two semaphores whose waiters are {@link AdmissionTicket} callbacks, behind one shape. */
interface TicketSemaphore {

    /** Takes a permit ({@code true}) or queues the ticket ({@code false}), which a release then grants. */
    boolean acquire(AdmissionTicket ticket);

    void release();

    /** Free permits; for ours the raw counter, which also shows cells claimed and not yet visited. */
    int counter();

    /** Whether any cell or queue slot is still pending. */
    boolean hasPending();

    static TicketSemaphore of(final QueueingSemaphore<AdmissionTicket> semaphore) {
        return new TicketSemaphore() {
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
