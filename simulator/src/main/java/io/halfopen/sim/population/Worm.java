package io.halfopen.sim.population;

import io.halfopen.sim.engine.Event;
import io.halfopen.sim.engine.EventLoop;
import io.halfopen.sim.host.SimHost;

/**
 * One infected host: its address, its own limiter (the policy under test if it is protected, none otherwise)
 * and its scanning state. Confined to the simulation's thread.
 *
 * <h2>Its threads</h2>
 * A worm's blocking threads are alike: each connects, waits for the outcome, and takes the next turn, no sooner
 * than 1/rate after the turn before. So the worm keeps no object per thread. A thread whose connect ended takes
 * a turn ({@link #takeTurn()}): the instant and a place in the loop's order ({@link EventLoop#reserve()}), in a
 * first-in, first-out queue of turns, which is in firing order because turns are taken at nondecreasing instants.
 * The worm is the one event that fires them, each at its instant and in its reserved place, so the turns fire
 * exactly where one event per thread would have. A scan in flight or queued in the limiter is a
 * {@link WormScan}; a thread is one of those or a turn in this queue.
 */
final class Worm extends Event {

    private final Epidemic epidemic;
    private final int index;
    private final int address;
    private final SimHost host;
    private final long gapNanos;
    private long nextTurn;
    private long cursor = -1;
    /** The pending turns, a ring of (instant, reservation) pairs. */
    private long[] turns = new long[16];
    private int head;
    private int size;
    private boolean firing;

    /**
     * @param epidemic the run its scans belong to ({@code null} for a worm that only picks addresses)
     * @param index    the host's index among the vulnerable
     * @param address  the host's address
     * @param host     its limiter and stack
     * @param rate     scans per second at most, 0 for no bound
     */
    Worm(final Epidemic epidemic, final int index, final int address, final SimHost host, final double rate) {
        this.epidemic = epidemic;
        this.index = index;
        this.address = address;
        this.host = host;
        this.gapNanos = rate == 0 ? 0 : Math.round(1e9 / rate);
    }

    Epidemic epidemic() {
        return epidemic;
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

    /**
     * Whether a thread takes its next turn at the instant its scan ended ({@code rate} 0): then a scan that ends at
     * the instant it was made, refused at once, is taken again at that instant, and simulated time stops.
     */
    boolean retriesAtOnce() {
        return gapNanos == 0;
    }

    /** A thread takes the next turn: no sooner than now, and 1/rate after the one before. */
    void takeTurn() {
        final EventLoop loop = host.loop();
        final long at = Math.max(loop.nanoTime(), nextTurn);
        nextTurn = at + gapNanos;
        final long place = loop.reserve();
        if (size == turns.length / 2) {
            grow();
        }
        final int tail = (head + 2 * size) & (turns.length - 1);
        turns[tail] = at;
        turns[tail + 1] = place;
        size++;
        if (size == 1 && !firing) {
            loop.at(this, at, place);
        }
    }

    /** The turn at the head of the queue: one thread scans. */
    @Override
    protected void fire() {
        head = (head + 2) & (turns.length - 1);
        size--;
        firing = true;
        try {
            epidemic.scan(this);
        } finally {
            firing = false;
        }
        if (size > 0) {
            host.loop().at(this, turns[head], turns[head + 1]);
        }
    }

    private void grow() {
        final long[] bigger = new long[turns.length * 2];
        for (int i = 0; i < 2 * size; i++) {
            bigger[i] = turns[(head + i) & (turns.length - 1)];
        }
        turns = bigger;
        head = 0;
    }

    /** Blaster's sequential cursor, or -1 before the first scan. */
    long cursor() {
        return cursor;
    }

    void cursor(final long next) {
        cursor = next;
    }
}
