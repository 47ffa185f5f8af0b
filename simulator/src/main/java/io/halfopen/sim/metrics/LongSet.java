package io.halfopen.sim.metrics;

/**
 * A set of {@code long}s with open addressing and linear probing: what counting millions of distinct
 * destinations takes without boxing. {@link Long#MIN_VALUE} cannot be stored (it marks a free cell). Not
 * thread-safe.
 */
final class LongSet {

    private static final long FREE = Long.MIN_VALUE;

    private long[] cells = newCells(1024);
    private int size;

    /**
     * Adds a value.
     *
     * @param value any value but {@link Long#MIN_VALUE}
     * @return {@code true} if it was not there
     */
    boolean add(final long value) {
        if (value == FREE) {
            throw new IllegalArgumentException("Long.MIN_VALUE cannot be stored");
        }
        if (size * 2 >= cells.length) {
            grow();
        }
        return insert(cells, value);
    }

    int size() {
        return size;
    }

    private boolean insert(final long[] table, final long value) {
        final int mask = table.length - 1;
        int i = (int) mix(value) & mask;
        while (true) {
            final long cell = table[i];
            if (cell == FREE) {
                table[i] = value;
                size++;
                return true;
            }
            if (cell == value) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    private void grow() {
        final long[] old = cells;
        cells = newCells(old.length * 2);
        size = 0;
        for (final long v : old) {
            if (v != FREE) {
                insert(cells, v);
            }
        }
    }

    private static long[] newCells(final int n) {
        final long[] a = new long[n];
        java.util.Arrays.fill(a, FREE);
        return a;
    }

    /** Murmur3's 64-bit finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
