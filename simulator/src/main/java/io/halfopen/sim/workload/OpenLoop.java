package io.halfopen.sim.workload;

import io.halfopen.sim.engine.Event;

/**
 * The pacing of an open-loop workload: one event that fires at each arrival, lets the workload submit, and
 * schedules itself for the next, until the workload's end, its count, or {@link #next()} says stop.
 * Fixed arrivals are computed from the arrival's index (no drift); Poisson ones from exponential gaps.
 */
abstract class OpenLoop extends Event {

    private final WorkloadContext context;
    private final double rate;
    private final Arrivals arrivals;
    private final long count;
    private long index;

    /**
     * @param context the run
     * @param rate    arrivals per second, positive
     * @param arrivals evenly or Poisson
     * @param count   how many at most, 0 for no bound
     */
    OpenLoop(final WorkloadContext context, final double rate, final Arrivals arrivals, final long count) {
        this.context = context;
        this.rate = rate;
        this.arrivals = arrivals;
        this.count = count;
    }

    final void begin() {
        schedule(arrivals.firstNanos(rate, context.random()));
    }

    @Override
    protected final void fire() {
        if (!next()) {
            return;
        }
        index++;
        if (count > 0 && index >= count) {
            return;
        }
        final long at = arrivals == Arrivals.FIXED ? Math.round(index * 1e9 / rate)
                : context.loop().nanoTime() + arrivals.gap(rate, context.random());
        schedule(at);
    }

    private void schedule(final long at) {
        if (at <= context.end() && at >= context.loop().nanoTime()) {
            context.loop().at(this, at);
        }
    }

    /**
     * Submits this arrival's attempt.
     *
     * @return {@code false} to stop arriving
     */
    abstract boolean next();
}
