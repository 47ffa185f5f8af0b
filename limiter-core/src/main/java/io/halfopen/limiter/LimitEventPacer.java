package io.halfopen.limiter;

import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Raises event 4226 at most once per {@code limitEventMinInterval}, folding the rest in: a queue that empties
 * and refills many times a second starts many episodes, and the log would otherwise get a WARN line for each.
 *
 * <h2>Rule</h2>
 * An episode (whatever {@link LimitEventMode} counts as one) that starts outside a window raises its event at
 * once and opens a window of one interval. Episodes that start inside the window are folded: the first of them
 * arms a timer for the window's end, and when it fires one event stands for all of them
 * ({@link LimitReached#episodes()}), with the address and queue length of the last, and opens the next window.
 * So events are at least one interval apart, the first of a calm period is raised without delay, and every
 * episode is in exactly one event: the sum of the events' episodes is the number of episodes. Closing the
 * limiter raises what is folded at once ({@link #flush()}), so nothing waits for a timer that may never run.
 *
 * <h2>Threads</h2>
 * Thread-safe. The window's state is guarded by a {@link ReentrantLock} (never {@code synchronized}: a virtual
 * thread never pins on it), held for a few field writes; events are raised, and the timer armed, after it is
 * released, on the thread that started the episode or on the scheduler's. Never on the semaphore's fast path:
 * only an attempt that has to queue gets here. If the scheduler refuses the timer, what is folded is raised
 * at once instead.
 */
final class LimitEventPacer {

    /** Where a paced event goes. */
    @FunctionalInterface
    interface Sink {
        void raise(InetSocketAddress remote, int queued, long episodes);
    }

    private static final long RAISE_NOW = -1;
    private static final long ALREADY_ARMED = -2;

    private final long intervalNanos;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final Sink sink;
    private final ReentrantLock lock = new ReentrantLock();

    private boolean windowOpen;              // guarded by lock
    private long windowEnd;                  // guarded by lock
    private long folded;                     // guarded by lock
    private InetSocketAddress lastRemote;    // guarded by lock
    private int lastQueued;                  // guarded by lock
    private boolean timerArmed;              // guarded by lock

    LimitEventPacer(final long intervalNanos, final Ticker ticker, final Scheduler scheduler, final Sink sink) {
        this.intervalNanos = intervalNanos;
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.sink = sink;
    }

    /** An episode started: raises its event now, or folds it into the window's next one. */
    void episode(final InetSocketAddress remote, final int queued) {
        final long armIn;
        lock.lock();
        try {
            final long now = ticker.nanoTime();
            if (!windowOpen || now - windowEnd >= 0) {
                windowOpen = true;
                windowEnd = now + intervalNanos;
                armIn = RAISE_NOW;
            } else {
                folded++;
                lastRemote = remote;
                lastQueued = queued;
                armIn = timerArmed ? ALREADY_ARMED : windowEnd - now;
                timerArmed = true;
            }
        } finally {
            lock.unlock();
        }
        if (armIn == RAISE_NOW) {
            sink.raise(remote, queued, 1);
        } else if (armIn != ALREADY_ARMED) {
            arm(armIn); // outside the lock: a scheduler may run the task at once, and the task takes the lock
        }
    }

    private void arm(final long delayNanos) {
        try {
            scheduler.schedule(this::windowEnded, delayNanos, TimeUnit.NANOSECONDS);
        } catch (final Throwable t) {
            HalfOpenLimiter.LOG.error("the scheduler refused the timer that raises the folded event 4226 at the end"
                    + " of its limitEventMinInterval; raising it now", t);
            windowEnded();
        }
    }

    private void windowEnded() {
        flush(true);
    }

    /** Raises what is folded now, if anything: the limiter closed. A timer still armed finds nothing later. */
    void flush() {
        flush(false);
    }

    private void flush(final boolean timerFired) {
        final InetSocketAddress remote;
        final int queued;
        final long episodes;
        lock.lock();
        try {
            if (timerFired) {
                timerArmed = false;
            }
            if (folded == 0) {
                return;
            }
            episodes = folded;
            remote = lastRemote;
            queued = lastQueued;
            folded = 0;
            lastRemote = null;
            windowOpen = true;
            windowEnd = ticker.nanoTime() + intervalNanos;
        } finally {
            lock.unlock();
        }
        sink.raise(remote, queued, episodes);
    }
}
