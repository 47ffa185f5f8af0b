package io.halfopen.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A clock that moves only when told to: a {@link Ticker} and a {@link Scheduler} in virtual time, for tests
 * and for the simulator.
 *
 * <p>{@link #advance(Duration)} moves time forward and runs every task that falls due, in deadline order
 * (tasks with equal deadlines run in the order they were scheduled), with {@link #nanoTime()} reading each
 * task's own deadline while it runs. Tasks run on the thread that calls {@code advance}, outside any lock, so
 * a task may schedule further tasks; those run in the same call if they fall due within it.
 *
 * <p>Thread-safe: any thread may read the time, schedule or cancel. Time starts at zero unless given.
 */
public final class VirtualClock implements Ticker, Scheduler {

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private volatile long now;
    private long sequence;       // guarded by lock
    private int cancelledQueued; // guarded by lock: cancelled tasks still in the queue

    /** Creates a clock that reads zero. */
    public VirtualClock() {
        this(0L);
    }

    /**
     * Creates a clock that reads {@code startNanos}.
     *
     * @param startNanos the initial reading
     */
    public VirtualClock(final long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Cancellable schedule(final Runnable task, final long delay, final TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        if (delay < 0) {
            throw new IllegalArgumentException("delay must be >= 0, was " + delay + " " + unit);
        }
        lock.lock();
        try {
            final long deadline = saturatedAdd(now, unit.toNanos(delay));
            final Task scheduled = new Task(task, deadline, sequence++);
            tasks.add(scheduled);
            return scheduled;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves time forward by {@code duration}, running every task that falls due on the way.
     *
     * @param duration how far to move, at least zero
     * @return the number of tasks that ran
     */
    public int advance(final Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0, was " + duration);
        }
        return advanceTo(saturatedAdd(now, toNanosSaturated(duration)));
    }

    /**
     * Moves time forward by {@code amount} {@code unit}s, running every task that falls due on the way.
     *
     * @param amount how far to move, at least zero
     * @param unit   the unit of {@code amount}
     * @return the number of tasks that ran
     */
    public int advance(final long amount, final TimeUnit unit) {
        if (amount < 0) {
            throw new IllegalArgumentException("amount must be >= 0, was " + amount + " " + unit);
        }
        return advanceTo(saturatedAdd(now, unit.toNanos(amount)));
    }

    /**
     * Runs the tasks that are due now without moving time.
     *
     * @return the number of tasks that ran
     */
    public int runDueTasks() {
        return advanceTo(now);
    }

    /**
     * Moves time to the next task's deadline and runs every task due then; does nothing if no task waits.
     *
     * @return the number of tasks that ran
     */
    public int advanceToNextTask() {
        final long next = nextDeadline();
        return next == Long.MAX_VALUE ? 0 : advanceTo(Math.max(next, now));
    }

    /**
     * Returns how many tasks wait to run (cancelled ones excluded).
     *
     * @return the number of pending tasks
     */
    public int pendingTasks() {
        lock.lock();
        try {
            return tasks.size() - cancelledQueued;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the deadline of the earliest pending task, or {@link Long#MAX_VALUE} if none waits.
     *
     * @return the earliest deadline in nanoseconds
     */
    public long nextDeadline() {
        lock.lock();
        try {
            purgeCancelledHead();
            final Task head = tasks.peek();
            return head == null ? Long.MAX_VALUE : head.deadline;
        } finally {
            lock.unlock();
        }
    }

    private int advanceTo(final long target) {
        int ran = 0;
        while (true) {
            final Task due;
            lock.lock();
            try {
                purgeCancelledHead();
                final Task head = tasks.peek();
                if (head == null || head.deadline > target) {
                    now = Math.max(now, target);
                    return ran;
                }
                due = tasks.poll();
                now = Math.max(now, due.deadline);
                due.ran = true;
            } finally {
                lock.unlock();
            }
            due.task.run();
            ran++;
        }
    }

    private void purgeCancelledHead() {
        while (!tasks.isEmpty() && tasks.peek().cancelled) {
            tasks.poll();
            cancelledQueued--;
        }
    }

    /**
     * Drops cancelled tasks once they are the majority, so that a clock that is rarely advanced (or whose
     * earliest task stays live) does not keep every cancelled timer: amortized O(log n) per cancel.
     */
    private void purgeCancelledIfMostly() {
        if (cancelledQueued > 32 && cancelledQueued * 2 > tasks.size()) {
            tasks.removeIf(task -> task.cancelled);
            cancelledQueued = 0;
        }
    }

    /**
     * Returns a list of the deadlines of the pending tasks, earliest first; for diagnostics in tests.
     *
     * @return the pending deadlines
     */
    public List<Long> pendingDeadlines() {
        lock.lock();
        try {
            final List<Task> sorted = new ArrayList<>(tasks);
            sorted.sort(null);
            final List<Long> deadlines = new ArrayList<>();
            for (final Task task : sorted) {
                if (!task.cancelled) {
                    deadlines.add(task.deadline);
                }
            }
            return deadlines;
        } finally {
            lock.unlock();
        }
    }

    private static long saturatedAdd(final long a, final long b) {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static long toNanosSaturated(final Duration duration) {
        try {
            return duration.toNanos();
        } catch (final ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    private final class Task implements Comparable<Task>, Cancellable {
        final Runnable task;
        final long deadline;
        final long order;
        boolean cancelled; // guarded by lock
        boolean ran;       // guarded by lock

        Task(final Runnable task, final long deadline, final long order) {
            this.task = task;
            this.deadline = deadline;
            this.order = order;
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                if (!ran && !cancelled) {
                    cancelled = true;
                    cancelledQueued++;
                    purgeCancelledIfMostly();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int compareTo(final Task other) {
            final int byDeadline = Long.compare(deadline, other.deadline);
            return byDeadline != 0 ? byDeadline : Long.compare(order, other.order);
        }
    }
}
