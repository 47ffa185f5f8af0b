package io.halfopen.policy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Credit-based connection rate limiting (Schechter, Jung and Berger, "Fast Detection of Scanning Worm
 * Infections", RAID 2004): first contacts spend credit, successful first contacts earn it back with interest,
 * and a host out of credit waits. A host more than half of whose first contacts succeed never runs out; a
 * scanner, whose first contacts nearly all fail, is left with the allowance of one first contact every few
 * seconds. Attempts to destinations this host has reached before ({@link FirstContacts}) never spend credit and
 * are never held.
 *
 * <pre>{@code
 * AdmissionPolicy policy = AdmissionPolicy.creditBased()     // the paper's balance rules
 *         .within(AdmissionPolicy.halfOpenCap(10));
 * }</pre>
 *
 * <h2>The rule, and where each number comes from</h2>
 * The balance {@code C} changes as the paper's section on credit-based connection rate limiting tabulates
 * (each a parameter here, with the paper's value as its default):
 * <table>
 *   <caption>Changes to the balance</caption>
 *   <tr><th>event</th><th>change</th><th>parameter, default</th></tr>
 *   <tr><td>start</td><td>{@code C = credits}</td><td>{@code credits}, 10</td></tr>
 *   <tr><td>a first contact goes</td><td>{@code C = C - 1}</td><td>(the cost, 1)</td></tr>
 *   <tr><td>a first contact is established</td><td>{@code C = C + reward}</td><td>{@code reward}, 2</td></tr>
 *   <tr><td>every {@code decayInterval}, if {@code C > decayAbove}</td>
 *       <td>{@code C = max(decayAbove, floor(decay × C))}</td>
 *       <td>{@code decayInterval} 1 s, {@code decayAbove} 10, {@code decay} 2/3</td></tr>
 *   <tr><td>{@code C} has been 0 for {@code allowanceAfter}</td><td>{@code C = 1}</td>
 *       <td>{@code allowanceAfter}, 4 s</td></tr>
 * </table>
 * A first contact goes only with {@code C >= 1}; otherwise it waits here until a success in flight or the
 * allowance brings credit. The cost and reward make the balance grow, in the long run, iff more than half of
 * the first contacts succeed ({@code reward × p > 1}); the decay keeps a host from hoarding credit before it is
 * infected; the allowance keeps a host without credit from being cut off entirely.
 *
 * <p>Ours, where the paper (whose stored copy here holds only its abstract) does not say: what "first contact"
 * means is the shared {@link FirstContacts} (a destination not connected to successfully before; every attempt
 * to a destination that failed before spends again); a credit is spent when the attempt goes half-open, not
 * when it is queued, and given back if the attempt leaves without going; an outcome other than
 * {@link Outcome#ESTABLISHED} earns nothing; the decay ticks every {@code decayInterval} from the gate's
 * creation, applied lazily (the effect of every tick that passed, in order, before anything else at the same
 * instant). The paper pairs this limiter with a detector (reverse sequential hypothesis testing), which is not
 * part of this policy; the {@link ThresholdRandomWalkPolicy} composes with it.
 *
 * <h2>Cost, threads, composition</h2>
 * O(1) per attempt, amortized: a lookup in the host's {@link FirstContacts}; for a first contact, under the gate's
 * one lock, the balance's update (a decay catches up at most a logarithmic number of ticks, since each cuts the
 * balance by at least a fixed share) and an entry in an identity map of the first contacts in flight. No
 * inner-gate call, attempt callback or listener runs under the lock. One timer, for the allowance, armed only
 * while first contacts wait without credit. First contacts wait in this gate in arrival order and go only into
 * a free slot of the inner policy ({@code within}, XP's cap by default), so it never lets more be half-open than
 * the inner policy does; the inner policy must not refuse attempts. Immutable and thread-safe; its gates are
 * thread-safe and never block.
 */
public final class CreditBasedPolicy implements AdmissionPolicy {

    static final int DEFAULT_CREDITS = 10;
    static final int DEFAULT_REWARD = 2;
    static final int DEFAULT_DECAY_ABOVE = 10;
    static final double DEFAULT_DECAY = 2.0 / 3.0;
    static final Duration DEFAULT_DECAY_INTERVAL = Duration.ofSeconds(1);
    static final Duration DEFAULT_ALLOWANCE_AFTER = Duration.ofSeconds(4);
    static final int MAX_CREDITS = 1_000_000;
    static final double MAX_DECAY_BELOW_ONE = 0.99;

    /**
     * In the registry: {@code creditBased(credits=10, reward=2, decayAbove=10, decay=0.666..., decayInterval=1s,
     * allowanceAfter=4s, within=halfOpenCap(10))}.
     */
    static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("creditBased")
            .summary("a first contact spends a credit, an established one earns `reward`; without credit first"
                    + " contacts wait; balances above `decayAbove` decay, an empty one gets one credit after"
                    + " `allowanceAfter`")
            .source("Schechter, Jung and Berger, Fast Detection of Scanning Worm Infections, RAID 2004:"
                    + " credit-based connection rate limiting")
            .limits("first contacts, by the credit their successes earn")
            .integer("credits", DEFAULT_CREDITS, PolicyParameter.Origin.SOURCE, "the starting balance")
            .integer("reward", DEFAULT_REWARD, PolicyParameter.Origin.SOURCE,
                    "credits an established first contact earns (each first contact costs 1)")
            .integer("decayAbove", DEFAULT_DECAY_ABOVE, PolicyParameter.Origin.SOURCE,
                    "the balance above which credit decays")
            .decimal("decay", DEFAULT_DECAY, PolicyParameter.Origin.SOURCE,
                    "what a balance above decayAbove is multiplied by each decayInterval (1: none)")
            .duration("decayInterval", DEFAULT_DECAY_INTERVAL, PolicyParameter.Origin.SOURCE, "how often it decays")
            .duration("allowanceAfter", DEFAULT_ALLOWANCE_AFTER, PolicyParameter.Origin.SOURCE,
                    "how long a balance stays at zero before it gets one credit")
            .policy("within", AdmissionPolicy.halfOpenCap(10), PolicyParameter.Origin.OURS,
                    "the policy the attempts it lets go enter")
            .build(args -> of(args.integer("credits"), args.integer("reward"), args.integer("decayAbove"),
                    args.decimal("decay"), args.duration("decayInterval"), args.duration("allowanceAfter"),
                    args.policy("within")));

    private final int credits;
    private final int reward;
    private final int decayAbove;
    private final double decay;
    private final Duration decayInterval;
    private final Duration allowanceAfter;
    private final AdmissionPolicy inner;

    private CreditBasedPolicy(final int credits, final int reward, final int decayAbove, final double decay,
            final Duration decayInterval, final Duration allowanceAfter, final AdmissionPolicy inner) {
        this.credits = Checks.between("credits", credits, 0, MAX_CREDITS);
        this.reward = Checks.between("reward", reward, 0, MAX_CREDITS);
        this.decayAbove = Checks.between("decayAbove", decayAbove, 0, MAX_CREDITS);
        if (!(decay > 0 && (decay <= MAX_DECAY_BELOW_ONE || decay == 1.0))) {
            throw new PolicyParameterException("decay", "decay must be greater than 0 and at most " + MAX_DECAY_BELOW_ONE
                    + ", or 1 for no decay, was " + decay);
        }
        this.decay = decay;
        this.decayInterval = Checks.positive("decayInterval", decayInterval);
        this.allowanceAfter = Checks.positive("allowanceAfter", allowanceAfter);
        this.inner = PolicyParameterException.notNull("within", inner);
    }

    /**
     * Returns the policy with the paper's values (10 credits to start, 1 per first contact, 2 back per
     * successful one, balances above 10 cut to two thirds every second, one credit after 4 s at zero), within
     * XP's cap of 10.
     *
     * @return the policy
     */
    static CreditBasedPolicy defaults() {
        return of(DEFAULT_CREDITS, DEFAULT_REWARD, DEFAULT_DECAY_ABOVE, DEFAULT_DECAY, DEFAULT_DECAY_INTERVAL,
                DEFAULT_ALLOWANCE_AFTER, AdmissionPolicy.halfOpenCap(10));
    }

    /** Every parameter at once, for the registry: each checked, the first bad one named. */
    static CreditBasedPolicy of(final int credits, final int reward, final int decayAbove, final double decay,
            final Duration decayInterval, final Duration allowanceAfter, final AdmissionPolicy inner) {
        return new CreditBasedPolicy(credits, reward, decayAbove, decay, decayInterval, allowanceAfter, inner);
    }

    /**
     * Returns a copy that starts with {@code credits}.
     *
     * @param credits the starting balance, 0 to 10⁶
     * @return the copy
     * @throws PolicyParameterException naming {@code credits} if it is out of range
     */
    public CreditBasedPolicy withCredits(final int credits) {
        return new CreditBasedPolicy(credits, reward, decayAbove, decay, decayInterval, allowanceAfter, inner);
    }

    /**
     * Returns a copy in which a successful first contact earns {@code reward}.
     *
     * @param reward credits earned per established first contact, 0 to 10⁶
     * @return the copy
     * @throws PolicyParameterException naming {@code reward} if it is out of range
     */
    public CreditBasedPolicy withReward(final int reward) {
        return new CreditBasedPolicy(credits, reward, decayAbove, decay, decayInterval, allowanceAfter, inner);
    }

    /**
     * Returns a copy in which only balances above {@code decayAbove} decay.
     *
     * @param decayAbove the balance that never decays, 0 to 10⁶
     * @return the copy
     * @throws PolicyParameterException naming {@code decayAbove} if it is out of range
     */
    public CreditBasedPolicy withDecayAbove(final int decayAbove) {
        return new CreditBasedPolicy(credits, reward, decayAbove, decay, decayInterval, allowanceAfter, inner);
    }

    /**
     * Returns a copy whose balances above {@code decayAbove} are multiplied by {@code decay} every interval.
     *
     * @param decay the factor, greater than 0 and at most 0.99, or 1 for no decay
     * @return the copy
     * @throws PolicyParameterException naming {@code decay} if it is out of range
     */
    public CreditBasedPolicy withDecay(final double decay) {
        return new CreditBasedPolicy(credits, reward, decayAbove, decay, decayInterval, allowanceAfter, inner);
    }

    /**
     * Returns a copy whose decay ticks every {@code decayInterval}.
     *
     * @param decayInterval the interval, positive
     * @return the copy
     * @throws PolicyParameterException naming {@code decayInterval} if it is not positive
     */
    public CreditBasedPolicy withDecayInterval(final Duration decayInterval) {
        return new CreditBasedPolicy(credits, reward, decayAbove, decay, decayInterval, allowanceAfter, inner);
    }

    /**
     * Returns a copy that grants one credit to a balance that has been zero for {@code allowanceAfter}.
     *
     * @param allowanceAfter how long at zero, positive
     * @return the copy
     * @throws PolicyParameterException naming {@code allowanceAfter} if it is not positive
     */
    public CreditBasedPolicy withAllowanceAfter(final Duration allowanceAfter) {
        return new CreditBasedPolicy(credits, reward, decayAbove, decay, decayInterval, allowanceAfter, inner);
    }

    /**
     * Returns a copy that sends the attempts it lets go into {@code inner}.
     *
     * @param inner the policy underneath, such as {@code halfOpenCap(10)}; must not refuse attempts
     * @return the copy
     * @throws PolicyParameterException naming {@code within} if it is null
     */
    public CreditBasedPolicy within(final AdmissionPolicy inner) {
        return new CreditBasedPolicy(credits, reward, decayAbove, decay, decayInterval, allowanceAfter, inner);
    }

    /**
     * Returns the starting balance.
     *
     * @return the credits
     */
    public int credits() {
        return credits;
    }

    /**
     * Returns what an established first contact earns.
     *
     * @return the reward
     */
    public int reward() {
        return reward;
    }

    /**
     * Returns the balance above which credit decays.
     *
     * @return the threshold
     */
    public int decayAbove() {
        return decayAbove;
    }

    /**
     * Returns the decay factor.
     *
     * @return the factor, 1 for none
     */
    public double decay() {
        return decay;
    }

    /**
     * Returns the decay's interval.
     *
     * @return the interval
     */
    public Duration decayInterval() {
        return decayInterval;
    }

    /**
     * Returns how long a balance stays at zero before its allowance.
     *
     * @return the time
     */
    public Duration allowanceAfter() {
        return allowanceAfter;
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
        return spec().orElse("creditBased(credits=" + credits + ", reward=" + reward + ", decayAbove=" + decayAbove
                + ", decay=" + ValueSyntax.writeDecimal(decay) + ", decayInterval="
                + ValueSyntax.writeDuration(decayInterval) + ", allowanceAfter="
                + ValueSyntax.writeDuration(allowanceAfter) + ", within=" + inner.name() + ")");
    }

    @Override
    public int maxHalfOpen() {
        return inner.maxHalfOpen();
    }

    @Override
    public java.util.Optional<String> spec() {
        return DESCRIPTOR.write(credits, reward, decayAbove, decay, decayInterval, allowanceAfter, inner);
    }

    @Override
    public AdmissionGate newGate(final PolicyContext context) {
        return new Gate(this, context);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof CreditBasedPolicy other && other.credits == credits && other.reward == reward
                && other.decayAbove == decayAbove && Double.compare(other.decay, decay) == 0
                && other.decayInterval.equals(decayInterval) && other.allowanceAfter.equals(allowanceAfter)
                && other.inner.equals(inner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(credits, reward, decayAbove, decay, decayInterval, allowanceAfter, inner);
    }

    @Override
    public String toString() {
        return name();
    }

    /** The balance. All fields guarded by the gate's lock. */
    private static final class Gate extends FirstContactGate {
        private static final Object SPENT = "spent";
        private static final long NOT_AT_ZERO = Long.MIN_VALUE;

        private final CreditBasedPolicy policy;
        private final long createdAt;
        private final long tickNanos;
        private final long allowanceNanos;
        private long balance;
        private long ticksApplied;
        private long zeroSince;

        Gate(final CreditBasedPolicy policy, final PolicyContext context) {
            super(context, policy.inner, policy.name());
            this.policy = policy;
            this.createdAt = context.ticker().nanoTime();
            this.tickNanos = policy.decayInterval.toNanos();
            this.allowanceNanos = policy.allowanceAfter.toNanos();
            this.balance = policy.credits;
            this.zeroSince = balance == 0 ? createdAt : NOT_AT_ZERO;
        }

        /** Applies every decay tick up to {@code now}, then the allowance if it is due. */
        private void settle(final long now) {
            final long ticks = (now - createdAt) / tickNanos;
            if (policy.decay < 1.0) {
                for (long tick = ticksApplied + 1; tick <= ticks && balance > policy.decayAbove; tick++) {
                    balance = Math.max(policy.decayAbove, (long) Math.floor(balance * policy.decay));
                    if (balance == 0) {
                        zeroSince = createdAt + tick * tickNanos; // decayAbove 0: the decay itself emptied it
                    }
                }
            }
            ticksApplied = Math.max(ticksApplied, ticks);
            if (balance == 0 && now - zeroSince >= allowanceNanos) {
                balance = 1;
                zeroSince = NOT_AT_ZERO;
            }
        }

        @Override
        boolean mayGo(final long now) {
            settle(now);
            return balance >= 1;
        }

        @Override
        Object went(final AdmissionTicket ticket, final InetAddress destination, final long now) {
            balance--;
            if (balance == 0) {
                zeroSince = now;
            }
            return SPENT;
        }

        @Override
        void ended(final Object charge, final AdmissionTicket ticket, final Outcome outcome, final long now) {
            if (outcome == Outcome.ESTABLISHED && policy.reward > 0) {
                earn(policy.reward, now);
            }
        }

        @Override
        void refunded(final Object charge, final long now) {
            earn(1, now);
        }

        private void earn(final long credits, final long now) {
            settle(now);
            balance += credits;
            zeroSince = NOT_AT_ZERO;
        }

        @Override
        long nextChance(final long now) {
            settle(now);
            return balance >= 1 ? now : zeroSince + allowanceNanos;
        }

        @Override
        String describeRule() {
            return balance + (balance == 1 ? " credit" : " credits");
        }
    }
}
