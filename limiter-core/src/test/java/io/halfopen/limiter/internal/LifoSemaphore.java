package io.halfopen.limiter.internal;

import io.halfopen.policy.Admission;
import io.halfopen.policy.AdmissionTicket;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A deliberately wrong semaphore for a known-bad Lincheck test: correct counting under a lock, so it conserves
 * permits and passes the conservation check, but a release hands its permit to the newest waiter instead of
 * the oldest. Only the FIFO specification can tell it from the real one.
 */
final class LifoSemaphore implements SemaphoreHarness.UnderTest {

    private final Deque<AdmissionTicket> waiters = new ArrayDeque<>();
    private int free;
    private int waiting;

    LifoSemaphore(final int permits) {
        this.free = permits;
    }

    @Override
    public synchronized Admission acquire(final AdmissionTicket ticket) {
        if (free > 0) {
            free--;
            return Admission.ADMITTED;
        }
        ticket.tryWait();
        waiters.addLast(ticket);
        waiting++;
        return Admission.QUEUED;
    }

    @Override
    public synchronized void release() {
        AdmissionTicket next;
        while ((next = waiters.pollLast()) != null) { // BUG: newest first
            waiting--;
            if (next.tryAdmit()) {
                return;
            }
        }
        free++;
    }

    @Override
    public synchronized int counter() {
        return free - waiting;
    }
}
