package io.halfopen.benchmarks.support;

import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler {@link Scheduler#system()} was before the timer wheel: one daemon thread over a
 * {@link ScheduledThreadPoolExecutor} that removes cancelled tasks at once. Kept as a baseline, so that the
 * benchmarks show what the wheel replaced in the same run: each timer is a {@code ScheduledFutureTask} in a
 * locked binary heap, armed and cancelled under that lock, and a timer that becomes the heap's head signals the
 * thread.
 */
public final class ThreadPoolScheduler implements Scheduler {

    private final ScheduledThreadPoolExecutor executor;

    /**
     * Starts the executor's thread.
     *
     * @param threadName the thread's name
     */
    public ThreadPoolScheduler(final String threadName) {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            final Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable schedule(final Runnable task, final long delay, final TimeUnit unit) {
        final ScheduledFuture<?> future = executor.schedule(task, delay, unit);
        return () -> future.cancel(false);
    }

    /**
     * Returns how many tasks wait in the executor's queue: 0 once every timer was cancelled.
     *
     * @return the queue's size
     */
    public int pending() {
        return executor.getQueue().size();
    }

    /** Stops the thread. */
    public void shutdown() {
        executor.shutdownNow();
    }
}
