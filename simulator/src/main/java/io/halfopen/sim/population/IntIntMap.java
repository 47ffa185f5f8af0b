package io.halfopen.sim.population;

import java.util.Arrays;

/** An {@code int → int} map with open addressing, for "which host lives at this address". Not thread-safe. */
final class IntIntMap {

    private static final int FREE = -1;

    private final int[] keys;
    private final int[] values;
    private final int mask;

    /**
     * @param capacity how many entries it will hold at most
     */
    IntIntMap(final int capacity) {
        int n = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
        keys = new int[n];
        values = new int[n];
        Arrays.fill(values, FREE);
        mask = n - 1;
    }

    /** Stores a value (not -1) under a key; returns false if the key was there. */
    boolean putIfAbsent(final int key, final int value) {
        int i = slot(key);
        while (values[i] != FREE) {
            if (keys[i] == key) {
                return false;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        return true;
    }

    /** Returns the value under a key, or -1. */
    int get(final int key) {
        int i = slot(key);
        while (values[i] != FREE) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return FREE;
    }

    private int slot(final int key) {
        int h = key * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
