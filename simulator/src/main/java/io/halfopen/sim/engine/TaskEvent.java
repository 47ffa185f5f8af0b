package io.halfopen.sim.engine;

/**
 * A {@link Runnable} handed to {@link EventLoop#schedule}: the limiter's timers. Never scheduled twice, so the
 * loop may cancel one lazily: it is marked, its task let go, and it stays in its wheel slot or the firing heap
 * until its instant comes, when the loop drops it unfired.
 */
final class TaskEvent extends Event {

    private Runnable task;
    /** Cancelled while on the wheel or in the firing heap, and not yet dropped by the loop. */
    boolean cancelled;

    TaskEvent(final Runnable task) {
        this.task = task;
    }

    void markCancelled() {
        cancelled = true;
        task = null; // what the task captured (an attempt, its owner) need not wait for the instant
    }

    @Override
    protected void fire() {
        task.run();
    }
}
