package io.halfopen.testkit.internal;

import java.util.Arrays;

/**
 * Every applied transition of one watch, in time order, as columns (about 40 bytes each), with the running
 * counts just after it.
 *
 * <p>Not thread-safe: owned by the {@link SynSentLedger}, then read-only in its result.
 */
final class Timeline {

    static final byte ENTERED = 1;
    static final byte LEFT = 2;
    static final byte LEFT_UNSEEN = 3;

    private long[] nanos = new long[256];
    private long[] sockets = new long[256];
    private int[] destinations = new int[256];
    private int[] infos = new int[256];
    private int[] counts = new int[256];
    private int[] destinationCounts = new int[256];
    private byte[] kinds = new byte[256];
    private int size;

    void add(final long when, final long socket, final int destination, final int info, final byte kind,
            final int count, final int destinationCount) {
        if (size == nanos.length) {
            final int capacity = size * 2;
            nanos = Arrays.copyOf(nanos, capacity);
            sockets = Arrays.copyOf(sockets, capacity);
            destinations = Arrays.copyOf(destinations, capacity);
            infos = Arrays.copyOf(infos, capacity);
            counts = Arrays.copyOf(counts, capacity);
            destinationCounts = Arrays.copyOf(destinationCounts, capacity);
            kinds = Arrays.copyOf(kinds, capacity);
        }
        nanos[size] = when;
        sockets[size] = socket;
        destinations[size] = destination;
        infos[size] = info;
        counts[size] = count;
        destinationCounts[size] = destinationCount;
        kinds[size] = kind;
        size++;
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

    byte kind(final int i) {
        return kinds[i];
    }

    int count(final int i) {
        return counts[i];
    }

    int destinationCount(final int i) {
        return destinationCounts[i];
    }
}
