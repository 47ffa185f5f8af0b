package io.halfopen.limiter.internal;

import io.halfopen.policy.Admission;
import io.halfopen.policy.AdmissionTicket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The concurrent side of the semaphore's Lincheck tests: a semaphore under test, tickets that can be cancelled,
 * and bookkeeping of who holds a permit so that a release is only ever issued by a holder.
 *
 * <p>Ticket ids are {@code thread * 10 + k}: the {@code k}-th acquire issued by Lincheck thread {@code thread}.
 * Each thread runs its own operations in program order, so the ids are the same in every interleaving and in
 * the sequential specification, which keeps results comparable.
 *
 * <p>Permits are owned: a thread releases only a permit held by one of its own tickets (the oldest), so no
 * release is issued without a holder. Ownership is decided where the semaphore decides it: by the thread's own
 * acquire, or atomically by the ticket's CAS in {@code tryAdmit}, which a release runs. (A shared "holders"
 * counter updated after the semaphore call returns would not be linearizable by itself and would make
 * Lincheck report the harness instead of the semaphore.)
 *
 * <p>A ticket becomes cancellable once its {@code acquire} returned {@link Admission#QUEUED} (it is registered
 * only then), which is when the sequential specification puts it in the queue.
 */
final class SemaphoreHarness {

    /** The part of a semaphore the tests drive; the real one and the deliberately broken ones implement it. */
    interface UnderTest {
        Admission acquire(AdmissionTicket ticket);

        void release();

        int counter();
    }

    /**
     * The real semaphore, with both indices moved to two cells before the end of the first segment, so that
     * every scenario's waiters cross into a second segment: appending it, and moving the head and tail
     * pointers, race with the other operations too.
     */
    static UnderTest real(final int permits) {
        final QueueingSemaphore semaphore = new QueueingSemaphore(permits);
        final AdmissionTicket departed = new AdmissionTicket() {
            @Override
            public InetSocketAddress remote() {
                return REMOTE;
            }

            @Override
            public boolean tryWait() {
                return true;
            }

            @Override
            public boolean tryAdmit() {
                return false; // left the queue before its turn
            }
        };
        for (int i = 0; i < permits; i++) {
            semaphore.acquire(departed);
        }
        for (int i = 0; i < Segment.SIZE - 2; i++) {
            semaphore.acquire(departed);
        }
        for (int i = 0; i < permits; i++) {
            semaphore.release(); // the first release skips every departed waiter
        }
        if (semaphore.counter() != permits) {
            throw new AssertionError("could not prepare the semaphore: " + semaphore);
        }
        return new UnderTest() {
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
     * not arrived yet it cannot know, and the acquirer then returns {@link Admission#ADMITTED}. Who got it is
     * observed afterwards, through which threads can release and which tickets can still be cancelled.
     */
    static final int RELEASED = 0;

    private static final int MAX_THREADS = 16;
    private static final InetSocketAddress REMOTE = InetSocketAddress.createUnresolved("lincheck", 1);

    private final int permits;
    private final UnderTest semaphore;
    /** Tickets whose acquire returned QUEUED, by id: the ones a cancel can find. */
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
     * deposits its permit there, and the acquirer that claims the cell returns {@link Admission#ADMITTED}
     * after {@code tryWait()}; depending on the interleaving, that is equivalent either to "queued, then
     * granted by that release" or to "the release freed the permit and this acquire took it at once". Who
     * holds a permit is observed instead through the later operations: {@code releaseOne} by the owner,
     * {@code cancel} of a waiter, and {@code available}.
     */
    void acquire(final int thread) {
        final int k = acquiresByThread[thread]++;
        final Ticket ticket = new Ticket(thread * 10 + k);
        ticketsByThread[thread][k] = ticket;
        final Admission admission = semaphore.acquire(ticket);
        switch (admission) {
            case ADMITTED -> ticket.state.set(ADMITTED); // at once (NEW) or through a deposited permit (WAITING)
            case QUEUED -> queued.set(ticket.id, ticket);
            default -> throw new AssertionError("a ticket that may wait was " + admission);
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

    boolean cancel(final int thread, final int k) {
        final Ticket ticket = queued.get(thread * 10 + k);
        return ticket != null && ticket.state.compareAndSet(WAITING, CANCELLED);
    }

    int available() {
        return Math.max(0, semaphore.counter());
    }

    /**
     * Conservation at a quiescent point: {@code counter = permits - held - unvisitedCells}, and cells stay
     * unvisited only while every permit is held.
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
        final int counter = semaphore.counter();
        if (held > permits) {
            throw new IllegalStateException(held + " permits held, only " + permits + " exist");
        }
        if (held < permits && (counter != permits - held || waiting != 0)) {
            throw new IllegalStateException("permits lost or waiter stranded: held=" + held + " counter=" + counter
                    + " waiting=" + waiting + " permits=" + permits);
        }
        if (held == permits && counter > -waiting) {
            throw new IllegalStateException("counter " + counter + " does not count " + waiting + " waiters");
        }
    }

    /** A waiter: leaves the queue by CAS, so a release and a cancel race for it and exactly one wins. */
    final class Ticket implements AdmissionTicket {
        final int id;
        final AtomicInteger state = new AtomicInteger(NEW);

        Ticket(final int id) {
            this.id = id;
        }

        @Override
        public InetSocketAddress remote() {
            return REMOTE;
        }

        @Override
        public boolean tryWait() {
            if (!state.compareAndSet(NEW, WAITING)) {
                throw new AssertionError("tryWait called twice on ticket " + id);
            }
            return true;
        }

        @Override
        public boolean tryAdmit() {
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
