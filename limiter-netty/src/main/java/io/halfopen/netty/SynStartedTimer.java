package io.halfopen.netty;

import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The half-open timer of one connect, as the {@link Scheduler} the limiter arms it with: the limiter asks for it
 * when it grants the slot, but it starts only when the SYN is sent ({@link #start}, on the channel's event loop
 * right after the transport's connect), so that a loop that runs the connect late (a stall, a busy loop) does not
 * spend the half-open time of a connect that has not sent a SYN yet. Runs on the channel's event loop: {@link #start}
 * is called there, where Netty's {@code schedule} puts the timer in the loop's own queue and never rejects it (a
 * loop that shuts down drops it; the connect's termination watch ends the connect then).
 *
 * <p>Cancelling never throws: the limiter cancels the timer inside the attempt's outcome ({@code refused()},
 * {@code established()}, ...), after the attempt's state has moved and before its slot is given back, so a throw
 * would leak the slot. Netty's {@code ScheduledFutureTask.cancel}, called off the loop, submits the timer's removal
 * to the loop and throws {@link RejectedExecutionException} once the loop has shut down; that loop runs no timer
 * any more, so the failure is logged and ignored.
 *
 * <p>The limiter asks once per attempt (the half-open timer is the only thing it schedules here). Never started,
 * it never runs: a connect that ends before its SYN gives its slot back, and the limiter cancels the timer.
 * It is its own cancel handle, and keeps the loop's timer itself: no allocation of its own per connect beyond
 * this object ({@link DetachableListener} extends it, so that the limiter's listener and timer of one connect are
 * one object). Thread-safe: every method is synchronized (called a few times per connect, uncontended).
 */
class SynStartedTimer implements Scheduler, Cancellable {

    private static final Logger LOG = LoggerFactory.getLogger(HalfOpenLimitHandler.class);

    private final EventLoop loop;
    private Runnable task; // what the limiter asked to run; null once cancelled or started
    private long delayNanos;
    private Future<?> started;
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
        return this;
    }

    /** The SYN was sent: the half-open time starts now. A no-op if the timer was cancelled or never asked for. */
    synchronized void start() {
        final Runnable timeout = task;
        if (timeout == null || cancelled) {
            return;
        }
        task = null;
        started = loop.schedule(timeout, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** The limiter cancels the half-open timer (the attempt ended): before or after its start. Never throws. */
    @Override
    public synchronized void cancel() {
        cancelled = true;
        task = null;
        if (started != null) {
            try {
                started.cancel(false);
            } catch (final RuntimeException loopGone) { // RejectedExecutionException: the loop has shut down
                LOG.debug("The half-open timer on {} could not be cancelled; the loop runs no timer any more: {}",
                        loop, loopGone.toString());
            }
        }
    }
}
