package io.halfopen.sim.run;

import io.halfopen.limiter.LimiterStats;
import io.halfopen.sim.metrics.HostMetrics;

/**
 * What one host simulation measured.
 *
 * @param run        what was simulated
 * @param metrics    the simulator's metrics
 * @param stats      the limiter's own stats at the end (its 4226 count, its peaks)
 * @param endNanos   the instant the measurement window closed (the duration, or when the last attempt ended)
 * @param unfinished attempts still queued or half-open at the end
 * @param events     how many events the loop fired
 */
public record HostResult(HostRun run, HostMetrics metrics, LimiterStats stats, long endNanos, long unfinished,
        long events) {
}
