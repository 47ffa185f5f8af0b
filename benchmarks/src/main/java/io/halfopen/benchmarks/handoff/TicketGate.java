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
     * On the same instance, single-threaded: take every permit, queue {@value #PROBES} probes, then give the
     * holder's permits back through {@link TicketSemaphore#releaseAndAcquire}, each with one more probe (the
     * combined operation of {@code QUEUEING_SEMAPHORE_COMBINED}; the two calls for the others), then let each
     * granted probe release: the probes must be granted exactly in the order they asked, the late ones after the
     * queued ones (a release-and-acquire that kept its permit while others waited would jump the queue). What this
     * cannot see is an order lost between threads (the probe is single-threaded, after the trial):
     * {@code XaddQueueSemaphore} passes it and is not strictly FIFO under concurrency. Ours is judged there by
     * limiter-core's model-checked and stress tests ({@code QueueingSemaphoreLincheckTest},
     * {@code ReleaseAndAcquireInterleavingsLincheckTest}, {@code QueueingSemaphoreStressTest}).
     *
     * @throws IllegalStateException naming the first grant out of order, or a probe that took a held permit
     */
    void checkFifo(final int limit) {
        final AdmissionTicket holder = Tickets.neverWaits();
        for (int i = 0; i < limit; i++) {
            if (!semaphore.acquire(holder)) {
                throw new IllegalStateException(name + ": a free permit was not granted at once");
            }
        }
        final int probes = PROBES + limit;
        final int[] grantOrder = new int[probes];
        final int[] granted = {0};
        for (int i = 0; i < PROBES; i++) {
            if (semaphore.acquire(probe(i, grantOrder, granted))) {
                throw new IllegalStateException(name + ": probe " + i + " took a permit with every permit held");
            }
        }
        for (int i = PROBES; i < probes; i++) { // the holder's permits, each given back with one more probe
            if (semaphore.releaseAndAcquire(probe(i, grantOrder, granted))) {
                throw new IllegalStateException(name + ": probe " + i + " kept the permit it released while "
                        + (i - granted[0]) + " older probes waited");
            }
        }
        for (int i = 0; i < probes; i++) {
            semaphore.release(); // each granted probe's permit, in grant order
        }
        if (granted[0] != probes) {
            throw new IllegalStateException(name + ": " + granted[0] + " of " + probes + " probes granted");
        }
        for (int i = 0; i < probes; i++) {
            if (grantOrder[i] != i) {
                throw new IllegalStateException(name + ": not FIFO: grant " + i + " went to probe " + grantOrder[i]);
            }
        }
    }

    private static AdmissionTicket probe(final int index, final int[] grantOrder, final int[] granted) {
        return new AdmissionTicket() {
            @Override
            public InetSocketAddress remote() {
                return Tickets.REMOTE;
            }

            @Override
            public boolean tryAdmit() {
                if (granted[0] < grantOrder.length) {
                    grantOrder[granted[0]] = index;
                }
                granted[0]++;
                return true;
            }
        };
    }
}
