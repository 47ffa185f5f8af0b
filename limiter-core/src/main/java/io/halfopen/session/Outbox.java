package io.halfopen.session;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an {@link InboundSessionLimiter} must do outside its lock, in the order it decided it: listener calls
 * and disconnect callbacks ({@link Action}s).
 *
 * <p>Invariants, which give {@link SessionListener} its ordering guarantee:
 * <ol>
 *   <li>{@link #add} and {@link #claim} run under the limiter's lock, the lock every change of the table takes,
 *       so the queue holds actions in the order the table changed.</li>
 *   <li>At most one thread delivers at a time: {@link #claim} makes the caller the deliverer only if nobody
 *       is ({@code delivering}, guarded by the lock). The deliverer runs one action at a time outside the lock,
 *       takes the next one under the lock, and gives up the role only when, under the lock, it finds the queue
 *       empty. So actions run one after another, in queue order, and an action queued while another thread
 *       delivers is run by that thread: it is never stranded.</li>
 *   <li>Actions run outside the lock, so they may call back into the limiter; what such a call queues runs after
 *       the current action returns (no recursion).</li>
 *   <li>Nothing an action throws stops delivery. A {@link RuntimeException} (or a checked exception thrown
 *       sneakily) is logged and ignored; an {@link Error} is logged and rethrown by {@link #deliver} once the
 *       queue is empty, with any later Errors suppressed into it.</li>
 * </ol>
 *
 * <p>Thread-safe under the contract above (add and claim with the lock held, deliver without it).
 */
final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(InboundSessionLimiter.class);

    /** One thing to do outside the lock; its {@code toString} names it in the log line if it throws. */
    abstract static class Action {
        /** Does it. */
        abstract void run();
    }

    private final ReentrantLock lock;
    private final ArrayDeque<Action> pending = new ArrayDeque<>(); // guarded by lock
    private boolean delivering;                                     // guarded by lock

    Outbox(final ReentrantLock lock) {
        this.lock = lock;
    }

    /** Queues an action. The caller holds the lock. */
    void add(final Action action) {
        pending.add(action);
    }

    /**
     * Makes the caller the deliverer if nobody delivers and something is queued. The caller holds the lock.
     *
     * @return the first action, which the caller must pass to {@link #deliver} once it released the lock; null
     *         if there is nothing to deliver or another thread delivers it
     */
    Action claim() {
        if (delivering) {
            return null;
        }
        final Action first = pending.poll();
        delivering = first != null;
        return first;
    }

    /**
     * Runs {@code first}, then every action queued meanwhile, until none is left. The caller does not hold the
     * lock and got {@code first} from {@link #claim}; null does nothing.
     *
     * @throws Error the first Error an action threw, once every action ran
     */
    void deliver(final Action first) {
        Error error = null;
        Action next = first;
        while (next != null) {
            try {
                next.run();
            } catch (final Error e) {
                LOG.error("{} threw; rethrown once the remaining events and callbacks ran", next, e);
                if (error == null) {
                    error = e;
                } else if (error != e) {
                    error.addSuppressed(e);
                }
            } catch (final Throwable e) {
                LOG.warn("{} threw; ignored", next, e);
            }
            lock.lock();
            try {
                next = pending.poll();
                if (next == null) {
                    delivering = false;
                }
            } finally {
                lock.unlock();
            }
        }
        if (error != null) {
            throw error;
        }
    }
}
