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
}
