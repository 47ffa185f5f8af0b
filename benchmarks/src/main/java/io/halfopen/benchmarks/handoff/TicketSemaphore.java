package io.halfopen.benchmarks.handoff;

import io.halfopen.benchmarks.baseline.XaddQueueSemaphore;
import io.halfopen.limiter.internal.QueueingSemaphore;
import io.halfopen.policy.Admission;
import io.halfopen.policy.AdmissionTicket;

/** The two semaphores whose waiters are {@link AdmissionTicket} callbacks, behind one shape. */
interface TicketSemaphore {

    Admission acquire(AdmissionTicket ticket);

    void release();

    /** Free permits; for ours the raw counter, which also shows cells claimed and not yet visited. */
    int counter();

    /** Whether any cell or queue slot is still pending. */
    boolean hasPending();

    static TicketSemaphore of(final QueueingSemaphore semaphore) {
        return new TicketSemaphore() {
            @Override
            public Admission acquire(final AdmissionTicket ticket) {
                return semaphore.acquire(ticket);
            }

            @Override
            public void release() {
                semaphore.release();
            }

            @Override
            public int counter() {
                return semaphore.counter();
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
            public Admission acquire(final AdmissionTicket ticket) {
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
