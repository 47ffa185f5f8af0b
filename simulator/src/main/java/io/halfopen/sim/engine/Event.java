package io.halfopen.sim.engine;

import io.halfopen.time.Cancellable;

/**
 * Something that happens at one instant of virtual time: the unit of work of an {@link EventLoop}.
 *
 * <p>A subclass says what happens in {@link #fire()}. An event is scheduled at most once at a time; once it has
 * fired (or been cancelled) it may be scheduled again, so that a long-lived actor (a worm's scanning thread, a
 * workload's generator) can be its own event and cost no allocation per step.
 *
 * <p>Not thread-safe: events belong to the one thread that runs their loop.
 */
public abstract class Event implements Cancellable {

    /** The instant it fires at, in virtual nanoseconds; meaningful while scheduled. */
    long time;
    /** Tie-break among events at the same instant: the priority in the top bits, then the scheduling order. */
    long order;
    static final byte NOWHERE = 0;
    static final byte FIRING = 1;
    static final byte WHEEL = 2;
    static final byte BEYOND = 3;
    static final byte LANE = 4;

    /** Where the event waits: {@link #NOWHERE} (not scheduled), or one of the loop's four places. */
    byte where = NOWHERE;
    /** Position in a heap, while in one. */
    int index = -1;
    /** Neighbours in a wheel slot's list or in the loop's lane, while in one. */
    Event next;
    Event prev;
    /** The loop it is scheduled on, or null. */
    EventLoop loop;

    /** Creates an unscheduled event. */
    protected Event() {
    }

    /** Runs the event; called by its loop at {@link #time()}, with the loop's clock reading that instant. */
    protected abstract void fire();

    /**
     * Returns whether the event waits in a loop to fire.
     *
     * @return {@code true} while scheduled
     */
    public final boolean isScheduled() {
        return where != NOWHERE && !(this instanceof TaskEvent timer && timer.cancelled);
    }

    /**
     * Returns the instant the event fires (or last fired) at.
     *
     * @return virtual nanoseconds
     */
    public final long time() {
        return time;
    }

    /** Takes the event out of its loop if it is scheduled; a no-op otherwise. */
    @Override
    public final void cancel() {
        if (where != NOWHERE) {
            loop.remove(this);
        }
    }
}
