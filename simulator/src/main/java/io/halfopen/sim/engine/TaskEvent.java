package io.halfopen.sim.engine;

/** A {@link Runnable} handed to {@link EventLoop#schedule}: the limiter's timers. */
final class TaskEvent extends Event {

    private final Runnable task;

    TaskEvent(final Runnable task) {
        this.task = task;
    }

    @Override
    protected void fire() {
        task.run();
    }
}
