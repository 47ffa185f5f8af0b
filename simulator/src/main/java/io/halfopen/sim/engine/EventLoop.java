package io.halfopen.sim.engine;

import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The simulator's clock: a single-threaded discrete-event loop that is also the {@link Ticker} and the
 * {@link Scheduler} of every limiter it drives, so the limiter and its policy run unchanged in virtual time.
 *
 * <h2>Order</h2>
 * Events fire in order of their instant. Events at the same instant fire in two bands: first the world's (the
 * network's answers and the workloads' arrivals, scheduled with {@link #at} or {@link #after}), then the
 * limiters' own timers (scheduled through {@link #schedule}); within a band, in the order they were scheduled.
 * So the order is a total order fixed by the seed and the arguments, and a run is reproducible to the byte.
 * The bands encode one modelling decision: when the simulated TCP stack gives up on a SYN at the same instant
 * as the limiter's half-open timeout (both 21 s in XP's profile, because on XP they were one and the same
 * timer) the stack's own timeout ends the attempt, and the limiter's timer, a backstop for owners that never
 * report, is cancelled unused.
 *
 * <h2>Threads</h2>
 * Confined to the thread that created it: {@link Scheduler}'s contract asks for thread safety, and this loop
 * instead refuses, with an {@link IllegalStateException}, a call from any other thread. A simulation has one
 * thread; the limiter calls {@link #schedule} only from the thread that grants or reports, which is this one.
 *
 * <h2>Cost</h2>
 * A binary heap of events that know their own position: scheduling, cancelling and firing are O(log n), and a
 * cancelled timer leaves the heap at once, so the heap holds only live events.
 */
public final class EventLoop implements Ticker, Scheduler {

    private static final long TIMER_BAND = 1L << 62;

    private final Thread owner = Thread.currentThread();
    private Event[] heap = new Event[256];
    private int size;
    private long now;
    private long sequence;
    private long fired;
    private boolean stopped;

    /** Creates a loop whose clock reads zero. */
    public EventLoop() {
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Schedules a limiter's task; it fires after the world's events of its instant.
     *
     * @param task  the task
     * @param delay the delay, at least zero
     * @param unit  its unit
     * @return the handle that cancels it
     */
    @Override
    public Cancellable schedule(final Runnable task, final long delay, final TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        if (delay < 0) {
            throw new IllegalArgumentException("delay must be >= 0, was " + delay + " " + unit);
        }
        final TaskEvent event = new TaskEvent(task);
        enqueue(event, saturatedAdd(now, unit.toNanos(delay)), TIMER_BAND);
        return event;
    }

    /**
     * Schedules a world event at an instant, which must not be in the past.
     *
     * @param event an event that is not scheduled
     * @param time  virtual nanoseconds, at least {@link #nanoTime()}
     */
    public void at(final Event event, final long time) {
        if (time < now) {
            throw new IllegalArgumentException("cannot schedule at " + time + " ns, before now (" + now + " ns)");
        }
        enqueue(event, time, 0L);
    }

    /**
     * Schedules a world event after a delay.
     *
     * @param event      an event that is not scheduled
     * @param delayNanos at least zero
     */
    public void after(final Event event, final long delayNanos) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delay must be >= 0, was " + delayNanos + " ns");
        }
        enqueue(event, saturatedAdd(now, delayNanos), 0L);
    }

    /**
     * Fires every event due at or before {@code endTime}, in order, then sets the clock to {@code endTime}
     * (unless {@link #stop()} was called, which leaves the clock at the instant of the last event).
     *
     * @param endTime virtual nanoseconds; {@link Long#MAX_VALUE} runs until no event is left
     * @return {@code true} if events remain after {@code endTime}
     */
    public boolean runUntil(final long endTime) {
        checkThread();
        stopped = false;
        while (size > 0 && !stopped) {
            final Event next = heap[0];
            if (next.time > endTime) {
                break;
            }
            removeAt(0);
            now = next.time;
            fired++;
            next.fire();
        }
        if (!stopped && endTime != Long.MAX_VALUE && endTime > now) {
            now = endTime;
        }
        return size > 0;
    }

    /** Makes the running {@link #runUntil} return after the current event. */
    public void stop() {
        stopped = true;
    }

    /**
     * Returns how many events are scheduled.
     *
     * @return the number of pending events
     */
    public int pending() {
        return size;
    }

    /**
     * Returns how many events have fired since the loop was created.
     *
     * @return the count
     */
    public long fired() {
        return fired;
    }

    // ------------------------------------------------------------------------------------------ the heap

    private void enqueue(final Event event, final long time, final long band) {
        checkThread();
        if (event.index >= 0) {
            throw new IllegalStateException("event " + event + " is already scheduled at " + event.time + " ns");
        }
        event.time = time;
        event.order = band | sequence++;
        event.loop = this;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, event);
    }

    void remove(final Event event) {
        checkThread();
        removeAt(event.index);
    }

    private void removeAt(final int i) {
        final Event removed = heap[i];
        removed.index = -1;
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

    private static boolean before(final Event a, final Event b) {
        return a.time < b.time || (a.time == b.time && a.order < b.order);
    }

    private void checkThread() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("an EventLoop is confined to the thread that created it (" + owner.getName()
                    + "), called from " + Thread.currentThread().getName());
        }
    }

    private static long saturatedAdd(final long a, final long b) {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
