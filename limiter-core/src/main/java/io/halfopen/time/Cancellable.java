package io.halfopen.time;

/** A handle to a task scheduled on a {@link Scheduler}. Thread-safe. */
@FunctionalInterface
public interface Cancellable {

    /**
     * Cancels the task if it has not run yet; a no-op if it already ran or was cancelled. Never blocks and
     * never interrupts a task that is running.
     */
    void cancel();
}
