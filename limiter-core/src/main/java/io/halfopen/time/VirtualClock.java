package io.halfopen.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
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
 *
 * <h2>How</h2>
 * The pending tasks sit in an array-based 4-ary min-heap ordered by deadline, then by a sequence number drawn
 * at scheduling (so equal deadlines run first-in, first-out and a run is deterministic). Each task knows its
 * index in the heap, so {@link Cancellable#cancel()} takes it out at once, in O(log n): cancelled tasks are
 * never retained, and a task's {@link Runnable} is let go when it runs or is cancelled. Scheduling allocates
 * the one handle it returns and nothing else; a 4-ary heap is shallower than a binary one and its four
 * children share a cache line or two, which is what a heap of many timers pays for.
 */
public final class VirtualClock implements Ticker, Scheduler {

    private static final int NOT_QUEUED = -1;

    private final ReentrantLock lock = new ReentrantLock();
    private Task[] heap = new Task[16]; // guarded by lock
    private int size;                   // guarded by lock
    private volatile long now;
    private long sequence;              // guarded by lock

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
        final long nanos = unit.toNanos(delay);
        lock.lock();
        try {
            final Task scheduled = new Task(task, saturatedAdd(now, nanos), sequence++);
            add(scheduled);
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
            return size;
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
            return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
        } finally {
            lock.unlock();
        }
    }

    private int advanceTo(final long target) {
        int ran = 0;
        while (true) {
            final Runnable due;
            lock.lock();
            try {
                final Task head = size == 0 ? null : heap[0];
                if (head == null || head.deadline > target) {
                    now = Math.max(now, target);
                    return ran;
                }
                removeAt(0);
                now = Math.max(now, head.deadline);
                due = head.task;
                head.task = null; // ran: the handle no longer keeps the task (and what it captured) reachable
            } finally {
                lock.unlock();
            }
            due.run();
            ran++;
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
            final Task[] sorted = Arrays.copyOf(heap, size);
            Arrays.sort(sorted, VirtualClock::compare);
            final List<Long> deadlines = new ArrayList<>(size);
            for (final Task task : sorted) {
                deadlines.add(task.deadline);
            }
            return deadlines;
        } finally {
            lock.unlock();
        }
    }

    /** How many task handles the heap holds (for tests: cancelled tasks are not among them). */
    int heapSize() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ the 4-ary heap, guarded by lock

    private void add(final Task task) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, task);
    }

    private void removeAt(final int i) {
        final Task removed = heap[i];
        removed.index = NOT_QUEUED;
        final int last = --size;
        final Task moved = heap[last];
        heap[last] = null;
        if (i != last) {
            siftDown(i, moved);
            if (heap[i] == moved) {
                siftUp(i, moved);
            }
        }
    }

    private void siftUp(int i, final Task task) {
        while (i > 0) {
            final int parent = (i - 1) >>> 2;
            final Task p = heap[parent];
            if (compare(task, p) >= 0) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = task;
        task.index = i;
    }

    private void siftDown(int i, final Task task) {
        while (true) {
            final int first = 4 * i + 1;
            if (first >= size) {
                break;
            }
            int least = first;
            final int end = Math.min(first + 4, size);
            for (int c = first + 1; c < end; c++) {
                if (compare(heap[c], heap[least]) < 0) {
                    least = c;
                }
            }
            final Task c = heap[least];
            if (compare(c, task) >= 0) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = least;
        }
        heap[i] = task;
        task.index = i;
    }

    /** Deadline order, then scheduling order: a total order, since sequence numbers are unique. */
    private static int compare(final Task a, final Task b) {
        final int byDeadline = Long.compare(a.deadline, b.deadline);
        return byDeadline != 0 ? byDeadline : Long.compare(a.order, b.order);
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

    /** A scheduled task and its handle; its fields are guarded by the clock's lock. */
    private final class Task implements Cancellable {
        Runnable task;       // null once it ran or was cancelled
        final long deadline;
        final long order;
        int index = NOT_QUEUED;

        Task(final Runnable task, final long deadline, final long order) {
            this.task = task;
            this.deadline = deadline;
            this.order = order;
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                if (index != NOT_QUEUED) {
                    removeAt(index);
                    task = null;
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
