package io.halfopen.benchmarks.baseline;

import io.halfopen.policy.AdmissionTicket;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * The simplest queueing semaphore we could write from JCTools parts: an {@link AtomicInteger} of free
 * permits plus an {@link MpmcUnboundedXaddArrayQueue} of waiting tickets. A baseline, to show what
 * {@code QueueingSemaphore}'s design buys; never used by the library.
 *
 * <h2>Algorithm</h2>
 * <ul>
 *   <li>acquire: take a permit with a CAS loop while the count is positive. If none is free, offer the ticket
 *       to the queue, then {@link #drain()}.</li>
 *   <li>release: increment the count, then {@link #drain()}.</li>
 *   <li>drain: while the queue is not empty and a permit can be taken, poll a ticket and offer it the permit
 *       ({@link AdmissionTicket#tryAdmit()}); if it declines (cancelled) or the poll lost a race, put the
 *       permit back and look again.</li>
 * </ul>
 *
 * <h2>Caveats, honestly</h2>
 * <ul>
 *   <li><b>Lost wake-up</b> is avoided only by the drain after the offer: an acquirer that fails to take a
 *       permit and a release that finds the queue empty would otherwise strand the ticket. The offer and the
 *       count are two separate atomics, so each side has to re-check the other's (a Dekker pattern over
 *       sequentially consistent atomics). Every hand-off therefore pays an increment, a CAS that takes the
 *       permit back, the queue's xadd on each side, and the emptiness checks: more atomic operations than
 *       {@code QueueingSemaphore}, whose release deposits the permit in the waiter's cell directly.</li>
 *   <li><b>Not strictly FIFO.</b> A newcomer's CAS does not look at the queue, so it can take a permit that a
 *       release has just counted but not yet handed to the oldest waiter (barging). Two concurrent drains
 *       poll in queue order but may call {@code tryAdmit()} in either order.</li>
 *   <li>The acquire fast path is a read plus a CAS (retried under contention), not one unconditional xadd:
 *       the count cannot go negative, because nothing would pair a negative count with a queue position.</li>
 *   <li>Cancellation is O(1) for the canceller (the ticket flips its own state); the cancelled ticket stays in
 *       the queue until a drain polls it.</li>
 * </ul>
 *
 * <p>Thread-safe and lock-free (the queue's consumers may spin briefly on a slot being filled).
 */
public final class XaddQueueSemaphore {

    private static final int CHUNK_SIZE = 64;
    private static final int POOLED_CHUNKS = 2;

    private final AtomicInteger permits;
    private final MpmcUnboundedXaddArrayQueue<AdmissionTicket> waiters =
            new MpmcUnboundedXaddArrayQueue<>(CHUNK_SIZE, POOLED_CHUNKS);

    /**
     * Creates a semaphore with {@code maxPermits} free permits.
     *
     * @param maxPermits the number of permits, at least 1
     */
    public XaddQueueSemaphore(final int maxPermits) {
        if (maxPermits < 1) {
            throw new IllegalArgumentException("maxPermits must be >= 1, was " + maxPermits);
        }
        permits = new AtomicInteger(maxPermits);
    }

    /**
     * Takes a permit at once, or queues {@code ticket}.
     *
     * @param ticket the waiter, queued if no permit is free
     * @return {@code true} if the caller holds a permit now, {@code false} if the ticket was queued (it may
     *         already have been granted by the drain that follows the offer)
     */
    public boolean acquire(final AdmissionTicket ticket) {
        if (tryTakePermit()) {
            return true;
        }
        waiters.offer(ticket);
        drain(); // closes the lost wake-up window: a release may have counted its permit before our offer
        return false;
    }

    /** Returns a permit, then hands free permits to waiters in queue order. */
    public void release() {
        permits.incrementAndGet();
        drain();
    }

    /**
     * Returns the number of free permits; a snapshot.
     *
     * @return free permits
     */
    public int availablePermits() {
        return permits.get();
    }

    /**
     * Returns whether any ticket (live or cancelled) is still queued; a snapshot.
     *
     * @return {@code true} if the queue is not empty
     */
    public boolean hasQueued() {
        return !waiters.isEmpty();
    }

    private void drain() {
        while (!waiters.isEmpty() && tryTakePermit()) {
            final AdmissionTicket next = waiters.poll();
            if (next == null || !next.tryAdmit()) {
                permits.incrementAndGet(); // lost the poll to another drain, or the ticket left: look again
            }
        }
    }

    private boolean tryTakePermit() {
        int current = permits.get();
        while (current > 0) {
            final int witness = permits.compareAndExchange(current, current - 1);
            if (witness == current) {
                return true;
            }
            current = witness;
        }
        return false;
    }
}
