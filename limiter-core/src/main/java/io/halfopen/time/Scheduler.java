package io.halfopen.time;

import java.util.concurrent.TimeUnit;

/**
 * Runs tasks after a delay. The limiter arms its queue and half-open timeouts here and never starts a
 * thread of its own.
 *
 * <p>Implementations must be thread-safe: {@link #schedule} and {@link Cancellable#cancel()} may be called
 * from any thread. A task runs at most once, on a thread of the scheduler's choosing, no earlier than
 * {@code delay} after the call as measured by the scheduler's own clock. Tasks must be short and must not
 * block; halfopen's tasks only flip a state and notify a listener.
 *
 * <p>Production code uses {@link #system()}; tests and the simulator use a {@link VirtualClock}.
 */
@FunctionalInterface
public interface Scheduler {

    /**
     * Schedules {@code task} to run once after {@code delay}.
     *
     * @param task  the task; never null
     * @param delay the delay, at least zero
     * @param unit  the unit of {@code delay}
     * @return a handle that cancels the task
     */
    Cancellable schedule(Runnable task, long delay, TimeUnit unit);

    /**
     * Arms {@code node} to {@linkplain TimerNode#expire() expire} once after {@code delay}, unless it is
     * {@linkplain TimerNode#disarm() disarmed} first. A {@link TimerWheel} holds the node itself and allocates
     * nothing; the default implementation schedules one task of {@link #schedule} per arming, whose handle the
     * node keeps for its disarm. Another scheduler may hold nodes too, through {@link TimerNode#holdArming}.
     *
     * @param node  the node, not armed
     * @param delay the delay, at least zero
     * @param unit  the unit of {@code delay}
     * @throws IllegalStateException if the node is armed already, or bound to a {@link TimerWheel}
     */
    default void arm(final TimerNode node, final long delay, final TimeUnit unit) {
        node.armVia(this, delay, unit);
    }

    /**
     * Returns the process-wide system scheduler: the shared {@link TimerWheel}, one daemon thread named
     * {@code halfopen-timer} started on first use, on system time, firing timers within its precision (10 ms by
     * default, see {@link TimerWheel#PRECISION_PROPERTY}) after their deadline. Disarmed timers leave it within one
     * tick, so they never pile up.
     *
     * @return the shared system scheduler
     */
    static Scheduler system() {
        return TimerWheel.shared();
    }
}
