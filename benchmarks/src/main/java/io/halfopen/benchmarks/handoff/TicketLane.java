package io.halfopen.benchmarks.handoff;

import io.halfopen.benchmarks.support.Tickets;
import io.halfopen.policy.AdmissionTicket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.Control;

/**
 * A lane whose waiting attempts are callbacks: the lane is its own reusable ticket, and a grant
 * ({@link #tryAdmit()}, run by whichever thread released) hands the permit to the lane's continuation by
 * counting it into {@link #delivered}. The owning thread picks delivered permits up; it never parks (it spins,
 * then yields).
 */
final class TicketLane implements Lane, AdmissionTicket {

    /**
     * How long the owner spins for a grant before it yields. The owner's wait strategy belongs to this
     * harness, not to the semaphore: a cross-core grant arrives within a few hundred ns when both threads run,
     * but on a machine with more runnable threads than cores a pure spin burns its whole time slice while the
     * thread that must release waits for a core.
     */
    private static final int SPINS_BEFORE_YIELD = 256;

    private final TicketSemaphore semaphore;
    /** Permits granted to this lane by releases, not yet picked up. Written by any thread. */
    private final AtomicInteger delivered = new AtomicInteger();
    /** Permits this lane's thread holds. Owner-only. */
    private int held;

    TicketLane(final TicketSemaphore semaphore, final int depth) {
        this.semaphore = semaphore;
        for (int i = 0; i < depth; i++) {
            start();
        }
    }

    @Override
    public boolean cycle(final Control control, final int holdTokens) {
        if (held == 0) {
            int spins = 0;
            while (delivered.get() == 0) {
                if (control.stopMeasurement) {
                    return false;
                }
                if (++spins < SPINS_BEFORE_YIELD) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // an oversubscribed machine: let the thread that must release run
                }
            }
            held = delivered.getAndSet(0);
        }
        held--;
        Blackhole.consumeCPU(holdTokens);
        if (semaphore.releaseAndAcquire(this)) { // release() then start(), or ours' one combined operation
            held++;
        }
        return true;
    }

    private void start() {
        if (semaphore.acquire(this)) {
            held++;
        }
    }

    /**
     * Releases every permit held or delivered, once the threads have stopped.
     *
     * @return how many were released
     */
    int releaseAll() {
        held += delivered.getAndSet(0);
        final int released = held;
        for (; held > 0; held--) {
            semaphore.release();
        }
        return released;
    }

    @Override
    public InetSocketAddress remote() {
        return Tickets.REMOTE;
    }

    @Override
    public boolean tryAdmit() {
        delivered.getAndIncrement();
        return true;
    }
}
