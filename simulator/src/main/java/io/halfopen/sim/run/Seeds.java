package io.halfopen.sim.run;

import java.util.SplittableRandom;

/** Random sources derived from a run's seed, one per purpose, so that adding one never shifts another. */
public final class Seeds {

    private Seeds() {
    }

    /**
     * Returns the random source for one purpose of a run.
     *
     * @param seed    the run's seed
     * @param purpose a small number naming the purpose (a workload's position, say)
     * @return a fresh random source, the same for the same arguments
     */
    public static SplittableRandom random(final long seed, final long purpose) {
        return new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + purpose));
    }

    /**
     * SplitMix64's finalizer: spreads nearby seeds far apart.
     *
     * @param z the value
     * @return its mix
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
