package io.halfopen.sim.workload;

import java.util.SplittableRandom;

/** How an open-loop workload spaces its attempts: evenly or as a Poisson process. */
enum Arrivals {
    /** Evenly, 1/rate apart, the first at 0: a scanner's steady pace. */
    FIXED,
    /** Exponential gaps with mean 1/rate: independent users. */
    POISSON;

    static Arrivals of(final String word) {
        return switch (word) {
            case "fixed" -> FIXED;
            case "poisson" -> POISSON;
            default -> throw new IllegalArgumentException("arrivals must be fixed or poisson, was '" + word + "'");
        };
    }

    long firstNanos(final double rate, final SplittableRandom random) {
        return this == FIXED ? 0 : gap(rate, random);
    }

    /** The gap to the next arrival; for FIXED, the n-th arrival's instant is computed by the caller. */
    long gap(final double rate, final SplittableRandom random) {
        return Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) / rate * 1e9));
    }

    String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
