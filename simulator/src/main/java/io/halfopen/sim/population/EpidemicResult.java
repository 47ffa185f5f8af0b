package io.halfopen.sim.population;

/**
 * What one epidemic did.
 *
 * @param run          what was simulated
 * @param infectionsAt the instant of every infection, sorted (the initial ones at 0), virtual nanoseconds
 * @param scans        scans that went out (got a slot and sent a SYN)
 * @param submitted    scans the worms tried (including those still queued at the end)
 * @param endNanos     when the run stopped
 * @param events       how many events the loop fired
 */
public record EpidemicResult(EpidemicRun run, long[] infectionsAt, long scans, long submitted, long endNanos,
        long events) {

    /**
     * Returns how many hosts were infected at the end.
     *
     * @return the count
     */
    public int infected() {
        return infectionsAt.length;
    }

    /**
     * Returns when a share of the vulnerable hosts was infected.
     *
     * @param share 0 to 1
     * @return seconds, or {@link Double#NaN} if it was not reached
     */
    public double secondsTo(final double share) {
        final int needed = (int) Math.max(1, Math.ceil(share * run.vulnerable()));
        return needed <= infectionsAt.length ? infectionsAt[needed - 1] / 1e9 : Double.NaN;
    }

    /**
     * Returns the infected share at an instant: I(t) / V.
     *
     * @param seconds the instant
     * @return the share
     */
    public double infectedShareAt(final double seconds) {
        final long t = Math.round(seconds * 1e9);
        int lo = 0;
        int hi = infectionsAt.length;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (infectionsAt[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return (double) lo / run.vulnerable();
    }
}
