package io.halfopen.policy.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A run of {@value #SIZE} cells of {@link QueueingSemaphore}'s infinite waiting array, in a doubly linked list
 * of segments. Segment {@code id} holds cells {@code id * SIZE} to {@code id * SIZE + SIZE - 1}.
 *
 * <h2>Removal</h2>
 * A cell is <em>done</em> once nothing will ever read it again for a hand-off: its waiter was granted or left
 * with its count given back, or its deposited permit was taken. Each cell is counted done exactly once
 * ({@link #cellDone()}). A segment whose {@value #SIZE} cells are all done, that neither the semaphore's
 * {@code head} nor its {@code tail} points to, and that is not the last segment, is <em>removed</em>: that is
 * final, and it is then unlinked from the list ({@link #remove()}), so nothing the semaphore can reach refers
 * to it. This is the segment removal of CQS (Koval, Khalanskiy and Alistarh, PLDI 2023, section 4), as in
 * kotlinx.coroutines' {@code ConcurrentLinkedList}: memory follows the live waiters, not the departed ones.
 *
 * <p>{@code cleanedAndPointers} packs the done cells (low 16 bits) and the number of the semaphore's pointers
 * to this segment (high bits) into one word, so that "all done and unpointed" is one atomic observation and a
 * pointer cannot be moved onto a segment that has just been removed ({@link #tryIncPointers()} fails then).
 *
 * <h2>Thread-safety</h2>
 * Cells are accessed only by volatile-mode atomic operations. {@code next} goes from {@code null} to a segment
 * once, by CAS, and is later only moved forward past removed segments; {@code prev} only ever moves backward
 * past removed segments, or to {@code null}. A stale {@code next} or {@code prev} leads to a removed segment,
 * which is still a valid node to walk through: its own {@code next} is never cleared.
 */
final class Segment {

    /** Cells per segment. */
    static final int SIZE = 64;

    private static final int POINTER = 1 << 16;
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle NEXT;
    private static final VarHandle PREV;
    private static final VarHandle CLEANED_AND_POINTERS;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            NEXT = lookup.findVarHandle(Segment.class, "next", Segment.class);
            PREV = lookup.findVarHandle(Segment.class, "prev", Segment.class);
            CLEANED_AND_POINTERS = lookup.findVarHandle(Segment.class, "cleanedAndPointers", int.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long id;
    private final Object[] cells = new Object[SIZE];
    @SuppressWarnings("unused") // accessed through NEXT
    private volatile Segment next;
    @SuppressWarnings("unused") // accessed through PREV
    private volatile Segment prev;
    @SuppressWarnings("unused") // accessed through CLEANED_AND_POINTERS
    private volatile int cleanedAndPointers;

    Segment(final long id, final Segment prev, final int pointers) {
        this.id = id;
        PREV.setRelease(this, prev);
        CLEANED_AND_POINTERS.setRelease(this, pointers * POINTER);
    }

    Object get(final int cell) {
        return CELLS.getVolatile(cells, cell);
    }

    boolean compareAndSet(final int cell, final Object expected, final Object value) {
        return CELLS.compareAndSet(cells, cell, expected, value);
    }

    Object getAndSet(final int cell, final Object value) {
        return CELLS.getAndSet(cells, cell, value);
    }

    Segment next() {
        return (Segment) NEXT.getVolatile(this);
    }

    private Segment prev() {
        return (Segment) PREV.getVolatile(this);
    }

    /** Drops the link to the previous segment: a queue's head needs nothing behind it. */
    void cleanPrev() {
        PREV.setRelease(this, null);
    }

    private boolean isTail() {
        return next() == null;
    }

    /** Whether every cell is done, no pointer refers to this segment and it is not the last one: final. */
    boolean isRemoved() {
        return (int) CLEANED_AND_POINTERS.getVolatile(this) == SIZE && !isTail();
    }

    /** Counts a pointer to this segment unless it is removed. */
    boolean tryIncPointers() {
        while (true) {
            final int current = (int) CLEANED_AND_POINTERS.getVolatile(this);
            if (current == SIZE && !isTail()) {
                return false;
            }
            if (CLEANED_AND_POINTERS.compareAndSet(this, current, current + POINTER)) {
                return true;
            }
        }
    }

    /** Uncounts a pointer; returns whether the segment is removed now. */
    boolean decPointers() {
        return (int) CLEANED_AND_POINTERS.getAndAdd(this, -POINTER) - POINTER == SIZE && !isTail();
    }

    /** Counts one cell done, exactly once per cell; unlinks the segment if that removed it. */
    void cellDone() {
        if ((int) CLEANED_AND_POINTERS.getAndAdd(this, 1) + 1 == SIZE) {
            remove();
        }
    }

    /** The number of cells counted done; for tests. */
    int doneCells() {
        return (int) CLEANED_AND_POINTERS.getVolatile(this) & (POINTER - 1);
    }

    /**
     * Walks forward from this segment to the first segment with {@code id >= targetId} that is not removed,
     * appending segments as needed (as a Michael-Scott queue appends nodes: a failed CAS means another thread
     * appended the same segment).
     *
     * @param targetId the id wanted
     * @return that segment: {@code targetId}'s own, or a later one if {@code targetId}'s was removed
     */
    Segment findForward(final long targetId) {
        Segment current = this;
        while (current.id < targetId || current.isRemoved()) {
            final Segment next = current.next();
            if (next != null) {
                current = next;
                continue;
            }
            final Segment appended = new Segment(current.id + 1, current, 0);
            if (NEXT.compareAndSet(current, null, appended)) {
                if (current.isRemoved()) {
                    current.remove(); // it was the tail, so it could not be removed until now
                }
                current = appended;
            }
        }
        return current;
    }

    /**
     * Unlinks this removed segment: links its nearest live neighbours to each other, and retries while one
     * of them is removed meanwhile. The last segment is never unlinked (appending after it does it later).
     */
    void remove() {
        if (isTail()) {
            return;
        }
        while (true) {
            final Segment left = aliveLeft();
            final Segment right = aliveRight();
            while (true) { // right.prev = left, unless right's prev was cleaned (it is the head)
                final Segment rightPrev = right.prev();
                if (rightPrev == null || PREV.compareAndSet(right, rightPrev, left)) {
                    break;
                }
            }
            if (left != null) {
                NEXT.setVolatile(left, right);
            }
            if ((right.isRemoved() && !right.isTail()) || (left != null && left.isRemoved())) {
                continue;
            }
            return;
        }
    }

    private Segment aliveLeft() {
        Segment current = prev();
        while (current != null && current.isRemoved()) {
            current = current.prev();
        }
        return current;
    }

    private Segment aliveRight() {
        Segment current = next();
        while (current.isRemoved()) {
            final Segment next = current.next();
            if (next == null) {
                return current;
            }
            current = next;
        }
        return current;
    }

    @Override
    public String toString() {
        return "Segment[" + id + ", done " + doneCells() + "]";
    }
}
