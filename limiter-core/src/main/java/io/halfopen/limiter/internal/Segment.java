package io.halfopen.limiter.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A run of {@value #SIZE} cells of {@link QueueingSemaphore}'s infinite waiting array, linked to the next run.
 * Segment {@code id} holds cells {@code id * SIZE} to {@code id * SIZE + SIZE - 1}.
 *
 * <p>Thread-safe: cells are accessed only through volatile-mode atomic operations, and {@code next} is set
 * once by CAS. Segments are never unlinked; one becomes garbage once both indices of the semaphore are past
 * it.
 */
final class Segment {

    /** Cells per segment. */
    static final int SIZE = 64;

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Segment.class, "next", Segment.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long id;
    private final Object[] cells = new Object[SIZE];
    @SuppressWarnings("unused") // accessed through NEXT
    private volatile Segment next;

    Segment(final long id) {
        this.id = id;
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

    /**
     * Walks forward from this segment to the one with {@code targetId}, appending segments as needed.
     *
     * @param targetId the id wanted, at least this segment's id
     * @return the segment with that id
     */
    Segment findForward(final long targetId) {
        Segment current = this;
        while (current.id < targetId) {
            Segment next = current.next();
            if (next == null) {
                final Segment appended = new Segment(current.id + 1);
                final Segment witness = (Segment) NEXT.compareAndExchange(current, null, appended);
                next = witness == null ? appended : witness;
            }
            current = next;
        }
        return current;
    }
}
