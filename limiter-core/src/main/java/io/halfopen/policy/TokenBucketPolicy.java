package io.halfopen.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A token bucket on new attempts: the bucket holds up to {@code burst} tokens and gains {@code rate} per second;
 * each attempt takes one to go; attempts that find it empty wait, in FIFO order, for the tokens to come.
 *
 * <h2>The rule</h2>
 * Every attempt counts, whatever its destination or outcome: the bucket limits how fast attempts start, not how
 * many are half-open (that is the policy it is {@code within}, {@code unlimited} by default). It is run as the
 * equivalent virtual-scheduling form (the generic cell rate algorithm): a theoretical arrival time that each
 * attempt pushes on by {@code 1/rate}, and an attempt conforms while that time is at most
 * {@code (burst - 1) / rate} ahead of now; a full bucket lets {@code burst} go at once, then one per
 * {@code 1/rate}. Time is kept in whole nanoseconds ({@code 1/rate} rounded to the nearest).
 *
 * <h2>Where it comes from</h2>
 * The token bucket of traffic shaping (J. Turner, "New directions in communications", IEEE Communications
 * Magazine 1986; the GCRA of ITU-T I.371 and the ATM Forum). It has no documented parameters for connect
 * attempts: {@code rate=10} per second, {@code burst=10} (XP's ten at once, then ten a second) and
 * {@code within=unlimited} are our choice.
 *
 * <h2>Cost</h2>
 * One lock per attempt and per exit; O(1) under it: two longs and a FIFO linked through the waiting attempts;
 * one timer at a time (the time the oldest waiter conforms). Thread-safe.
 */
public final class TokenBucketPolicy implements AdmissionPolicy {

    /** In the registry: {@code tokenBucket(rate=10, burst=10, within=unlimited)}. */
    static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("tokenBucket")
            .summary("a token bucket on new attempts: burst at once, then rate per second; the others wait in FIFO"
                    + " order")
            .source("the token bucket of traffic shaping (Turner 1986; GCRA, ITU-T I.371)")
            .limits("new attempts per second")
            .decimal("rate", 10, PolicyParameter.Origin.OURS, "tokens (attempts) gained per second")
            .integer("burst", 10, PolicyParameter.Origin.OURS, "the bucket's size: attempts that may go at once")
            .policy("within", AdmissionPolicy.unlimited(), PolicyParameter.Origin.OURS,
                    "the policy attempts go into, such as halfOpenCap(10)")
            .build(args -> AdmissionPolicy.tokenBucket(args.decimal("rate"), args.integer("burst"))
                    .within(args.policy("within")));

    /** The fastest rate whose interval is still at least one nanosecond. */
    static final double MAX_RATE = 1e9;

    private final double rate;
    private final int burst;
    private final AdmissionPolicy within;

    TokenBucketPolicy(final double rate, final int burst, final AdmissionPolicy within) {
        if (!(rate > 0 && rate <= MAX_RATE)) {
            throw new PolicyParameterException("rate", "rate must be above 0 and at most " + (long) MAX_RATE
                    + " per second, was " + rate);
        }
        this.rate = rate;
        this.burst = PolicyParameterException.atLeast("burst", burst, 1);
        this.within = PolicyParameterException.notNull("within", within);
    }

    /**
     * Returns the same bucket within another policy, such as {@code halfOpenCap(10)}.
     *
     * @param cap the policy attempts go into; it should not refuse attempts
     * @return a new policy
     */
    public TokenBucketPolicy within(final AdmissionPolicy cap) {
        return new TokenBucketPolicy(rate, burst, cap);
    }

    @Override
    public String name() {
        return spec().orElse("tokenBucket(rate=" + ValueSyntax.writeDecimal(rate) + ", burst=" + burst + ", within="
                + within.name() + ")");
    }

    @Override
    public int maxHalfOpen() {
        return within.maxHalfOpen();
    }

    @Override
    public AdmissionGate newGate(final PolicyContext context) {
        return new Gate(context, this);
    }

    @Override
    public Optional<String> spec() {
        return DESCRIPTOR.write(rate, burst, within);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof TokenBucketPolicy p && Double.compare(p.rate, rate) == 0 && p.burst == burst
                && p.within.equals(within);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rate, burst, within);
    }

    @Override
    public String toString() {
        return name();
    }

    /** The theoretical arrival time and the FIFO of waiters; see {@link HoldingGate} for the protocol. */
    private static final class Gate extends HoldingGate {
        private final long intervalNanos;
        private final long toleranceNanos;
        private final HeldQueue queue = new HeldQueue(false); // guarded by lock
        private long theoreticalArrival = Long.MIN_VALUE;     // guarded by lock

        Gate(final PolicyContext context, final TokenBucketPolicy policy) {
            super(context, policy.within, policy.name());
            this.intervalNanos = Math.max(1L, Math.round(1e9 / policy.rate));
            this.toleranceNanos = saturatedMultiply(intervalNanos, policy.burst - 1L);
        }

        /** The earliest time the next attempt conforms; only asked while one does not conform now. */
        private long conformsAt() {
            return theoreticalArrival - toleranceNanos;
        }

        private boolean take(final long now) {
            if (theoreticalArrival != Long.MIN_VALUE && theoreticalArrival - now > toleranceNanos) {
                return false;
            }
            theoreticalArrival = FixedRatePolicy.saturatedAdd(Math.max(theoreticalArrival, now), intervalNanos);
            return true;
        }

        @Override
        boolean mayPass(final AdmissionTicket ticket, final long now) {
            return queue.isEmpty() && take(now);
        }

        @Override
        void hold(final Held held, final long now) {
            queue.add(held);
        }

        @Override
        void unhold(final Held held, final long now) {
            queue.remove(held);
        }

        @Override
        void collect(final long now, final List<Held> out) {
            while (!queue.isEmpty() && take(now)) {
                out.add(queue.poll());
            }
        }

        @Override
        void left(final AdmissionTicket ticket, final Outcome outcome, final long now) {
        }

        @Override
        long nextWake(final long now) {
            return queue.isEmpty() ? Long.MAX_VALUE : Math.max(now, conformsAt());
        }

        @Override
        void forEachHeld(final Consumer<Held> action) {
            queue.forEach(action);
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    static long saturatedMultiply(final long a, final long b) {
        final long high = Math.multiplyHigh(a, b);
        final long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }
}
