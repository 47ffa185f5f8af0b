package io.halfopen.limiter.internal;

import io.halfopen.policy.Admission;
import io.halfopen.policy.AdmissionTicket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock-free, strictly FIFO counting semaphore whose waiters are callbacks, with O(1) cancellation.
 *
 * <h2>Design</h2>
 * A descendant of the CQS framework (Koval, Khalanskiy and Alistarh, PLDI 2023) in its "asynchronous
 * resumption, simple cancellation" form, written for {@link AdmissionTicket}s instead of continuations.
 * <ul>
 *   <li>{@code permits}: a signed counter. {@code permits > 0} is the number of free permits;
 *       {@code permits <= 0} means every permit is held and {@code -permits} cells of the waiting array are
 *       claimed by acquirers that no release has visited yet (live waiters, or waiters that left the
 *       queue and will be skipped).</li>
 *   <li>An infinite array of cells, made of linked {@link Segment}s of {@value Segment#SIZE} cells, with two
 *       indices: {@code enqIdx} (the next cell an acquirer claims) and {@code deqIdx} (the next cell a
 *       release visits).</li>
 * </ul>
 *
 * <h2>Operations</h2>
 * <ul>
 *   <li><b>acquire</b>: one {@code getAndAdd(permits, -1)}. If the old value was positive the permit is
 *       taken: one atomic read-modify-write, no allocation. Otherwise the acquirer claims cell
 *       {@code enqIdx++} and CASes it from empty to its ticket ({@link Admission#QUEUED}). If that CAS fails,
 *       a release already deposited a permit there (see below), and the acquirer owns it
 *       ({@link Admission#ADMITTED}). An acquirer that may not wait CASes a rejection marker instead.</li>
 *   <li><b>release</b>: one {@code getAndAdd(permits, +1)}. If the old value was {@code >= 0} nobody waits:
 *       done. Otherwise the release visits cell {@code deqIdx++} and swaps {@code PERMIT} into it:
 *       <ul>
 *         <li>the cell was empty: its acquirer has counted itself but not yet installed its ticket; the permit
 *             is deposited there and that acquirer will find it (elimination). Done.</li>
 *         <li>the cell held a ticket: {@link AdmissionTicket#tryAdmit()}; if the ticket accepts, done.</li>
 *         <li>the ticket declined (it left the queue), or the cell holds a rejection marker: this permit was
 *             not handed over, so the release starts again with another increment. The decrement of the
 *             departed waiter and this failed increment cancel out.</li>
 *       </ul></li>
 *   <li><b>cancel</b> is not an operation of the semaphore: a ticket that leaves the queue flips its own
 *       state, in O(1), and the release that reaches its cell skips it as above.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ol>
 *   <li>Conservation: at every quiescent point, {@code permits = maxPermits - held - pendingCells}, where
 *       {@code held} counts permits that were taken (fast path, deposit, or accepted grant) and not released,
 *       and {@code pendingCells = enqIdx - deqIdx} counts claimed cells not yet visited.</li>
 *   <li>FIFO: waiters are ordered by their {@code enqIdx} increment (each decrement that returned
 *       {@code <= 0} is followed by exactly one cell claim, though two acquirers between the two steps may
 *       claim in either order), and releases visit cells in index order, so a waiter is offered a permit only
 *       after every live waiter in an earlier cell was granted. A new acquirer cannot barge: while anyone
 *       waits, {@code permits <= 0} and its decrement sends it to the back of the queue.</li>
 *   <li>Exactly once: each cell is visited by exactly one release ({@code deqIdx} is a counter), and each
 *       ticket is offered a permit at most once; a permit is either taken by exactly one party or returned by
 *       a retried increment. No permit is created or lost.</li>
 * </ol>
 *
 * <h2>Memory ordering</h2>
 * All accesses to {@code permits}, {@code enqIdx}, {@code deqIdx} and the cells are volatile-mode atomic
 * operations (getAndAdd, compareAndSet, getAndSet), so they are totally ordered and each one
 * synchronizes-with the next on the same variable. In particular: an acquirer's writes before its CAS of the
 * ticket into a cell (the ticket's state, its queue timer) happen-before the release's getAndSet that reads
 * the ticket, and a release's writes before depositing {@code PERMIT} happen-before the acquirer's failed CAS
 * that observes it. Segment pointers ({@code head}, {@code tail}, {@code next}) are read volatile and moved
 * forward by CAS; a stale pointer is only ever behind, never ahead, because each side reads its pointer
 * before it increments its index (a segment only becomes a pointer's target after some index inside it was
 * handed out).
 *
 * <h2>Why not JCTools here</h2>
 * The queue is not a JCTools queue: a queue's offer and poll cannot express "a release that finds the
 * cell empty leaves its permit there", which is what makes the fast path one atomic operation and the
 * hand-off lock-free without a lost wake-up. Padding is done by the class hierarchy, as JCTools does it, so
 * the counter, the enqueue side and the dequeue side each sit on their own cache lines.
 *
 * <p>Thread-safe and lock-free. Memory: one segment of {@value Segment#SIZE} references per
 * {@value Segment#SIZE} waits; segments behind both indices become garbage.
 */
public final class QueueingSemaphore extends QueueingSemaphoreDequeueSide {

    private static final VarHandle PERMITS;
    private static final VarHandle ENQ_IDX;
    private static final VarHandle DEQ_IDX;
    private static final VarHandle TAIL;
    private static final VarHandle HEAD;
    private static final VarHandle PEAK_HELD;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PERMITS = lookup.findVarHandle(QueueingSemaphoreCounter.class, "permits", int.class);
            ENQ_IDX = lookup.findVarHandle(QueueingSemaphoreEnqueueSide.class, "enqIdx", long.class);
            TAIL = lookup.findVarHandle(QueueingSemaphoreEnqueueSide.class, "tail", Segment.class);
            DEQ_IDX = lookup.findVarHandle(QueueingSemaphoreDequeueSide.class, "deqIdx", long.class);
            HEAD = lookup.findVarHandle(QueueingSemaphoreDequeueSide.class, "head", Segment.class);
            PEAK_HELD = lookup.findVarHandle(QueueingSemaphore.class, "peakHeld", int.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Left in a cell by a release that got there before its acquirer: the permit waits there. */
    static final Object PERMIT = new Marker("PERMIT");
    /** Left in a cell by an acquirer that could not wait: the release that visits it must retry. */
    static final Object REJECTED = new Marker("REJECTED");

    private final int maxPermits;
    @SuppressWarnings("unused") // accessed through PEAK_HELD
    private volatile int peakHeld;

    /**
     * Creates a semaphore with {@code maxPermits} free permits and nobody waiting.
     *
     * @param maxPermits the number of permits, at least 1
     */
    public QueueingSemaphore(final int maxPermits) {
        if (maxPermits < 1) {
            throw new IllegalArgumentException("maxPermits must be >= 1, was " + maxPermits);
        }
        this.maxPermits = maxPermits;
        final Segment first = new Segment(0);
        PERMITS.setRelease(this, maxPermits);
        TAIL.setRelease(this, first);
        HEAD.setRelease(this, first);
        VarHandle.fullFence(); // publish the initial state before the constructor returns
    }

    /**
     * Takes a permit at once, or queues {@code ticket} to be granted one in FIFO order.
     *
     * @param ticket the attempt; its {@link AdmissionTicket#tryWait()} is called only if it has to wait
     * @return {@link Admission#ADMITTED} if the caller now holds a permit, {@link Admission#QUEUED} if the
     *         ticket will be offered one through {@link AdmissionTicket#tryAdmit()}, or
     *         {@link Admission#REJECTED} if it had to wait and declined
     */
    public Admission acquire(final AdmissionTicket ticket) {
        final int before = (int) PERMITS.getAndAdd(this, -1);
        if (before > 0) {
            recordHeld(maxPermits - before + 1);
            return Admission.ADMITTED;
        }
        return acquireSlowPath(ticket);
    }

    /**
     * Takes a permit only if one is free and nobody waits; never queues.
     *
     * @return {@code true} if the caller now holds a permit
     */
    public boolean tryAcquire() {
        int current = (int) PERMITS.getVolatile(this);
        while (current > 0) {
            final int witness = (int) PERMITS.compareAndExchange(this, current, current - 1);
            if (witness == current) {
                recordHeld(maxPermits - current + 1);
                return true;
            }
            current = witness;
        }
        return false;
    }

    private Admission acquireSlowPath(final AdmissionTicket ticket) {
        final boolean mayWait = ticket.tryWait();
        final Segment start = (Segment) TAIL.getVolatile(this);
        final long index = (long) ENQ_IDX.getAndAdd(this, 1L);
        final Segment segment = findSegmentAndMoveTail(start, index / Segment.SIZE);
        final int cell = (int) (index % Segment.SIZE);
        if (segment.compareAndSet(cell, null, mayWait ? ticket : REJECTED)) {
            return mayWait ? Admission.QUEUED : Admission.REJECTED;
        }
        // The only other value a cell can hold before its acquirer writes it is a deposited permit.
        recordHeld(maxPermits);
        return Admission.ADMITTED;
    }

    /**
     * Returns a permit: hands it to the oldest waiter still waiting, or frees it.
     *
     * <p>The caller must hold a permit; releasing more often than acquiring corrupts the count. The
     * limiter's attempts guarantee one release per permit.
     */
    public void release() {
        while (true) {
            final int before = (int) PERMITS.getAndAdd(this, 1);
            if (before >= 0 || handToNextWaiter()) {
                return;
            }
        }
    }

    private boolean handToNextWaiter() {
        final Segment start = (Segment) HEAD.getVolatile(this);
        final long index = (long) DEQ_IDX.getAndAdd(this, 1L);
        final Segment segment = findSegmentAndMoveHead(start, index / Segment.SIZE);
        final Object previous = segment.getAndSet((int) (index % Segment.SIZE), PERMIT);
        if (previous == null) {
            return true; // deposited: the acquirer that claimed this cell takes it
        }
        if (previous == REJECTED) {
            return false;
        }
        return ((AdmissionTicket) previous).tryAdmit();
    }

    /**
     * Returns the number of permits free now, zero when all are held. A racy snapshot, for stats.
     *
     * @return free permits
     */
    public int availablePermits() {
        return Math.max(0, (int) PERMITS.getVolatile(this));
    }

    /**
     * Returns the number of permits held now. A racy snapshot, for stats.
     *
     * @return held permits, between 0 and {@link #maxPermits()}
     */
    public int heldPermits() {
        return maxPermits - availablePermits();
    }

    /**
     * Returns the raw counter: free permits if positive, minus the claimed and unvisited cells otherwise.
     *
     * @return the counter, for tests and diagnostics
     */
    public int counter() {
        return (int) PERMITS.getVolatile(this);
    }

    /**
     * Returns the highest number of permits held at once since creation.
     *
     * @return the peak
     */
    public int peakHeld() {
        return (int) PEAK_HELD.getVolatile(this);
    }

    /**
     * Returns the number of permits this semaphore was created with.
     *
     * @return the permit count
     */
    public int maxPermits() {
        return maxPermits;
    }

    /**
     * Returns the tickets that occupy cells between the two indices, oldest first: a weakly consistent
     * view, which may include tickets that already left the queue. Used by the limiter to fail every waiter
     * on shutdown.
     *
     * @param consumer receives each ticket
     */
    public void forEachQueued(final java.util.function.Consumer<AdmissionTicket> consumer) {
        Segment segment = (Segment) HEAD.getVolatile(this);
        long index = Math.max((long) DEQ_IDX.getVolatile(this), segment.id * Segment.SIZE);
        final long end = (long) ENQ_IDX.getVolatile(this);
        while (index < end && segment != null) {
            if (index / Segment.SIZE != segment.id) {
                segment = segment.next();
                continue;
            }
            final Object value = segment.get((int) (index % Segment.SIZE));
            if (value instanceof AdmissionTicket) {
                consumer.accept((AdmissionTicket) value);
            }
            index++;
        }
    }

    /**
     * Keeps the peak of held permits. Writes only when a new peak is reached, which happens at most
     * {@code maxPermits} times over the semaphore's life, so the hot path pays one plain-speed read.
     */
    private void recordHeld(final int held) {
        int peak = (int) PEAK_HELD.getOpaque(this);
        while (held > peak) {
            final int witness = (int) PEAK_HELD.compareAndExchange(this, peak, held);
            if (witness == peak) {
                return;
            }
            peak = witness;
        }
    }

    private Segment findSegmentAndMoveTail(final Segment start, final long id) {
        final Segment found = start.findForward(id);
        moveForward(TAIL, found);
        return found;
    }

    private Segment findSegmentAndMoveHead(final Segment start, final long id) {
        final Segment found = start.findForward(id);
        moveForward(HEAD, found);
        return found;
    }

    private void moveForward(final VarHandle pointer, final Segment to) {
        while (true) {
            final Segment current = (Segment) pointer.getVolatile(this);
            if (current.id >= to.id || pointer.compareAndSet(this, current, to)) {
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "QueueingSemaphore[maxPermits=" + maxPermits + ", counter=" + counter() + ", enqIdx="
                + (long) ENQ_IDX.getVolatile(this) + ", deqIdx=" + (long) DEQ_IDX.getVolatile(this) + "]";
    }

    private static final class Marker {
        private final String name;

        Marker(final String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}

/** Padding before the counter, so nothing allocated before this object shares its cache line. */
abstract class QueueingSemaphorePad0 {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}

/** The permit counter, the only field the fast path writes. */
abstract class QueueingSemaphoreCounter extends QueueingSemaphorePad0 {
    volatile int permits;
}

/** Padding between the counter and the enqueue side. */
abstract class QueueingSemaphorePad1 extends QueueingSemaphoreCounter {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}

/** The enqueue side: written by acquirers that wait. */
abstract class QueueingSemaphoreEnqueueSide extends QueueingSemaphorePad1 {
    volatile long enqIdx;
    volatile Segment tail;
}

/** Padding between the enqueue side and the dequeue side. */
abstract class QueueingSemaphorePad2 extends QueueingSemaphoreEnqueueSide {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}

/** The dequeue side: written by releases that hand permits to waiters. */
abstract class QueueingSemaphoreDequeueSide extends QueueingSemaphorePad2 {
    volatile long deqIdx;
    volatile Segment head;
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}
