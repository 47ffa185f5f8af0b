package io.halfopen.sim.population;

import io.halfopen.sim.host.HostOptions;
import io.halfopen.sim.net.RttDistribution;
import io.halfopen.sim.spec.Spec;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One worm epidemic to simulate.
 *
 * @param spaceBits         the address space is 2^spaceBits addresses (1 to 32)
 * @param vulnerable        how many hosts the worm can infect, placed at random distinct addresses
 * @param liveShare         the share of the other addresses that answer (with a reset after an RTT); the rest drop
 * @param initiallyInfected how many vulnerable hosts are infected at t = 0
 * @param strategy          how infected hosts pick addresses
 * @param threads           each infected host's scanning threads: connects it keeps outstanding (Sasser: 128)
 * @param rate              each infected host's scans per second at most, 0 for no bound (then only the threads
 *                          bound it)
 * @param policy            the policy under test, run by the protected hosts
 * @param coverage          the share of vulnerable hosts that run the policy; the rest run none ({@code unlimited})
 * @param until             the infected share at which the run stops (0 to 1]
 * @param maxDuration       the longest simulated time
 * @param seed              the seed
 * @param options           every host's limiter options and stack
 * @param rtt               the RTT of every answer
 * @param sweep             the swept parameters' values in this run, for reports
 */
public record EpidemicRun(int spaceBits, int vulnerable, double liveShare, int initiallyInfected,
        ScanStrategy strategy, int threads, double rate, Spec policy, double coverage, double until,
        Duration maxDuration, long seed, HostOptions options, RttDistribution rtt, Map<String, String> sweep) {

    /**
     * Validates, naming the bad value.
     *
     * @param spaceBits see the record's description
     * @param vulnerable see the record's description
     * @param liveShare see the record's description
     * @param initiallyInfected see the record's description
     * @param strategy see the record's description
     * @param threads see the record's description
     * @param rate see the record's description
     * @param policy see the record's description
     * @param coverage see the record's description
     * @param until see the record's description
     * @param maxDuration see the record's description
     * @param seed see the record's description
     * @param options see the record's description
     * @param rtt see the record's description
     * @param sweep see the record's description
     */
    public EpidemicRun {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(rtt, "rtt");
        Objects.requireNonNull(maxDuration, "maxDuration");
        sweep = Map.copyOf(sweep);
        if (spaceBits < 1 || spaceBits > 32) {
            throw new IllegalArgumentException("the address space must be 2^1 to 2^32 addresses, was 2^" + spaceBits);
        }
        if (vulnerable < 1 || vulnerable > (1L << spaceBits) / 2 || vulnerable > 50_000_000) {
            throw new IllegalArgumentException("vulnerable hosts must be between 1 and half the space (and 5e7), was "
                    + vulnerable);
        }
        if (!(liveShare >= 0 && liveShare <= 1)) {
            throw new IllegalArgumentException("liveShare must be between 0 and 1, was " + liveShare);
        }
        if (initiallyInfected < 1 || initiallyInfected > vulnerable) {
            throw new IllegalArgumentException("initially infected hosts must be between 1 and the vulnerable ones ("
                    + vulnerable + "), was " + initiallyInfected);
        }
        if (threads < 1 || threads > 100_000) {
            throw new IllegalArgumentException("threads must be between 1 and 100000, was " + threads);
        }
        if (!(rate >= 0 && rate <= 1e9)) {
            throw new IllegalArgumentException("rate must be between 0 and 1e9 per second, was " + rate);
        }
        if (!(coverage >= 0 && coverage <= 1)) {
            throw new IllegalArgumentException("coverage must be between 0 and 1, was " + coverage);
        }
        if (!(until > 0 && until <= 1)) {
            throw new IllegalArgumentException("until must be above 0 and at most 1, was " + until);
        }
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("maxDuration must be positive, was " + maxDuration);
        }
    }

    /**
     * Returns the number of addresses.
     *
     * @return Ω
     */
    public long space() {
        return 1L << spaceBits;
    }
}
