package io.halfopen.testkit.internal;

import java.util.Arrays;

/**
 * Every applied transition of one watch, in time order: the transitions themselves ({@link EventColumns}) and,
 * beside them, what kind each was and the running counts just after it (about 40 bytes a transition in all).
 *
 * <p>Not thread-safe: owned by the {@link SynSentLedger}, then read-only in its result.
 */
final class Timeline {

    static final byte ENTERED = 1;
    static final byte LEFT = 2;
    static final byte LEFT_UNSEEN = 3;

    private final EventColumns transitions = new EventColumns();
    private int[] counts = new int[256];
    private int[] destinationCounts = new int[256];
    private byte[] kinds = new byte[256];

    void add(final long when, final long socket, final int destination, final int info, final byte kind,
            final int count, final int destinationCount) {
        final int i = transitions.size();
        if (i == counts.length) {
            counts = Arrays.copyOf(counts, i * 2);
            destinationCounts = Arrays.copyOf(destinationCounts, i * 2);
            kinds = Arrays.copyOf(kinds, i * 2);
        }
        transitions.add(when, socket, destination, info);
        counts[i] = count;
        destinationCounts[i] = destinationCount;
        kinds[i] = kind;
    }

    int size() {
        return transitions.size();
    }

    long nanos(final int i) {
        return transitions.nanos(i);
    }

    long socket(final int i) {
        return transitions.socket(i);
    }

    int destination(final int i) {
        return transitions.destination(i);
    }

    int info(final int i) {
        return transitions.info(i);
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
