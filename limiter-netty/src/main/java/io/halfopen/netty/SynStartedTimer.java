package io.halfopen.netty;

import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The half-open timer of one connect, as the {@link Scheduler} the limiter arms it with: the limiter asks for it
 * when it grants the slot, but it starts only when the SYN is sent ({@link #start}, on the channel's event loop
 * right after the transport's connect), so that a loop that runs the connect late (a stall, a busy loop) does not
 * spend the half-open time of a connect that has not sent a SYN yet. Runs on the channel's event loop, or on the
 * shared timer thread if the loop no longer takes tasks.
 *
 * <p>The limiter asks once per attempt (the half-open timer is the only thing it schedules here). Never started,
 * it never runs: a connect that ends before its SYN gives its slot back, and the limiter cancels the timer.
 * Thread-safe: every method is synchronized (called a few times per connect, uncontended).
 */
final class SynStartedTimer implements Scheduler {

    private final EventLoop loop;
    private Runnable task; // what the limiter asked to run; null once cancelled or started
    private long delayNanos;
    private Cancellable started;
    private boolean cancelled;

    SynStartedTimer(final EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public synchronized Cancellable schedule(final Runnable timeout, final long delay, final TimeUnit unit) {
        if (task != null || started != null) {
            throw new IllegalStateException("the half-open timer of a connect is armed once");
        }
        task = timeout;
        delayNanos = unit.toNanos(delay);
        return this::cancel;
    }

    /** The SYN was sent: the half-open time starts now. A no-op if the timer was cancelled or never asked for. */
    synchronized void start() {
        final Runnable timeout = task;
        if (timeout == null || cancelled) {
            return;
        }
        task = null;
        try {
            final Future<?> timer = loop.schedule(timeout, delayNanos, TimeUnit.NANOSECONDS);
            started = () -> timer.cancel(false);
        } catch (final RejectedExecutionException stopped) {
            started = Scheduler.system().schedule(timeout, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void cancel() {
        cancelled = true;
        task = null;
        if (started != null) {
            started.cancel();
        }
    }
}
