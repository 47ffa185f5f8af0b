package io.halfopen.limiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limiter's own account of the queue, kept beside the gate's: how many attempts wait now and at most, the
 * bound on them ({@code maxQueued}), the throttling episode that event 4226 marks (from the first attempt that
 * has to wait until the queue is empty again), and whether the limiter is closed to newcomers.
 *
 * <p>An attempt joins only after the gate queued it and leaves when it is granted or leaves the gate, so this
 * count never runs ahead of the gate. Thread-safe, lock-free; never on the fast path.
 */
final class WaitingRoom {

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(WaitingRoom.class, "closed", boolean.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int maxQueued;
    private final LimitEvents events;
    private final LimiterCounters counters;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger peakQueued = new AtomicInteger();
    @SuppressWarnings("unused") // written through CLOSED
    private volatile boolean closed;

    WaitingRoom(final int maxQueued, final LimitEvents events, final LimiterCounters counters) {
        this.maxQueued = maxQueued;
        this.events = events;
        this.counters = counters;
    }

    /**
     * Counts an attempt in unless {@code maxQueued} already wait; raises event 4226 as configured.
     *
     * @return whether the attempt may wait
     */
    boolean tryJoin(final InetSocketAddress remote) {
        int before;
        do {
            before = queued.get();
            if (before >= maxQueued) {
                return false;
            }
        } while (!queued.compareAndSet(before, before + 1));
        final int now = before + 1;
        if (now > peakQueued.get()) {
            peakQueued.accumulateAndGet(now, Math::max);
        }
        counters.throttled.increment();
        events.joinedQueue(remote, before);
        return true;
    }

    /** Counts an attempt out: granted, or left the queue. */
    void leave() {
        queued.decrementAndGet();
    }

    int queued() {
        return queued.get();
    }

    int peakQueued() {
        return peakQueued.get();
    }

    int maxQueued() {
        return maxQueued;
    }

    /** Closes the room to newcomers; returns whether this call closed it (exactly one call does). */
    boolean close() {
        return !closed && CLOSED.compareAndSet(this, false, true);
    }

    boolean isClosed() {
        return closed;
    }
}
