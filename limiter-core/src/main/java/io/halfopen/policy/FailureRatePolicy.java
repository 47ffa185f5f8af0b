package io.halfopen.policy;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Failure-rate limiting (after Chen and Tang, "Slowing Down Internet Worms", ICDCS 2004): limits the rate of
 * <em>failed first contacts</em>, not of all attempts, so that a scanner, whose first contacts mostly fail, is
 * slowed to about {@code rate} new destinations a second, and a host whose first contacts mostly succeed barely
 * notices. Attempts to destinations this host has reached before ({@link FirstContacts}) are never held.
 *
 * <pre>{@code
 * AdmissionPolicy policy = AdmissionPolicy.failureRate()     // 1 failed first contact a second, burst 10
 *         .withRate(1.0).withBurst(10)
 *         .within(AdmissionPolicy.halfOpenCap(10));
 * }</pre>
 *
 * <h2>Where it comes from, and what is ours</h2>
 * The source's idea: a host that scans random addresses sees a far higher rate of failed connections (no
 * answer, a reset, an ICMP unreachable) than a normal host, so limiting that failure rate separates the two,
 * and makes a worm's speed a parameter of the defence. Chen and Tang apply it at the edge of an ISP's network,
 * per host, together with a long-term ("temporal") limit and a network-wide ("spatial") one; the stored copy of
 * the paper holds only its abstract, so the precise rule below, and every default, is this project's:
 * <ul>
 *   <li>A bucket of failures, at most {@code burst} deep, drained at {@code rate} failures a second (a leaky
 *       bucket, computed exactly on the ticker in integer nanoseconds).</li>
 *   <li>A first contact in flight reserves a place in the bucket (its outcome is not known for up to a half-open
 *       timeout), and one goes only when the bucket and the reservations leave room: {@code level + in flight + 1
 *       <= burst}. When it ends, its reservation is given back, and a failure ({@link Outcome#TIMED_OUT},
 *       {@link Outcome#REFUSED} or {@link Outcome#UNREACHABLE}) stays in the bucket. So in any interval of
 *       length {@code T} at most {@code burst + rate × T} first contacts fail, however late their outcomes
 *       arrive: the bound the source asks for, kept exactly rather than after the fact.</li>
 *   <li>A local failure ({@link Outcome#FAILED}) and a cancellation are not failures of the destination; an
 *       attempt that leaves without going is refunded.</li>
 *   <li>Defaults: {@code rate} 1 a second, Williamson's rate for new destinations, so the two compare directly;
 *       {@code burst} 10, XP's cap, so a host whose first contacts succeed is never held by this rule while
 *       XP's cap has room. The reservation makes {@code burst} also a cap on first contacts in flight.</li>
 * </ul>
 * For the source's long-term limit, compose two: {@code failureRate().withRate(1).within(
 * failureRate().withRate(0.01).withBurst(300).within(halfOpenCap(10)))}.
 *
 * <h2>Cost, threads, composition</h2>
 * O(1) per attempt: a lookup in the host's {@link FirstContacts}; for a first contact, under the gate's one lock,
 * a few integer operations and an entry in an identity map of the first contacts in flight; per exit, the
 * memory's update and the bucket's. No inner-gate call, attempt callback or listener runs under the lock. One
 * timer, armed only while first contacts wait for the bucket to drain. First
 * contacts wait in this gate in arrival order and go only into a free slot of the inner policy
 * ({@code within}, XP's cap by default), so it never lets more be half-open than the inner policy does; the
 * inner policy must not refuse attempts (put {@code deadDestination} outside). Immutable and thread-safe; its
 * gates are thread-safe and never block.
 */
public final class FailureRatePolicy implements AdmissionPolicy {

    static final double DEFAULT_RATE = 1.0;
    static final int DEFAULT_BURST = 10;
    static final int MAX_BURST = 1_000_000;

    /** In the registry: {@code failureRate(rate=1, burst=10, within=halfOpenCap(10))}. */
    static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("failureRate")
            .summary("at most `rate` failed first contacts a second after `burst` (a leaky bucket of failures that"
                    + " reserves room for the first contacts in flight); other attempts are not held")
            .source("Chen and Tang, Slowing Down Internet Worms, ICDCS 2004: limit the rate of failed connections,"
                    + " not of all; the precise rule and the defaults are ours")
            .limits("failed first contacts per second")
            .decimal("rate", DEFAULT_RATE, PolicyParameter.Origin.OURS, "failed first contacts a second in the long run")
            .integer("burst", DEFAULT_BURST, PolicyParameter.Origin.OURS,
                    "failed (or in-flight) first contacts before the rate applies")
            .policy("within", AdmissionPolicy.halfOpenCap(10), PolicyParameter.Origin.OURS,
                    "the policy the attempts it lets go enter")
            .build(args -> of(args.decimal("rate"), args.integer("burst"), args.policy("within")));

    private final double rate;
    private final int burst;
    private final AdmissionPolicy inner;

    private FailureRatePolicy(final double rate, final int burst, final AdmissionPolicy inner) {
        this.rate = Checks.strictlyBetween("rate", rate, 0, 1e9);
        this.burst = Checks.between("burst", burst, 1, MAX_BURST);
        this.inner = PolicyParameterException.notNull("within", inner);
        if ((double) unitNanos(rate) * burst > Long.MAX_VALUE / 4.0) {
            throw new PolicyParameterException("rate", "rate " + rate + " is too low for burst " + burst + ": the bucket"
                    + " would hold more than 73 years of failures");
        }
    }

    /**
     * Returns the policy with its defaults: at most one failed first contact a second after a burst of 10,
     * within XP's cap of 10.
     *
     * @return the policy
     */
    static FailureRatePolicy defaults() {
        return of(DEFAULT_RATE, DEFAULT_BURST, AdmissionPolicy.halfOpenCap(10));
    }

    /** Every parameter at once, for the registry: each checked, the first bad one named. */
    static FailureRatePolicy of(final double rate, final int burst, final AdmissionPolicy inner) {
        return new FailureRatePolicy(rate, burst, inner);
    }

    private static long unitNanos(final double rate) {
        return Math.max(1L, Math.round(1e9 / rate));
    }

    /**
     * Returns a copy that drains {@code rate} failures a second.
     *
     * @param rate failed first contacts a second in the long run, greater than 0 and less than 10⁹
     * @return the copy
     * @throws PolicyParameterException naming {@code rate} if it is out of range
     */
    public FailureRatePolicy withRate(final double rate) {
        return new FailureRatePolicy(rate, burst, inner);
    }

    /**
     * Returns a copy whose bucket holds {@code burst} failures.
     *
     * @param burst how many first contacts may fail (or be in flight) before the rate applies, 1 to 10⁶
     * @return the copy
     * @throws PolicyParameterException naming {@code burst} if it is out of range
     */
    public FailureRatePolicy withBurst(final int burst) {
        return new FailureRatePolicy(rate, burst, inner);
    }

    /**
     * Returns a copy that sends the attempts it lets go into {@code inner}.
     *
     * @param inner the policy underneath, such as {@code halfOpenCap(10)}; must not refuse attempts
     * @return the copy
     * @throws PolicyParameterException naming {@code within} if it is null
     */
    public FailureRatePolicy within(final AdmissionPolicy inner) {
        return new FailureRatePolicy(rate, burst, inner);
    }

    /**
     * Returns the long-run rate of failed first contacts.
     *
     * @return failures a second
     */
    public double rate() {
        return rate;
    }

    /**
     * Returns the depth of the bucket.
     *
     * @return the burst
     */
    public int burst() {
        return burst;
    }

    /**
     * Returns the policy underneath.
     *
     * @return the inner policy
     */
    public AdmissionPolicy inner() {
        return inner;
    }

    @Override
    public String name() {
        return spec().orElse("failureRate(rate=" + ValueSyntax.writeDecimal(rate) + ", burst=" + burst + ", within="
                + inner.name() + ")");
    }

    @Override
    public int maxHalfOpen() {
        return inner.maxHalfOpen();
    }

    @Override
    public java.util.Optional<String> spec() {
        return DESCRIPTOR.write(rate, burst, inner);
    }

    @Override
    public AdmissionGate newGate(final PolicyContext context) {
        return new Gate(this, context);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof FailureRatePolicy other && Double.compare(other.rate, rate) == 0 && other.burst == burst
                && other.inner.equals(inner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rate, burst, inner);
    }

    @Override
    public String toString() {
        return name();
    }

    static boolean isFailure(final Outcome outcome) {
        return outcome == Outcome.TIMED_OUT || outcome == Outcome.REFUSED || outcome == Outcome.UNREACHABLE;
    }

    /** The leaky bucket of failures, in integer nanoseconds: one failure is {@code unit} nanoseconds of level. */
    private static final class Gate extends FirstContactGate {
        private static final Object RESERVED = "reserved";

        private final long unit;
        private final int burst;
        private long level;    // nanoseconds of drain left, guarded by the lock
        private long drainedAt;
        private int reserved;  // first contacts in flight

        Gate(final FailureRatePolicy policy, final PolicyContext context) {
            super(context, policy.inner, policy.name());
            this.unit = unitNanos(policy.rate);
            this.burst = policy.burst;
            this.drainedAt = context.ticker().nanoTime();
        }

        private void drain(final long now) {
            if (now > drainedAt) {
                level = Math.max(0L, level - (now - drainedAt));
                drainedAt = now;
            }
        }

        /** The level at or below which one more first contact fits, or -1 if the reservations fill the bucket. */
        private long room() {
            return reserved >= burst ? -1L : (burst - reserved - 1L) * unit;
        }

        @Override
        boolean mayGo(final long now) {
            drain(now);
            return level <= room();
        }

        @Override
        Object went(final AdmissionTicket ticket, final InetAddress destination, final long now) {
            reserved++;
            return RESERVED;
        }

        @Override
        void ended(final Object charge, final AdmissionTicket ticket, final Outcome outcome, final long now) {
            reserved--;
            if (isFailure(outcome)) {
                drain(now);
                level += unit;
            }
        }

        @Override
        void refunded(final Object charge, final long now) {
            reserved--;
        }

        @Override
        long nextChance(final long now) {
            drain(now);
            final long room = room();
            return room < 0 ? NEVER : now + Math.max(0L, level - room);
        }

        @Override
        String describeRule() {
            return String.format(java.util.Locale.ROOT, "%.2f failures in the bucket, %d first contacts in flight",
                    (double) level / unit, reserved);
        }
    }
}
