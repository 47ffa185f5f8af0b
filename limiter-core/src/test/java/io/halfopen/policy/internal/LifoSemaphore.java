package io.halfopen.policy.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A deliberately wrong semaphore for a known-bad Lincheck test: correct counting under a lock, so it conserves
 * permits and passes the conservation check, but a release hands its permit to the newest waiter instead of
 * the oldest. Only the FIFO specification can tell it from the real one.
 */
final class LifoSemaphore implements SemaphoreHarness.UnderTest {

    private final Deque<SemaphoreHarness.Ticket> waiters = new ArrayDeque<>();
    private int free;

    LifoSemaphore(final int permits) {
        this.free = permits;
    }

    @Override
    public synchronized Object acquire(final SemaphoreHarness.Ticket ticket) {
        if (free > 0) {
            free--;
            return null;
        }
        waiters.addLast(ticket);
        return ticket;
    }

    @Override
    public synchronized void release() {
        SemaphoreHarness.Ticket next;
        while ((next = waiters.pollLast()) != null) { // BUG: newest first
            if (next.tryAdmit()) {
                return;
            }
        }
        free++;
    }

    @Override
    public synchronized void withdraw(final Object handle) {
        waiters.remove(handle);
    }

    @Override
    public synchronized long counter() {
        return free - waiters.size();
    }
}
