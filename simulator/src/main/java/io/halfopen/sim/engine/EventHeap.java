package io.halfopen.sim.engine;

import java.util.Arrays;

/**
 * A binary min-heap of events in firing order (instant, then band and scheduling order), each event knowing its
 * position so that it can be removed in O(log n). Used by {@link EventLoop} for the slot being fired and for the
 * events beyond its wheel. Not thread-safe.
 */
final class EventHeap {

    private Event[] heap = new Event[64];
    private int size;
    private final byte where;

    /**
     * @param where the {@link Event#where} mark of the events this heap holds
     */
    EventHeap(final byte where) {
        this.where = where;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    Event peek() {
        return heap[0];
    }

    void add(final Event event) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        event.where = where;
        siftUp(size++, event);
    }

    Event poll() {
        final Event first = heap[0];
        removeAt(0);
        return first;
    }

    void remove(final Event event) {
        removeAt(event.index);
    }

    private void removeAt(final int i) {
        final Event removed = heap[i];
        removed.index = -1;
        removed.where = Event.NOWHERE;
        final int last = --size;
        final Event moved = heap[last];
        heap[last] = null;
        if (i != last) {
            siftDown(i, moved);
            if (heap[i] == moved) {
                siftUp(i, moved);
            }
        }
    }

    private void siftUp(int i, final Event event) {
        while (i > 0) {
            final int parent = (i - 1) >>> 1;
            final Event p = heap[parent];
            if (!before(event, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = event;
        event.index = i;
    }

    private void siftDown(int i, final Event event) {
        final int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Event c = heap[child];
            final int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!before(c, event)) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = event;
        event.index = i;
    }

    static boolean before(final Event a, final Event b) {
        return a.time < b.time || (a.time == b.time && a.order < b.order);
    }
}
