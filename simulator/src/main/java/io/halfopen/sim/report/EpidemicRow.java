package io.halfopen.sim.report;

import io.halfopen.sim.population.EpidemicResult;
import io.halfopen.sim.population.EpidemicRun;

/**
 * One line of an epidemic report. Times in simulated seconds; null where the share was not reached.
 *
 * @param policy          the policy's spec (run by the protected hosts)
 * @param params          the swept parameters' values, {@code k=v; k=v}
 * @param coverage        the share of vulnerable hosts that run it
 * @param strategy        the scanning strategy
 * @param space           Ω, addresses
 * @param vulnerable      V
 * @param threads         scanning threads per infected host
 * @param rate            scans per second per infected host at most, 0 for no bound
 * @param liveShare       share of the other addresses that answer
 * @param secondsTo50     time to 50 % infected
 * @param secondsTo90     time to 90 % infected
 * @param scans           scans that went out
 * @param attemptedScans  scans the worms tried, including those still queued at the end
 * @param infected        hosts infected at the end
 * @param endSeconds      when the run stopped
 */
public record EpidemicRow(String policy, String params, double coverage, String strategy, long space, int vulnerable,
        int threads, double rate, double liveShare, Double secondsTo50, Double secondsTo90, long scans,
        long attemptedScans, int infected, double endSeconds) {

    /**
     * Returns the row of one result.
     *
     * @param r the result
     * @return the row
     */
    public static EpidemicRow of(final EpidemicResult r) {
        final EpidemicRun run = r.run();
        return new EpidemicRow(run.policy().toString(), HostRow.params(run.sweep()), run.coverage(),
                run.strategy().word(), run.space(), run.vulnerable(), run.threads(), run.rate(), run.liveShare(),
                orNull(r.secondsTo(0.5)), orNull(r.secondsTo(0.9)), r.scans(), r.submitted(), r.infected(),
                r.endNanos() / 1e9);
    }

    private static Double orNull(final double v) {
        return Double.isNaN(v) ? null : v;
    }
}
