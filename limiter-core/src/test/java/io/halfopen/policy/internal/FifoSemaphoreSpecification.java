package io.halfopen.policy.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.TreeSet;

/**
 * The sequential specification the lock-free {@link QueueingSemaphore} must be linearizable to: a counting
 * semaphore with a strict FIFO queue of waiters, from which a waiter can be cancelled.
 *
 * <ul>
 *   <li>{@code acquire}: a permit at once if one is free, otherwise the ticket joins the back of the queue. A
 *       free permit and a non-empty queue never coexist, so nobody barges. (It returns nothing: see
 *       {@link SemaphoreHarness#acquire}.)</li>
 *   <li>{@code releaseOne}: the calling thread gives back the permit of its oldest ticket that holds one
 *       ({@link SemaphoreHarness#NO_HOLDER} if it holds none); the permit goes to the oldest waiting ticket, or
 *       becomes free. Who got it shows in later results: which threads can release, which tickets can still
 *       be cancelled, how many permits are free.</li>
 *   <li>{@code cancel}: a waiting ticket leaves the queue; {@code false} for any other ticket.</li>
 * </ul>
 *
 * Subclasses fix the number of permits, because Lincheck instantiates the specification by its no-arg
 * constructor.
 */
public abstract class FifoSemaphoreSpecification {

    private final int permits;
    private final int[] acquiresByThread = new int[16];
    private final Deque<Integer> queue = new ArrayDeque<>();
    /** The ids of tickets that hold a permit, in id order, so a thread releases its oldest permit first. */
    private final TreeSet<Integer> holding = new TreeSet<>();

    protected FifoSemaphoreSpecification(final int permits) {
        this.permits = permits;
    }

    public void acquire(final int thread) {
        final int id = thread * 10 + acquiresByThread[thread]++;
        if (holding.size() < permits) {
            holding.add(id);
        } else {
            queue.addLast(id);
        }
    }

    public int releaseOne(final int thread) {
        final Integer mine = holding.ceiling(thread * 10);
        if (mine == null || mine >= thread * 10 + 10) {
            return SemaphoreHarness.NO_HOLDER;
        }
        holding.remove(mine);
        final Integer next = queue.pollFirst();
        if (next != null) {
            holding.add(next); // FIFO: the oldest waiter, and only a live one (cancelled ones left the queue)
        }
        return SemaphoreHarness.RELEASED;
    }

    public boolean cancel(final int thread, final int k) {
        return queue.remove(thread * 10 + k);
    }

    public int available() {
        return permits - holding.size();
    }

    /** One permit. */
    public static final class OnePermit extends FifoSemaphoreSpecification {
        public OnePermit() {
            super(1);
        }
    }

    /** Two permits. */
    public static final class TwoPermits extends FifoSemaphoreSpecification {
        public TwoPermits() {
            super(2);
        }
    }
}
