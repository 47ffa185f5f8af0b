package io.halfopen.sim.report;

import io.halfopen.sim.host.Ending;
import io.halfopen.sim.metrics.HostMetrics;
import io.halfopen.sim.metrics.StreamMetrics;
import io.halfopen.sim.run.HostResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * One line of a host report: a policy (with the swept parameters' values) on a workload, for the whole host
 * ({@code stream = "all"}) or for one of its streams. Durations in milliseconds, rates per simulated second.
 * The host-wide columns ({@code events4226}, {@code peakQueue}) are null on stream rows; the benign columns are
 * null where there is no benign traffic.
 *
 * @param policy                   the policy's spec
 * @param params                   the swept parameters' values, {@code k=v; k=v}, empty without a sweep
 * @param workload                 the workloads, joined with {@code " + "}
 * @param stream                   {@code all} or one workload's spec
 * @param seconds                  the simulated time measured
 * @param attempts                 attempts that asked for a slot
 * @param completed                attempts that went out and ended
 * @param completedPerSecond       completed attempts per second
 * @param latencyP50Ms             latency (queue wait included) at the 50th percentile
 * @param latencyP90Ms             at the 90th
 * @param latencyP99Ms             at the 99th
 * @param latencyP999Ms            at the 99.9th
 * @param latencyMaxMs             the longest
 * @param benignDelayP50Ms         the delay added to benign attempts (their queue wait; for those still queued at
 *                                 the end, their wait so far), 50th percentile
 * @param benignDelayP99Ms         at the 99th
 * @param benignDelayMaxMs         the longest
 * @param newDestinationsPerSecond distinct destinations that got a SYN, per second
 * @param deadAttemptsPerSecond    attempts that went out to dead destinations, per second
 * @param events4226               event 4226 as the limiter counted it
 * @param peakQueue                the limiter's longest queue
 * @param established              endings: established
 * @param refused                  refused
 * @param timedOut                 timed out
 * @param unreachable              ICMP unreachable
 * @param rejected                 refused a place in the queue
 * @param queueTimeouts            waited past the queue timeout
 * @param unfinished               still queued or half-open at the end
 */
public record HostRow(String policy, String params, String workload, String stream, double seconds, long attempts,
        long completed, double completedPerSecond, double latencyP50Ms, double latencyP90Ms, double latencyP99Ms,
        double latencyP999Ms, double latencyMaxMs, Double benignDelayP50Ms, Double benignDelayP99Ms,
        Double benignDelayMaxMs, double newDestinationsPerSecond, double deadAttemptsPerSecond, Long events4226,
        Long peakQueue, long established, long refused, long timedOut, long unreachable, long rejected,
        long queueTimeouts, long unfinished) {

    /**
     * Returns the rows of one result: the whole host first, then each stream if there are several.
     *
     * @param result the result
     * @return the rows
     */
    public static List<HostRow> of(final HostResult result) {
        final HostMetrics m = result.metrics();
        final String workload = m.streams().stream().map(s -> s.name()).collect(Collectors.joining(" + "));
        final double seconds = result.endNanos() / 1e9;
        final String params = params(result.run().sweep());
        final List<HostRow> rows = new ArrayList<>();
        final Histogram benign = new Histogram(3);
        m.benign().forEach(s -> benign.add(s.queueWait()));
        final boolean anyBenign = !m.benign().isEmpty();
        rows.add(row(result, params, workload, "all", seconds, m.total(), anyBenign ? benign : null,
                result.stats().limitReachedEvents(), (long) result.stats().peakQueued(), result.unfinished()));
        if (m.streams().size() > 1) {
            for (int i = 0; i < m.streams().size(); i++) {
                final StreamMetrics s = m.stream(i);
                rows.add(row(result, params, workload, m.streams().get(i).name(), seconds, s,
                        m.streams().get(i).benign() ? s.queueWait() : null, null, null, s.submitted() - s.ended()));
            }
        }
        return rows;
    }

    private static HostRow row(final HostResult r, final String params, final String workload, final String stream,
            final double seconds, final StreamMetrics s, final Histogram delay, final Long events4226,
            final Long peakQueue, final long unfinished) {
        final Histogram l = s.latency();
        return new HostRow(r.run().policy().toString(), params, workload, stream, seconds, s.submitted(),
                s.completed(), s.completed() / seconds, ms(l, 50), ms(l, 90), ms(l, 99), ms(l, 99.9),
                l.getTotalCount() == 0 ? 0 : l.getMaxValue() / 1000.0,
                delay == null ? null : ms(delay, 50), delay == null ? null : ms(delay, 99),
                delay == null ? null : (delay.getTotalCount() == 0 ? 0 : delay.getMaxValue() / 1000.0),
                s.distinctDestinations() / seconds, s.deadOut() / seconds, events4226, peakQueue,
                s.ended(Ending.ESTABLISHED), s.ended(Ending.REFUSED), s.ended(Ending.TIMED_OUT),
                s.ended(Ending.UNREACHABLE), s.ended(Ending.REJECTED), s.ended(Ending.QUEUE_TIMEOUT), unfinished);
    }

    private static double ms(final Histogram h, final double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    static String params(final Map<String, String> sweep) {
        return sweep.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
    }
}
