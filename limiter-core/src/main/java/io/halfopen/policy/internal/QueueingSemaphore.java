package io.halfopen.policy.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A lock-free, strictly FIFO counting semaphore whose waiters are callbacks, with O(1) withdrawal of a
 * waiter and memory that follows the live waiters.
 *
 * <h2>Design</h2>
 * A descendant of CQS (Koval, Khalanskiy and Alistarh, PLDI 2023) in its "asynchronous resumption, smart
 * cancellation" form, with CQS's segment removal, written for callback waiters of any type {@code W}:
 * <ul>
 *   <li>{@code permits}: a signed 64-bit counter. {@code permits > 0} is the number of free permits;
 *       {@code permits <= 0} means every permit is held and {@code -permits} waiters are owed a permit that no
 *       hand-off is carrying to them yet.</li>
 *   <li>An infinite array of cells, made of linked {@link Segment}s of {@value Segment#SIZE} cells, with two
 *       indices: {@code enqIdx} (the next cell an acquirer claims) and {@code deqIdx} (the next cell a
 *       hand-off visits).</li>
 *   <li>A cell holds {@code null} (claimed by an index, not yet written), a waiter's {@link Cell} (its handle,
 *       which holds the waiter), or a marker:
 *       {@code PERMIT} (a hand-off wrote it: a deposit for an acquirer that had not arrived, a permit left
 *       with a waiter that was leaving, or a visited cell), {@code CANCELLED} (its waiter left and gave its
 *       count back; a hand-off skips it) or {@code REFUSED} (its waiter left after a hand-off was already
 *       carrying a permit to it; that hand-off ends there).</li>
 * </ul>
 *
 * <h2>Operations</h2>
 * <ul>
 *   <li><b>acquire</b>: one {@code getAndAdd(permits, -1)}. If the old value was positive the permit is
 *       taken: one atomic read-modify-write, no allocation. Otherwise the acquirer claims cell
 *       {@code enqIdx++} and CASes it from {@code null} to its waiter; nothing runs between the decrement and
 *       that CAS but finding the segment and filling in its handle. If the CAS fails, a hand-off deposited a
 *       permit there and the acquirer owns it (the handle is dropped). A waiter gets its {@link Cell}, the
 *       handle for {@link Cell#withdraw()}.</li>
 *   <li><b>release</b>: one {@code getAndAdd(permits, +1)}. If the old value was {@code >= 0} nobody is owed
 *       a permit: done. Otherwise this release carries the permit to the next waiter (a <em>hand-off</em>):
 *       it visits cell {@code deqIdx++} and swaps {@code PERMIT} in. Empty: deposited, done. A waiter:
 *       offered the permit ({@code offer}); if it accepts, done; if it declines, it is leaving, and its
 *       {@code withdraw} will find the permit and finish the hand-off, done. {@code CANCELLED}: visit the next
 *       cell, with the same permit. {@code REFUSED}: the leaving waiter gave this permit back already, done.
 *       A hand-off whose cell lies in a removed segment jumps {@code deqIdx} to the next live segment.</li>
 *   <li><b>releaseAndAcquire</b> (a holder ends one attempt and starts its next): a release followed by an
 *       acquire, with their two opposite counter steps left out. One volatile read of {@code permits}: if
 *       {@code >= 0}, the caller keeps its permit, no write; otherwise the release's hand-off, then the
 *       acquire's claim, each exactly as above (see the method for why that is sound, and why in that order).</li>
 *   <li><b>withdraw</b> (a waiter that will decline every offer from now on leaves): one
 *       {@code getAndAdd(permits, +1)} gives its count back. If the old value was negative, other waiters are
 *       still owed permits and no hand-off needs this cell: it becomes {@code CANCELLED}, and if a hand-off had
 *       already left its permit there, the withdrawing thread carries it on. Otherwise every owed permit is
 *       being carried, one of them to this cell, and the increment has just freed it: the cell becomes
 *       {@code REFUSED}, which ends that hand-off when it arrives (or has ended it, if it left its permit).</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ol>
 *   <li>Conservation: at every quiescent point, {@code permits = maxPermits - held - waiting}, where
 *       {@code held} counts permits taken (fast path, deposit, or accepted offer) and not released, and
 *       {@code waiting} counts waiters in cells that neither accepted nor withdrew; and {@code permits > 0}
 *       implies {@code waiting = 0}. Between operations, every decrement that returned {@code <= 0} is
 *       matched by one waiter, and every increment that returned {@code < 0} by one hand-off, which ends at
 *       exactly one cell: a deposit, an accepted offer, a {@code REFUSED} cell, or a withdrawing waiter.</li>
 *   <li>FIFO: waiters are ordered by their {@code enqIdx} increment (each decrement that returned
 *       {@code <= 0} is followed by exactly one cell claim, though two acquirers between the two steps may
 *       claim in either order), and hand-offs visit cells in index order, skipping only cells whose waiters
 *       left, so a waiter is offered a permit only after every earlier waiter accepted one or left. A new
 *       acquirer cannot barge: while anyone is owed a permit, {@code permits <= 0}.</li>
 *   <li>Exactly once: each cell index is visited by at most one hand-off ({@code deqIdx} is a counter, and a
 *       jump skips only removed segments), each waiter is offered at most once, and each withdrawal gives back
 *       exactly the one count its acquire took. No permit is created or lost.</li>
 *   <li>Reclamation: each cell is counted done exactly once, by whoever performs its last step (the acquirer
 *       that takes a deposit, the hand-off that is accepted or ends at {@code REFUSED}, the withdrawal that
 *       writes {@code CANCELLED} or finds a permit it ends); a segment with all cells done, no {@code head}
 *       or {@code tail} pointing to it, and not the last, is unlinked (see {@link Segment}). A departed waiter
 *       is never referenced once its withdrawal returned (its cell holds a marker), so nothing it references
 *       stays reachable through the semaphore. Memory is one segment per segment holding a live waiter or a
 *       hand-off in flight, plus the head's and tail's: bounded by the live waiters, never by departures.
 *       A handle drops its segment once its waiter is done (the hand-off that the waiter accepted clears it,
 *       or its withdrawal does), so a handle that its owner keeps afterwards (the limiter's attempt, kept by
 *       a socket for the connection's life) keeps no segment reachable, and through it no segment's
 *       {@code next} chain: a passed or removed segment keeps its {@code next} for the stale walkers, and
 *       only a handle could otherwise tie the chain from it to the head to a live object.</li>
 *   <li>No counter wraps: {@code permits} stays within {@code [-(waiting + acquirers in flight), maxPermits]}
 *       because every departure gives its count back; the indices are 64-bit and grow by one per wait (three
 *       centuries at one wait per nanosecond). Segment ids are 64-bit; a segment's done count is at most
 *       {@value Segment#SIZE} and its pointer count at most 2 plus the threads moving a pointer.</li>
 * </ol>
 *
 * <h2>Memory ordering</h2>
 * All accesses to {@code permits}, {@code enqIdx}, {@code deqIdx}, the cells and the segments' links and
 * counts are volatile-mode atomic operations (getAndAdd, compareAndSet, getAndSet), so they are totally
 * ordered and each one synchronizes-with the next on the same variable. In particular:
 * <ul>
 *   <li>an acquirer's writes before its CAS of the waiter into a cell (the waiter's own state) happen-before
 *       the hand-off's getAndSet that reads the waiter, so {@code offer} sees them;</li>
 *   <li>a hand-off's writes before it swaps {@code PERMIT} into a cell happen-before the acquirer's failed CAS
 *       or the withdrawal's getAndSet that reads it, and a withdrawal's writes (its increment) happen-before
 *       the hand-off's getAndSet that reads {@code CANCELLED} or {@code REFUSED}: the two parties of a cell
 *       always see each other's steps in one order;</li>
 *   <li>a {@link Cell}'s fields are written before the CAS that puts it in its cell, so a hand-off that
 *       reads it there sees them; its {@code segment} is written once more, to {@code null}, by the party
 *       that ends the wait (the hand-off it accepted, or its {@code withdraw}), and read by no one after;</li>
 *   <li>a {@link Cell} is returned by {@code acquire} and read by {@code withdraw};
 *       a caller that withdraws on another thread must publish the cell through a volatile write or a CAS of
 *       its own (the limiter's attempt does, with the CAS of its state to QUEUED);</li>
 *   <li>segment pointers ({@code head}, {@code tail}, {@code next}) are read volatile and moved forward by
 *       CAS; a stale pointer is only ever behind, never ahead, because each side reads its pointer before it
 *       increments its index (a segment only becomes a pointer's target after some index inside it was
 *       handed out), and a segment reached through a stale link is removed, which a walk steps over.</li>
 * </ul>
 *
 * <h2>Why not JCTools here</h2>
 * The queue is not a JCTools queue: a queue's offer and poll cannot express "a release that finds the
 * cell empty leaves its permit there", which is what makes the fast path one atomic operation and the
 * hand-off lock-free without a lost wake-up. Padding is done by the class hierarchy, as JCTools does it, so
 * the counter, the enqueue side and the dequeue side each sit on their own cache lines.
 *
 * <p>Thread-safe and lock-free. {@code offer} runs on the releasing (or withdrawing) thread and must not
 * throw; it may call {@code release()} again (a nested hand-off), never while holding a lock this semaphore
 * waits for (it holds none).
 *
 * @param <W> the waiters' type
 */
public final class QueueingSemaphore<W> extends QueueingSemaphoreDequeueSide {

    private static final VarHandle PERMITS;
    private static final VarHandle ENQ_IDX;
    private static final VarHandle DEQ_IDX;
    private static final VarHandle TAIL;
    private static final VarHandle HEAD;
    private static final VarHandle PEAK_HELD;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PERMITS = lookup.findVarHandle(QueueingSemaphoreCounter.class, "permits", long.class);
            ENQ_IDX = lookup.findVarHandle(QueueingSemaphoreEnqueueSide.class, "enqIdx", long.class);
            TAIL = lookup.findVarHandle(QueueingSemaphoreEnqueueSide.class, "tail", Segment.class);
            DEQ_IDX = lookup.findVarHandle(QueueingSemaphoreDequeueSide.class, "deqIdx", long.class);
            HEAD = lookup.findVarHandle(QueueingSemaphoreDequeueSide.class, "head", Segment.class);
            PEAK_HELD = lookup.findVarHandle(QueueingSemaphore.class, "peakHeld", int.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Written by a hand-off: a deposit, a permit left with a leaving waiter, or a visited cell. */
    static final Object PERMIT = new Marker("PERMIT");
    /** Its waiter left and gave its count back: a hand-off skips it. */
    static final Object CANCELLED = new Marker("CANCELLED");
    /** Its waiter left and gave back the permit a hand-off was carrying to it: that hand-off ends here. */
    static final Object REFUSED = new Marker("REFUSED");

    private final int maxPermits;
    private final Predicate<? super W> offer;
    private final Supplier<? extends Cell> newCell;
    @SuppressWarnings("unused") // accessed through PEAK_HELD
    private volatile int peakHeld;

    /**
     * Creates a semaphore with {@code maxPermits} free permits and nobody waiting, whose waiters get plain
     * {@link Cell}s.
     *
     * @param maxPermits the number of permits, at least 1
     * @param offer      offers a permit to a waiter: {@code true} if it took it, {@code false} if it is
     *                   leaving (it then withdraws); called at most once per waiter, must not throw
     */
    public QueueingSemaphore(final int maxPermits, final Predicate<? super W> offer) {
        this(maxPermits, offer, Cell::new);
    }

    /**
     * Creates a semaphore with {@code maxPermits} free permits and nobody waiting.
     *
     * @param maxPermits the number of permits, at least 1
     * @param offer      offers a permit to a waiter: {@code true} if it took it, {@code false} if it is
     *                   leaving (it then withdraws); called at most once per waiter, must not throw
     * @param newCell    makes the handle of a waiter (a gate's own subclass of {@link Cell}), before the waiter
     *                   is put in its cell (a handle made for an acquirer that then finds a deposited permit
     *                   is dropped); must only allocate
     */
    public QueueingSemaphore(final int maxPermits, final Predicate<? super W> offer,
            final Supplier<? extends Cell> newCell) {
        if (maxPermits < 1) {
            throw new IllegalArgumentException("maxPermits must be >= 1, was " + maxPermits);
        }
        this.maxPermits = maxPermits;
        this.offer = Objects.requireNonNull(offer, "offer");
        this.newCell = Objects.requireNonNull(newCell, "newCell");
        final Segment first = new Segment(0, null, 2); // head and tail point to it
        PERMITS.setRelease(this, (long) maxPermits);
        TAIL.setRelease(this, first);
        HEAD.setRelease(this, first);
        VarHandle.fullFence(); // publish the initial state before the constructor returns
    }

    /**
     * Takes a permit at once, or queues {@code waiter} to be offered one in FIFO order.
     *
     * @param waiter the waiter; published to other threads only if it has to wait
     * @return {@code null} if the caller holds a permit now (it will never be offered one), otherwise the
     *         waiter's cell, on which it must call {@link Cell#withdraw()} if it leaves without accepting
     */
    public Cell acquire(final W waiter) {
        final long before = (long) PERMITS.getAndAdd(this, -1L);
        if (before > 0) {
            recordHeld(maxPermits - (int) before + 1);
            return null;
        }
        return enqueue(waiter);
    }

    /**
     * Takes a permit only if one is free and nobody waits; never queues.
     *
     * @return {@code true} if the caller now holds a permit
     */
    public boolean tryAcquire() {
        long current = (long) PERMITS.getVolatile(this);
        while (current > 0) {
            final long witness = (long) PERMITS.compareAndExchange(this, current, current - 1);
            if (witness == current) {
                recordHeld(maxPermits - (int) current + 1);
                return true;
            }
            current = witness;
        }
        return false;
    }

    private Cell enqueue(final W waiter) {
        final Segment start = (Segment) TAIL.getVolatile(this);
        final long index = (long) ENQ_IDX.getAndAdd(this, 1L);
        final long id = index / Segment.SIZE;
        final Segment segment = findAndMoveForward(TAIL, start, id);
        if (segment.id != id) {
            throw new IllegalStateException("the segment of waiting cell " + index + " was removed before the cell"
                    + " was written: " + this);
        }
        final Cell handle = newCell.get();
        handle.owner = this;
        handle.segment = segment;
        handle.position = index;
        handle.waiter = waiter;
        if (segment.compareAndSet((int) (index % Segment.SIZE), null, handle)) {
            return handle; // published by the CAS: a hand-off reads its fields after reading the cell
        }
        // The only other value a cell can hold before its acquirer writes it is a deposited permit.
        segment.cellDone();
        recordHeld(maxPermits);
        return null;
    }

    /**
     * Returns a permit: carries it to the oldest waiter still waiting, or frees it.
     *
     * <p>The caller must hold a permit; releasing more often than acquiring corrupts the count. The
     * limiter's attempts guarantee one release per permit.
     */
    public void release() {
        if ((long) PERMITS.getAndAdd(this, 1L) < 0) {
            handOff();
        }
    }

    /**
     * Returns the caller's permit and acquires again for {@code waiter}: for an owner that ends one attempt and
     * starts its next. Its specification is {@link #release()} followed by {@link #acquire acquire(waiter)},
     * two operations in the caller's program order, each taking effect at its own point (other threads'
     * operations may take effect between the two, as they may between two separate calls); it is not one atomic
     * step, and no implementation on this queue could make it one cheaply: the waiter granted may release and
     * acquire again before {@code waiter} is in line, as it may after a plain {@code release()}. It never writes
     * the permit counter, whose two opposite steps would cancel out:
     * <ul>
     *   <li>if the counter reads {@code >= 0}, nobody is owed a permit (the caller's own next attempt would be
     *       the oldest waiter), so the caller keeps the permit it holds: one volatile read, no write; both
     *       operations take effect at that read;</li>
     *   <li>otherwise the permit is carried to the oldest waiter exactly as a release that read a negative
     *       counter carries it (cell {@code deqIdx++}), and then {@code waiter} claims cell {@code enqIdx++}
     *       exactly as an acquire that read a non-positive counter does (a deposit found there is the
     *       caller's). The counter's net change is zero, so the execution is one of {@code release()} and
     *       {@code acquire(waiter)} whose counter steps fell next to each other, right after that read: every
     *       invariant of the class comment holds as it does for them, whatever the other threads do in between
     *       (waiters that withdraw meanwhile make the hand-off skip their cells, and it may then end in the
     *       cell this operation's own claim takes, which is then the caller's again).</li>
     * </ul>
     * The hand-off comes before the claim: the release takes effect first, so {@code waiter} never gets ahead
     * of a waiter that the release's hand-off skipped past (claiming first and handing off second is
     * {@code acquire(waiter)} followed by {@code release()}, which the model-checked test's known-bad copy
     * shows is not the same: a waiter that joins between the claim and the hand-off, while the one ahead leaves,
     * ends up behind {@code waiter}).
     *
     * <p>The caller must hold a permit, as for {@link #release()}. Thread-safe and lock-free, like the two
     * operations it combines. Memory ordering: as {@link #release()} followed by {@link #acquire}, except that a
     * caller that keeps its permit publishes nothing (no other thread takes that permit, so none needs to see
     * the caller's writes); a hand-off publishes through the cell it writes, as a release does. {@code offer}
     * runs on this thread for the waiter granted, before {@code waiter} is queued.
     *
     * @param waiter the caller's next waiter; published to other threads only if it has to wait
     * @return {@code null} if the caller holds a permit on return (its own, kept, or a deposit it found),
     *         otherwise {@code waiter}'s cell, as {@link #acquire} returns it
     */
    public Cell releaseAndAcquire(final W waiter) {
        if ((long) PERMITS.getVolatile(this) >= 0) {
            return null; // nobody is owed a permit: release-then-acquire would give this one straight back
        }
        handOff();
        return enqueue(waiter);
    }

    /** Carries one permit to the next cell that needs it; see the class comment. */
    @SuppressWarnings("unchecked")
    private void handOff() {
        while (true) {
            final Segment start = (Segment) HEAD.getVolatile(this);
            final long index = (long) DEQ_IDX.getAndAdd(this, 1L);
            final long id = index / Segment.SIZE;
            final Segment segment = findAndMoveForward(HEAD, start, id);
            segment.cleanPrev();
            if (segment.id != id) { // the cell's segment was removed: every cell in it is done
                moveDeqIdxForwardTo(segment.id * Segment.SIZE);
                continue;
            }
            final int cell = (int) (index % Segment.SIZE);
            final Object previous = segment.getAndSet(cell, PERMIT);
            if (previous == null) {
                return; // deposited: the acquirer that claimed this cell takes it
            }
            if (previous == CANCELLED) {
                continue; // its waiter left and gave its count back: the next cell gets this permit
            }
            if (previous == REFUSED) {
                segment.cellDone(); // its waiter left and gave this very permit back
                return;
            }
            final Cell waiting = (Cell) previous;
            if (offer.test((W) waiting.waiter)) {
                waiting.segment = null; // granted: it never withdraws, and its owner may keep the handle
                segment.cellDone();
            }
            return; // declined: the waiter is leaving, and its withdraw() finds the permit and carries it on
        }
    }

    private void withdraw(final Cell handle) {
        final Segment segment = handle.segment;
        handle.segment = null; // withdrawn once, by its owner's thread: its owner may keep the handle
        final int cell = (int) (handle.position % Segment.SIZE);
        if ((long) PERMITS.getAndAdd(this, 1L) < 0) {
            final Object previous = segment.getAndSet(cell, CANCELLED);
            segment.cellDone();
            if (previous == PERMIT) {
                handOff(); // a hand-off reached this waiter first and left its permit: carry it on
            }
            return;
        }
        if (segment.getAndSet(cell, REFUSED) == PERMIT) {
            segment.cellDone(); // the hand-off carrying this count's permit arrived and ended here
        }
    }

    private void moveDeqIdxForwardTo(final long index) {
        long current = (long) DEQ_IDX.getVolatile(this);
        while (current < index) {
            final long witness = (long) DEQ_IDX.compareAndExchange(this, current, index);
            if (witness == current) {
                return;
            }
            current = witness;
        }
    }

    /**
     * Returns the number of permits free now, zero when all are held. A racy snapshot, for stats.
     *
     * @return free permits
     */
    public int availablePermits() {
        return (int) Math.max(0L, (long) PERMITS.getVolatile(this));
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
     * Returns the raw counter: free permits if positive, minus the waiters owed a permit otherwise.
     *
     * @return the counter, for tests and diagnostics
     */
    public long counter() {
        return (long) PERMITS.getVolatile(this);
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
     * Passes the waiters that occupy cells between the two indices to {@code action}, oldest first: a weakly
     * consistent view, which may include waiters that are leaving. Used by the limiter to fail every waiter
     * on shutdown.
     *
     * @param action receives each waiter
     */
    @SuppressWarnings("unchecked")
    public void forEachQueued(final Consumer<? super W> action) {
        Segment segment = (Segment) HEAD.getVolatile(this);
        long index = Math.max((long) DEQ_IDX.getVolatile(this), segment.id * Segment.SIZE);
        final long end = (long) ENQ_IDX.getVolatile(this);
        while (index < end && segment != null) {
            final long id = index / Segment.SIZE;
            if (segment.id < id) {
                segment = segment.next();
                continue;
            }
            if (segment.id > id) { // removed segments were skipped: they hold no waiter
                index = segment.id * Segment.SIZE;
                continue;
            }
            if (segment.get((int) (index % Segment.SIZE)) instanceof Cell waiting) {
                action.accept((W) waiting.waiter);
            }
            index++;
        }
    }

    /**
     * Returns how many segments are reachable from the head: the semaphore's memory, for tests.
     *
     * @return the number of linked segments
     */
    public int linkedSegments() {
        int count = 0;
        for (Segment segment = (Segment) HEAD.getVolatile(this); segment != null; segment = segment.next()) {
            count++;
        }
        return count;
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

    /**
     * Finds the first live segment with {@code id >= targetId} from {@code start} and moves {@code pointer}
     * to it, unless the pointer is already further; retries if that segment was removed meanwhile.
     */
    private Segment findAndMoveForward(final VarHandle pointer, final Segment start, final long targetId) {
        while (true) {
            final Segment found = start.findForward(targetId);
            if (moveForward(pointer, found)) {
                return found;
            }
        }
    }

    /** Moves {@code pointer} forward to {@code to}; {@code false} if {@code to} was removed meanwhile. */
    private boolean moveForward(final VarHandle pointer, final Segment to) {
        while (true) {
            final Segment current = (Segment) pointer.getVolatile(this);
            if (current.id >= to.id) {
                return true;
            }
            if (!to.tryIncPointers()) {
                return false;
            }
            if (pointer.compareAndSet(this, current, to)) {
                if (current.decPointers()) {
                    current.remove();
                }
                return true;
            }
            if (to.decPointers()) {
                to.remove();
            }
        }
    }

    @Override
    public String toString() {
        return "QueueingSemaphore[maxPermits=" + maxPermits + ", counter=" + counter() + ", enqIdx="
                + (long) ENQ_IDX.getVolatile(this) + ", deqIdx=" + (long) DEQ_IDX.getVolatile(this) + "]";
    }

    /**
     * A waiter's place in the queue, and the handle through which it leaves. A gate may subclass it to make
     * its own handle type (one allocation per waiter); its fields are set by the semaphore before
     * {@link #acquire} returns it.
     */
    public static class Cell {
        QueueingSemaphore<?> owner;
        /** Its waiter's segment while it waits; {@code null} once it was granted or withdrew. */
        Segment segment;
        long position;
        Object waiter;

        /** For subclasses and the default factory; the semaphore fills the cell in. */
        protected Cell() {
        }

        /**
         * Leaves the queue: call once, and only after the waiter has made sure it will decline every offer
         * (its own state moved out of waiting by a CAS that an offer also races for). Gives back the count
         * its acquire took and lets the semaphore reclaim the cell; if a hand-off had already reached the
         * waiter, finishes that hand-off on this thread (the next waiter may be granted here).
         */
        public final void withdraw() {
            owner.withdraw(this);
        }

        /**
         * Returns the index of this cell in the semaphore's waiting array: the waiter's place in line.
         *
         * @return the cell's index
         */
        public final long position() {
            return position;
        }
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
    volatile long permits;
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
