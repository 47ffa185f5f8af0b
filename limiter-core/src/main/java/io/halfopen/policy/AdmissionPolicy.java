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
 * <p>Where a gate could go wrong in a way that the limiter can absorb, the limiter absorbs it; where it cannot,
 * the gate contract test (in this project's test sources, one abstract test every gate's test extends) catches
 * it. The limiter collects the waiting tickets before it fails them on close, so a gate may call
 * {@code forEachQueued}'s action under its own lock. It cannot protect a gate that calls
 * {@link AdmissionTicket#tryAdmit()} under a lock (a gate's timer offers outside any call of the limiter, and
 * the owner's code may re-enter the gate from inside that call), nor one that lets a newcomer barge past its
 * waiters while it claims FIFO: the contract checks both. {@code enter} may follow the gate's {@code close()},
 * for an attempt that raced with it. {@link AdmissionGate} states each rule.
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

    /**
     * Returns Williamson's virus throttle with the papers' and HP's defaults: a working set of the 5 most recent
     * destinations, which go at once; every other attempt waits in a delay queue that lets one new destination
     * out per second (with every other waiting attempt to it); the queue of 200 raises an event at its high
     * watermark of 160 and another at its low watermark of 100. Its {@code with} methods change each parameter;
     * see {@link WilliamsonPolicy}. In the registry:
     * {@code williamson(workingSet=5, release=1s, queueSize=200, highWatermark=160, lowWatermark=100,
     * refuseWhenFull=false, within=unlimited)}.
     *
     * @return the policy
     */
    static WilliamsonPolicy williamson() {
        return WilliamsonPolicy.DEFAULTS;
    }

    /**
     * Returns a per-destination cap within XP's {@code halfOpenCap(10)} (beyond XP): no destination address holds
     * more than {@code k} of the slots; waiters for a capped destination never hold back others (FIFO within a
     * destination, in order of arrival across them). {@link PerDestinationPolicy#within} names another cap,
     * {@link PerDestinationPolicy#prefixes} keys by /24 and /64 networks. In the registry:
     * {@code perDestination(k=2, within=halfOpenCap(10))}.
     *
     * @param k the most slots one destination may hold, at least 1
     * @return the policy
     * @throws PolicyParameterException naming {@code k} if it is smaller
     */
    static PerDestinationPolicy perDestination(final int k) {
        return new PerDestinationPolicy(k, 32, 128, halfOpenCap(HalfOpenCapPolicy.XP_MAX_HALF_OPEN));
    }

    /**
     * Returns a token bucket on new attempts: {@code burst} may go at once, then {@code rate} per second; the
     * others wait in FIFO order. Within {@code unlimited}; {@link TokenBucketPolicy#within} puts a cap under it.
     * In the registry: {@code tokenBucket(rate=10, burst=10)}.
     *
     * @param rate  attempts per second, above 0 (decimals allowed: 0.5 is one every two seconds)
     * @param burst the bucket's size, at least 1
     * @return the policy
     * @throws PolicyParameterException naming {@code rate} or {@code burst} if out of range
     */
    static TokenBucketPolicy tokenBucket(final double rate, final int burst) {
        return new TokenBucketPolicy(rate, burst, unlimited());
    }

    /**
     * Returns a sliding-window rate per destination address: at most {@code attempts} attempts to one destination
     * in any {@code window}; the others wait, FIFO per destination, and never hold back other destinations.
     * Within {@code unlimited}; see {@link SlidingWindowPolicy} for networks and a cap. In the registry:
     * {@code slidingWindow(attempts=10, window=1s)}.
     *
     * @param attempts how many attempts one destination may get per window, at least 1
     * @param window   the window, positive
     * @return the policy
     * @throws PolicyParameterException naming {@code attempts} or {@code window} if out of range
     */
    static SlidingWindowPolicy slidingWindow(final int attempts, final java.time.Duration window) {
        return new SlidingWindowPolicy(attempts, window, 32, 128, unlimited());
    }

    /**
     * Returns an adaptive half-open cap, as Netflix's concurrency-limits {@code AIMDLimit} adapts a request
     * limit: it starts at {@code initial}, is cut by 0.9 (at least by one) when an attempt times out half-open and
     * grows by one when an attempt is established while the cap is at least half used, always within
     * {@code [min, max]}; attempts past it wait in FIFO order. {@link AimdPolicy#backoff} sets the factor. In the
     * registry: {@code aimd(initial=10, min=1, max=100, backoff=0.9)}.
     *
     * @param initial the cap to start with, within {@code [min, max]}
     * @param min     the least cap, at least 1
     * @param max     the greatest cap, at least {@code min}
     * @return the policy
     * @throws PolicyParameterException naming the parameter out of range
     */
    static AimdPolicy aimd(final int initial, final int min, final int max) {
        return new AimdPolicy(initial, min, max, 0.9);
    }
}
