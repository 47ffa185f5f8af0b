package io.halfopen.policy;

/**
 * An admission policy: a rule for when an outbound connect attempt may go half-open. A policy is an immutable
 * description; {@link #newGate(PolicyContext)} makes the live state for one limiter, an {@link AdmissionGate},
 * whose javadoc is the whole contract a policy must meet.
 *
 * <p>This is the seam where researchers plug in alternatives to XP's cap (a fixed-rate release, Williamson's
 * virus throttle, a token bucket, an adaptive cap). The same policy runs in production, on the system clock,
 * and in the simulator, on a virtual clock: a gate gets its time only from its {@link PolicyContext}.
 *
 * <p>Implementations must be immutable and thread-safe.
 */
public interface AdmissionPolicy {

    /**
     * Returns a short name for reports and logs, such as {@code "half-open-cap(10)"}.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the most attempts this policy lets be half-open at once, or {@link Integer#MAX_VALUE} when it
     * sets no such bound. Used in error messages and stats, and held to by the gate contract test.
     *
     * @return the concurrency bound
     */
    int maxHalfOpen();

    /**
     * Creates the live state of this policy for one limiter.
     *
     * @param context the clock and scheduler the gate must use
     * @return a new gate
     */
    AdmissionGate newGate(PolicyContext context);

    /**
     * Returns this policy in the {@link PolicyRegistry}'s syntax, every parameter named, such as
     * {@code williamson(workingSet=5, release=1s, ...)}: the text that {@code PolicyRegistry.builtIn().parse}
     * reads back into an equal policy. The default is empty: a policy of your own that is not registered (and a
     * composite around one) cannot write itself; a registered one returns its descriptor's
     * {@link PolicyDescriptor#write(Object...)}.
     *
     * @return the text, or empty
     */
    default java.util.Optional<String> spec() {
        return java.util.Optional.empty();
    }

    /**
     * Returns XP SP2's policy: at most {@code maxHalfOpen} attempts half-open, the rest wait in strict FIFO
     * order. Lock-free: admitting and exiting without waiters are one atomic operation each.
     *
     * @param maxHalfOpen the cap, at least 1 (XP: 10)
     * @return the policy
     */
    static AdmissionPolicy halfOpenCap(final int maxHalfOpen) {
        return new HalfOpenCapPolicy(maxHalfOpen);
    }

    /**
     * Returns the policy of Windows before XP SP2 and since Vista SP2: no limit; every attempt goes at once.
     *
     * @return the policy
     */
    static AdmissionPolicy unlimited() {
        return UnlimitedPolicy.INSTANCE;
    }

    /**
     * Returns XP's queue "resolved at a fixed rate" (Microsoft's words; no rate documented): within
     * {@code halfOpenCap(10)}, queued attempts leave the queue no faster than one per {@code interval}, and only
     * into a free slot; {@link FixedRatePolicy#within} names another cap. In the registry:
     * {@code fixedRate(interval=1s, within=halfOpenCap(10))}.
     *
     * @param interval the least time between two releases from the queue, positive
     * @return the policy
     * @throws PolicyParameterException naming {@code interval} if it is not positive
     */
    static FixedRatePolicy fixedRate(final java.time.Duration interval) {
        return new FixedRatePolicy(interval, halfOpenCap(HalfOpenCapPolicy.XP_MAX_HALF_OPEN));
    }

    /**
     * Returns dead-destination fast fail (beyond XP), with its defaults: after 3 half-open timeouts or ICMP
     * unreachables to one destination within 2 minutes, attempts to it fail at once for 5 minutes; the rest go
     * to XP's cap of 10. Change a parameter with the {@code with} methods, the cap with
     * {@link DeadDestinationPolicy#within}.
     *
     * @return the policy
     */
    static DeadDestinationPolicy deadDestination() {
        return DeadDestinationPolicy.defaults();
    }

    /**
     * Returns failure-rate limiting (after Chen and Tang, ICDCS 2004), with its defaults: at most one failed
     * first contact a second after a burst of 10, within XP's cap of 10.
     *
     * @return the policy
     */
    static FailureRatePolicy failureRate() {
        return FailureRatePolicy.defaults();
    }

    /**
     * Returns credit-based connection rate limiting (Schechter, Jung and Berger, RAID 2004), with the paper's
     * balance rules, within XP's cap of 10.
     *
     * @return the policy
     */
    static CreditBasedPolicy creditBased() {
        return CreditBasedPolicy.defaults();
    }

    /**
     * Returns the threshold random walk (Jung, Paxson, Berger and Balakrishnan, IEEE S&amp;P 2004) with the
     * paper's test (θ0 0.8, θ1 0.2, detection 0.99, false positives 0.01); once it says "scanner", first
     * contacts are held for 10 minutes. Within XP's cap of 10.
     *
     * @return the policy
     */
    static ThresholdRandomWalkPolicy thresholdRandomWalk() {
        return ThresholdRandomWalkPolicy.defaults();
    }
}
