package io.halfopen.policy;

import java.util.function.Consumer;

/**
 * A FIFO of {@link HoldingGate.Held} tickets, linked through the tickets themselves, so that adding, taking
 * the oldest and removing any one are O(1) and allocate nothing. A ticket can be in two queues at once: a main
 * one (linked through {@code prev}/{@code next}) and a per-key one ({@code keyPrev}/{@code keyNext}).
 *
 * <p>Not thread-safe: guarded by its gate's lock.
 */
final class HeldQueue {

    private final boolean byKey;
    private HoldingGate.Held first;
    private HoldingGate.Held last;
    private int size;

    /**
     * Creates an empty queue.
     *
     * @param byKey whether it links through the per-key links rather than the main ones
     */
    HeldQueue(final boolean byKey) {
        this.byKey = byKey;
    }

    private HoldingGate.Held next(final HoldingGate.Held h) {
        return byKey ? h.keyNext : h.next;
    }

    private HoldingGate.Held prev(final HoldingGate.Held h) {
        return byKey ? h.keyPrev : h.prev;
    }

    private void link(final HoldingGate.Held h, final HoldingGate.Held prev, final HoldingGate.Held next) {
        if (byKey) {
            h.keyPrev = prev;
            h.keyNext = next;
        } else {
            h.prev = prev;
            h.next = next;
        }
    }

    private void setNext(final HoldingGate.Held h, final HoldingGate.Held next) {
        if (byKey) {
            h.keyNext = next;
        } else {
            h.next = next;
        }
    }

    private void setPrev(final HoldingGate.Held h, final HoldingGate.Held prev) {
        if (byKey) {
            h.keyPrev = prev;
        } else {
            h.prev = prev;
        }
    }

    void add(final HoldingGate.Held h) {
        link(h, last, null);
        if (last == null) {
            first = h;
        } else {
            setNext(last, h);
        }
        last = h;
        size++;
    }

    void remove(final HoldingGate.Held h) {
        final HoldingGate.Held prev = prev(h);
        final HoldingGate.Held next = next(h);
        if (prev == null) {
            first = next;
        } else {
            setNext(prev, next);
        }
        if (next == null) {
            last = prev;
        } else {
            setPrev(next, prev);
        }
        link(h, null, null);
        size--;
    }

    HoldingGate.Held peek() {
        return first;
    }

    HoldingGate.Held poll() {
        final HoldingGate.Held h = first;
        if (h != null) {
            remove(h);
        }
        return h;
    }

    boolean isEmpty() {
        return first == null;
    }

    int size() {
        return size;
    }

    void forEach(final Consumer<HoldingGate.Held> action) {
        for (HoldingGate.Held h = first; h != null; h = next(h)) {
            action.accept(h);
        }
    }
}
