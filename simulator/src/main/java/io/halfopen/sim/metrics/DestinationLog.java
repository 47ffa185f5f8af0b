package io.halfopen.sim.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * The destinations that got a SYN, kept as an append-only array of keys and counted once, at report time, by
 * sorting: a write per attempt that stays in cache, where a hash set of millions of random addresses missed the
 * cache on nearly every insert (the largest cost of a scanner run, by a profile). Not thread-safe.
 */
final class DestinationLog {

    private long[] keys = new long[1024];
    private int size;
    private long distinct = -1;

    void add(final long key) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
        }
        keys[size++] = key;
        distinct = -1;
    }

    /** How many distinct keys were added. */
    long distinct() {
        if (distinct < 0) {
            distinct = countDistinct(Arrays.copyOf(keys, size));
        }
        return distinct;
    }

    /** How many distinct keys several logs hold together. */
    static long distinctUnion(final List<DestinationLog> logs) {
        int total = 0;
        for (final DestinationLog log : logs) {
            total += log.size;
        }
        final long[] all = new long[total];
        int at = 0;
        for (final DestinationLog log : logs) {
            System.arraycopy(log.keys, 0, all, at, log.size);
            at += log.size;
        }
        return countDistinct(all);
    }

    private static long countDistinct(final long[] values) {
        Arrays.sort(values);
        long n = 0;
        for (int i = 0; i < values.length; i++) {
            if (i == 0 || values[i] != values[i - 1]) {
                n++;
            }
        }
        return n;
    }
}
