package io.halfopen.policy.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The concurrent side of the semaphore's Lincheck tests: a semaphore under test, tickets that can be cancelled
 * (which withdraws them from the semaphore, the same path as a rejection by the limiter's queue bound), and
 * bookkeeping of who holds a permit so that a release is only ever issued by a holder.
 *
 * <p>Ticket ids are {@code thread * 10 + k}: the {@code k}-th acquire issued by Lincheck thread {@code thread}.
 * Each thread runs its own operations in program order, so the ids are the same in every interleaving and in
 * the sequential specification, which keeps results comparable.
 *
 * <p>Permits are owned: a thread releases only a permit held by one of its own tickets (the oldest), so no
 * release is issued without a holder. Ownership is decided where the semaphore decides it: by the thread's own
 * acquire, or atomically by the ticket's CAS in {@code tryAdmit}, which a release (or a withdrawal that carries
 * a permit on) runs. (A shared "holders" counter updated after the semaphore call returns would not be
 * linearizable by itself and would make Lincheck report the harness instead of the semaphore.)
 *
 * <p>A ticket becomes cancellable once its {@code acquire} returned a waiting handle (it is registered only
 * then), which is when the sequential specification puts it in the queue.
 */
final class SemaphoreHarness {

    /** The part of a semaphore the tests drive; the real one and the deliberately broken ones implement it. */
    interface UnderTest {
        /** Returns {@code null} if the ticket holds a permit now, else its handle for {@link #withdraw}. */
        Object acquire(Ticket ticket);

        void release();

        void withdraw(Object handle);

        long counter();
    }

    /**
     * The real semaphore, with both indices moved {@code cellsBeforeTheBoundary} cells before the end of the
     * first segment by real hand-offs, so that every scenario's waiters cross into a second segment: appending
     * it, moving the head and tail pointers and removing the first segment race with the other operations
     * too, and two concurrent hand-offs can take indices on either side of the boundary.
     */
    static UnderTest real(final int permits, final int cellsBeforeTheBoundary) {
        final QueueingSemaphore<Ticket> semaphore = new QueueingSemaphore<>(permits, Ticket::tryAdmit);
        final SemaphoreHarness preparation = new SemaphoreHarness(permits, null);
        for (int i = 0; i < permits; i++) {
            if (semaphore.acquire(preparation.new Ticket(-1)) != null) {
                throw new AssertionError("a free permit was not granted");
            }
        }
        for (int i = 0; i < Segment.SIZE - cellsBeforeTheBoundary; i++) {
            final Ticket waiter = preparation.new Ticket(-1);
            waiter.state.set(WAITING);
            if (semaphore.acquire(waiter) == null) {
                throw new AssertionError("an acquire with every permit held did not wait");
            }
            semaphore.release(); // grants the waiter, which now holds the permit released
        }
        for (int i = 0; i < permits; i++) {
            semaphore.release();
        }
        if (semaphore.counter() != permits) {
            throw new AssertionError("could not prepare the semaphore: " + semaphore);
        }
        return new UnderTest() {
            @Override
            public Object acquire(final Ticket ticket) {
                return semaphore.acquire(ticket);
            }

            @Override
            public void release() {
                semaphore.release();
            }

            @Override
            public void withdraw(final Object handle) {
                ((QueueingSemaphore.Cell) handle).withdraw();
            }

            @Override
            public long counter() {
                return semaphore.counter();
            }

            @Override
            public String toString() {
                return semaphore.toString();
            }
        };
    }

    static final int NEW = 0;
    static final int WAITING = 1;
    static final int ADMITTED = 2;
    static final int CANCELLED = 3;
    static final int GAVE_BACK = 4;

    /** Result of {@code releaseOne} when the calling thread holds no permit, so nothing was released. */
    static final int NO_HOLDER = -1;
    /**
     * A release does not say whom its permit went to: when it deposits the permit in a cell whose acquirer has
     * not arrived yet it cannot know, and the acquirer then takes it. Who got it is observed afterwards,
     * through which threads can release and which tickets can still be cancelled.
     */
    static final int RELEASED = 0;

    private static final int MAX_THREADS = 16;

    private final int permits;
    private final UnderTest semaphore;
    /** Tickets whose acquire returned a handle, by id: the ones a cancel can find. */
    private final AtomicReferenceArray<Ticket> queued = new AtomicReferenceArray<>(MAX_THREADS * 10);
    /** Row {@code t} is touched only by Lincheck thread {@code t}: the tickets it acquired, oldest first. */
    private final Ticket[][] ticketsByThread = new Ticket[MAX_THREADS][10];
    private final int[] acquiresByThread = new int[MAX_THREADS];

    SemaphoreHarness(final int permits, final UnderTest semaphore) {
        this.permits = permits;
        this.semaphore = semaphore;
    }

    /**
     * Acquires for a new ticket of {@code thread}. Returns nothing on purpose: whether a permit was taken at
     * once is not a property of one linearization point. With elimination, a release that finds an empty cell
     * deposits its permit there, and the acquirer that claims the cell takes it; depending on the
     * interleaving, that is equivalent either to "queued, then granted by that release" or to "the release
     * freed the permit and this acquire took it at once". Who holds a permit is observed instead through the
     * later operations: {@code releaseOne} by the owner, {@code cancel} of a waiter, and {@code available}.
     */
    void acquire(final int thread) {
        final int k = acquiresByThread[thread]++;
        final Ticket ticket = new Ticket(thread * 10 + k);
        ticketsByThread[thread][k] = ticket;
        ticket.state.set(WAITING); // published to a release by the semaphore's CAS of the ticket into its cell
        final Object handle = semaphore.acquire(ticket);
        if (handle == null) {
            ticket.state.set(ADMITTED); // at once, or through a deposited permit
        } else {
            ticket.handle = handle;
            queued.set(ticket.id, ticket);
        }
    }

    int releaseOne(final int thread) {
        Ticket holder = null;
        for (int k = 0; k < acquiresByThread[thread]; k++) {
            final Ticket ticket = ticketsByThread[thread][k];
            if (ticket.state.get() == ADMITTED) {
                holder = ticket;
                break;
            }
        }
        if (holder == null) {
            return NO_HOLDER;
        }
        holder.state.set(GAVE_BACK); // only the owner leaves ADMITTED
        semaphore.release();
        return RELEASED;
    }

    /** Cancels a waiting ticket: it declines every offer from now on, then withdraws from the semaphore. */
    boolean cancel(final int thread, final int k) {
        final Ticket ticket = queued.get(thread * 10 + k);
        if (ticket == null || !ticket.state.compareAndSet(WAITING, CANCELLED)) {
            return false;
        }
        semaphore.withdraw(ticket.handle);
        return true;
    }

    int available() {
        return (int) Math.max(0, semaphore.counter());
    }

    /**
     * Conservation at a quiescent point: {@code counter = permits - held - waiting}, and tickets wait only
     * while every permit is held.
     */
    void checkConservation() {
        int held = 0;
        int waiting = 0;
        for (int thread = 0; thread < MAX_THREADS; thread++) {
            for (int k = 0; k < acquiresByThread[thread]; k++) {
                final int state = ticketsByThread[thread][k].state.get();
                if (state == ADMITTED) {
                    held++;
                } else if (state == WAITING) {
                    waiting++;
                }
            }
        }
        final long counter = semaphore.counter();
        if (held > permits) {
            throw new IllegalStateException(held + " permits held, only " + permits + " exist");
        }
        if (held < permits && waiting != 0) {
            throw new IllegalStateException("waiter stranded: held=" + held + " waiting=" + waiting + " permits="
                    + permits + " counter=" + counter);
        }
        if (counter != permits - held - waiting) {
            throw new IllegalStateException("permits lost or duplicated: counter=" + counter + " but held=" + held
                    + " waiting=" + waiting + " permits=" + permits);
        }
    }

    /** A waiter: leaves the queue by CAS, so a release and a cancel race for it and exactly one wins. */
    final class Ticket {
        final int id;
        final AtomicInteger state = new AtomicInteger(NEW);
        volatile Object handle;

        Ticket(final int id) {
            this.id = id;
        }

        boolean tryAdmit() {
            if (!state.compareAndSet(WAITING, ADMITTED)) {
                if (state.get() == ADMITTED) {
                    throw new AssertionError("ticket " + id + " was offered a permit twice");
                }
                return false;
            }
            return true;
        }
    }
}
