package io.halfopen.sim.population;

import io.halfopen.sim.host.SimHost;

/**
 * One infected host: its address, its own limiter (the policy under test if it is protected, none otherwise)
 * and its scanning state. Its threads are {@link WormThread}s. Confined to the simulation's thread.
 */
final class Worm {

    private final int index;
    private final int address;
    private final SimHost host;
    private final long gapNanos;
    private long nextTurn;
    private long cursor = -1;

    Worm(final int index, final int address, final SimHost host, final double rate) {
        this.index = index;
        this.address = address;
        this.host = host;
        this.gapNanos = rate == 0 ? 0 : Math.round(1e9 / rate);
    }

    int index() {
        return index;
    }

    int address() {
        return address;
    }

    SimHost host() {
        return host;
    }

    /** The next scan's instant: no sooner than now, and 1/rate after the one before. */
    long takeTurn(final long now) {
        final long at = Math.max(now, nextTurn);
        nextTurn = at + gapNanos;
        return at;
    }

    /** Blaster's sequential cursor, or -1 before the first scan. */
    long cursor() {
        return cursor;
    }

    void cursor(final long next) {
        cursor = next;
    }
}
