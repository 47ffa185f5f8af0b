package io.halfopen.benchmarks.handoff;

import io.halfopen.benchmarks.support.Tickets;
import io.halfopen.policy.AdmissionTicket;
import java.net.InetSocketAddress;
import java.util.List;

/** A {@link HandoffGate} over a {@link TicketSemaphore}: lanes are {@link TicketLane}s. */
final class TicketGate implements HandoffGate {

    /** Probe tickets in the FIFO check: enough to cross a few 64-cell segments. */
    private static final int PROBES = 200;

    private final String name;
    private final TicketSemaphore semaphore;

    TicketGate(final String name, final TicketSemaphore semaphore) {
        this.name = name;
        this.semaphore = semaphore;
    }

    @Override
    public Lane newLane(final int depth) {
        return new TicketLane(semaphore, depth);
    }

    @Override
    public void finish(final List<Lane> lanes, final int limit) {
        int released;
        do { // each release may grant a queued ticket of any lane, so sweep until a pass releases nothing
            released = 0;
            for (final Lane lane : lanes) {
                released += ((TicketLane) lane).releaseAll();
            }
        } while (released > 0);
        expectIdle(limit, "after the trial");
        checkFifo(limit);
        expectIdle(limit, "after the FIFO probe");
    }

    private void expectIdle(final int limit, final String when) {
        if (semaphore.counter() != limit || semaphore.hasPending()) {
            throw new IllegalStateException(name + " " + when + ": counter " + semaphore.counter() + ", expected "
                    + limit + " free permits and nothing queued (pending: " + semaphore.hasPending() + ")");
        }
    }

    /**
     * On the same instance, single-threaded: take every permit, queue {@value #PROBES} probes, then let each
     * granted probe release; the probes must be granted exactly in the order they queued.
     */
    private void checkFifo(final int limit) {
        final AdmissionTicket holder = Tickets.neverWaits();
        for (int i = 0; i < limit; i++) {
            if (!semaphore.acquire(holder)) {
                throw new IllegalStateException(name + ": a free permit was not granted at once");
            }
        }
        final int[] grantOrder = new int[PROBES];
        final int[] granted = {0};
        for (int i = 0; i < PROBES; i++) {
            final int index = i;
            final boolean admitted = semaphore.acquire(new AdmissionTicket() {
                @Override
                public InetSocketAddress remote() {
                    return Tickets.REMOTE;
                }

                @Override
                public boolean tryAdmit() {
                    grantOrder[granted[0]++] = index;
                    return true;
                }
            });
            if (admitted) {
                throw new IllegalStateException(name + ": probe " + i + " took a permit with every permit held");
            }
        }
        for (int i = 0; i < limit + PROBES; i++) {
            semaphore.release(); // the holder's permits, then each granted probe's, in grant order
        }
        for (int i = 0; i < PROBES; i++) {
            if (grantOrder[i] != i) {
                throw new IllegalStateException(name + ": not FIFO: grant " + i + " went to probe " + grantOrder[i]);
            }
        }
    }
}
