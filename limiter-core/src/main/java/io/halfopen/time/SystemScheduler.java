package io.halfopen.time;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The shared {@link Scheduler} of the process: one daemon thread, created lazily by the holder idiom.
 * Cancelled tasks are removed from the work queue at once.
 */
final class SystemScheduler implements Scheduler {

    static final SystemScheduler INSTANCE = new SystemScheduler();

    private SystemScheduler() {
    }

    @Override
    public Cancellable schedule(final Runnable task, final long delay, final TimeUnit unit) {
        final ScheduledFuture<?> future = Holder.EXECUTOR.schedule(task, delay, unit);
        return () -> future.cancel(false);
    }

    private static final class Holder {
        static final ScheduledThreadPoolExecutor EXECUTOR = newExecutor();

        private static ScheduledThreadPoolExecutor newExecutor() {
            final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                final Thread thread = new Thread(runnable, "halfopen-timer");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            return executor;
        }
    }
}
