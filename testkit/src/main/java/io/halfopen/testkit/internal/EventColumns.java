package io.halfopen.testkit.internal;

import java.util.Arrays;

/**
 * A growable column store of traced transitions towards watched destinations, in time order: when, which socket,
 * which destination, and the packed states and local port. About 24 bytes a transition, so a storm of 100,000
 * connects (200,000 transitions) takes under 5 MB.
 *
 * <p>Not thread-safe: each instance has one owner at a time (a CPU reader's batch, or the ledger).
 */
final class EventColumns {

    private long[] nanos = new long[256];
    private long[] sockets = new long[256];
    private int[] destinations = new int[256];
    private int[] infos = new int[256];
    private int size;

    static int info(final int oldState, final int newState, final int localPort) {
        return (oldState & 0xff) | (newState & 0xff) << 8 | (localPort & 0xffff) << 16;
    }

    static int oldState(final int info) {
        return info & 0xff;
    }

    static int newState(final int info) {
        return info >>> 8 & 0xff;
    }

    static int localPort(final int info) {
        return info >>> 16;
    }

    void add(final long when, final long socket, final int destination, final int info) {
        if (size == nanos.length) {
            final int capacity = size * 2;
            nanos = Arrays.copyOf(nanos, capacity);
            sockets = Arrays.copyOf(sockets, capacity);
            destinations = Arrays.copyOf(destinations, capacity);
            infos = Arrays.copyOf(infos, capacity);
        }
        nanos[size] = when;
        sockets[size] = socket;
        destinations[size] = destination;
        infos[size] = info;
        size++;
    }

    void addAll(final EventColumns other) {
        for (int i = 0; i < other.size; i++) {
            add(other.nanos[i], other.sockets[i], other.destinations[i], other.infos[i]);
        }
    }

    /** Drops the first {@code count} transitions. */
    void dropFirst(final int count) {
        final int rest = size - count;
        System.arraycopy(nanos, count, nanos, 0, rest);
        System.arraycopy(sockets, count, sockets, 0, rest);
        System.arraycopy(destinations, count, destinations, 0, rest);
        System.arraycopy(infos, count, infos, 0, rest);
        size = rest;
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    long nanos(final int i) {
        return nanos[i];
    }

    long socket(final int i) {
        return sockets[i];
    }

    int destination(final int i) {
        return destinations[i];
    }

    int info(final int i) {
        return infos[i];
    }
}
