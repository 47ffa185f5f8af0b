package io.halfopen.policy;

import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import java.util.Objects;

/**
 * What a gate may use from its surroundings: a clock and a scheduler, system ones in production and a
 * {@link io.halfopen.time.VirtualClock} in tests and the simulator. Immutable.
 */
public final class PolicyContext {

    private final Ticker ticker;
    private final Scheduler scheduler;

    /**
     * Creates a context.
     *
     * @param ticker    the clock
     * @param scheduler the scheduler
     */
    public PolicyContext(final Ticker ticker, final Scheduler scheduler) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
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
}
