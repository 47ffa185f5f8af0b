package io.halfopen.sim.population;

/**
 * The random-constant-spread model of Staniford, Paxson and Weaver ("How to 0wn the Internet in Your Spare
 * Time", USENIX Security 2002, section 3): with K the initial compromise rate (scans per second per infected
 * host times the chance that a scan hits a vulnerable host, V/Ω), the infected share a(t) follows
 * da/dt = K·a·(1 − a), so a(t) = a₀·e^{Kt} / (1 − a₀ + a₀·e^{Kt}). A uniform scanner without a throttle must follow
 * it; the simulator's validation test checks that it does.
 *
 * @param compromiseRate K, per second
 * @param initialShare   a₀, the share infected at t = 0
 */
public record RandomConstantSpread(double compromiseRate, double initialShare) {

    /**
     * Returns the model for a uniform scanner.
     *
     * @param scansPerSecond each infected host's scan rate
     * @param vulnerable     V
     * @param space          Ω
     * @param initial        hosts infected at t = 0
     * @return the model
     */
    public static RandomConstantSpread of(final double scansPerSecond, final long vulnerable, final long space,
            final long initial) {
        return new RandomConstantSpread(scansPerSecond * vulnerable / space, (double) initial / vulnerable);
    }

    /**
     * Returns the infected share at an instant.
     *
     * @param seconds t
     * @return a(t)
     */
    public double share(final double seconds) {
        final double grown = initialShare * Math.exp(compromiseRate * seconds);
        return grown / (1 - initialShare + grown);
    }

    /**
     * Returns when the infected share reaches {@code share}.
     *
     * @param share between a₀ and 1 (exclusive)
     * @return seconds
     */
    public double secondsTo(final double share) {
        return Math.log(share * (1 - initialShare) / (initialShare * (1 - share))) / compromiseRate;
    }
}
