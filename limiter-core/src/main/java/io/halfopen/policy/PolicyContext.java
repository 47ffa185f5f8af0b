package io.halfopen.policy;

import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import java.util.Objects;

/**
 * Everything a gate may use from its surroundings: a clock and a scheduler. Production passes
 * {@link Ticker#system()} and {@link Scheduler#system()}; tests and the simulator pass one
 * {@link io.halfopen.time.VirtualClock} as both, so the same gate runs in production and in virtual time.
 *
 * <p>A gate reads time only from {@link #ticker()} (never {@link System#nanoTime()} or the wall clock) and
 * runs deferred work only on {@link #scheduler()} (never a thread or executor of its own). Timer tasks run on
 * the scheduler's thread (the caller of {@code VirtualClock.advance} in virtual time) and may offer slots from
 * there. Gates report events of their own rule ({@link PolicyEvent}) to {@link #listener()}, outside their
 * locks. Immutable.
 */
public final class PolicyContext {

    private final Ticker ticker;
    private final Scheduler scheduler;
    private final PolicyListener listener;

    /**
     * Creates a context whose policy events go nowhere.
     *
     * @param ticker    the clock
     * @param scheduler the scheduler, on the same clock
     */
    public PolicyContext(final Ticker ticker, final Scheduler scheduler) {
        this(ticker, scheduler, PolicyListener.NONE);
    }

    /**
     * Creates a context.
     *
     * @param ticker    the clock
     * @param scheduler the scheduler, on the same clock
     * @param listener  receives the gate's {@link PolicyEvent}s
     */
    public PolicyContext(final Ticker ticker, final Scheduler scheduler, final PolicyListener listener) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Returns the clock.
     *
     * @return the ticker
     */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * Returns the scheduler.
     *
     * @return the scheduler
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * Returns where the gate reports its {@link PolicyEvent}s.
     *
     * @return the listener
     */
    public PolicyListener listener() {
        return listener;
    }
}
