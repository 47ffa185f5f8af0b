package io.halfopen.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Threshold random walk (Jung, Paxson, Berger and Balakrishnan, "Fast Portscan Detection Using Sequential
 * Hypothesis Testing", IEEE Symposium on Security and Privacy 2004): a sequential hypothesis test over the
 * outcomes of this host's first contacts that decides, after a handful of them, whether the host is benign or
 * scanning; once it says "scanner", first contacts are held (or, as an option, refused) for a quarantine, and a
 * {@link PolicyEvent}, {@link ScannerDetected}, says why. Attempts to destinations this host has
 * reached before ({@link FirstContacts}) are never held.
 *
 * <pre>{@code
 * AdmissionPolicy policy = AdmissionPolicy.thresholdRandomWalk()   // θ0 0.8, θ1 0.2, P_D 0.99, P_F 0.01
 *         .withQuarantine(Duration.ofMinutes(10))
 *         .within(AdmissionPolicy.halfOpenCap(10));
 * }</pre>
 *
 * <h2>The test (the paper's)</h2>
 * Each first contact to a distinct destination is one observation {@code Y}: success (established) or failure
 * (no answer, a reset, an unreachable). Under H0 (benign) a first contact succeeds with probability
 * {@code theta0}, under H1 (scanner) with {@code theta1 < theta0}. The test keeps the likelihood ratio
 * {@code Λ = Π P(Y|H1) / P(Y|H0)}, in logarithms a random walk that each success moves by
 * {@code ln(θ1/θ0)} and each failure by {@code ln((1-θ1)/(1-θ0))}, and stops at Wald's thresholds for the target
 * detection probability {@code P_D} and false-positive probability {@code P_F}: H1 when
 * {@code Λ >= η1 = P_D/P_F}, H0 when {@code Λ <= η0 = (1-P_D)/(1-P_F)}. With the paper's values
 * ({@code θ0 = 0.8, θ1 = 0.2, P_D = 0.99, P_F = 0.01}) each step is ±ln 4 and the thresholds are ±ln 99, so
 * four failures more than successes say "scanner" and four successes more than failures say "benign"; Wald's
 * approximation of the expected number of observations to a decision is
 * {@code E[N|H1] = (P_D ln η1 + (1-P_D) ln η0) / (θ1 ln(θ1/θ0) + (1-θ1) ln((1-θ1)/(1-θ0)))} ≈ 5.4, and the same
 * for {@code E[N|H0]}. Those four values are the defaults and the paper's.
 *
 * <h2>What is ours</h2>
 * The paper judges remote hosts scanning into a site from a network monitor; here the host judges itself on its
 * outbound first contacts, as Schechter, Jung and Berger (RAID 2004) apply the test to a site's own hosts. The
 * stored copy of the paper holds only its abstract; these choices are this project's, each a parameter where it
 * can be:
 * <ul>
 *   <li>"Distinct destination": an IP address this host has neither reached nor tried before
 *       ({@link FirstContacts#isNewDestination}), and only one attempt per address counts while it is in flight:
 *       a retry to an address that failed is a first contact (held when the verdict says so) but not a new
 *       observation, so a host retrying one dead server is not a scanner.</li>
 *   <li>Failures are {@link Outcome#TIMED_OUT}, {@link Outcome#REFUSED} and {@link Outcome#UNREACHABLE}; a local
 *       failure or a cancellation is no observation.</li>
 *   <li>After "benign" the test starts again from {@code Λ = 1} ({@code restartAfterBenign}, default true), so a
 *       host infected after it was judged benign is still caught; the paper's decision is final
 *       ({@code restartAfterBenign=false}: once benign, never held). Restarting has a price: each round may end
 *       in a false positive, with probability about 0.4 % at the paper's values for a host whose first contacts
 *       succeed 80 % of the time, far less for one that succeeds more often.</li>
 *   <li>The verdict "scanner" lasts {@code quarantine} (default 10 minutes); then held first contacts go and a
 *       new test starts (event {@link ScannerReleased}). While it lasts, first contacts wait in this gate
 *       ({@code refuse=false}, the default) or fail at once ({@code refuse=true}), and outcomes of first contacts
 *       still in flight are not counted.</li>
 * </ul>
 *
 * <h2>Cost, threads, composition</h2>
 * O(1) per attempt: a lookup in the host's {@link FirstContacts}; for a first contact, under the gate's one lock,
 * a second lookup (is the destination new?), one step of the walk on exit, and an entry in an identity map of
 * the first contacts in flight and in a set of the destinations under observation. No inner-gate call, attempt
 * callback or listener runs under the lock. One timer, for the end of the quarantine, armed only while first
 * contacts are held. First contacts go only into a free slot of the
 * inner policy ({@code within}, XP's cap by default), so it never lets more be half-open than the inner policy
 * does, and a verdict applies to first contacts that were already waiting; the inner policy must not refuse
 * attempts. Immutable and thread-safe; its gates are thread-safe and never block.
 */
public final class ThresholdRandomWalkPolicy implements AdmissionPolicy {

    static final double DEFAULT_THETA0 = 0.8;
    static final double DEFAULT_THETA1 = 0.2;
    static final double DEFAULT_DETECTION = 0.99;
    static final double DEFAULT_FALSE_POSITIVE = 0.01;
    static final Duration DEFAULT_QUARANTINE = Duration.ofMinutes(10);

    /**
     * In the registry: {@code thresholdRandomWalk(theta0=0.8, theta1=0.2, detection=0.99, falsePositive=0.01,
     * refuse=false, quarantine=10m, restartAfterBenign=true, within=halfOpenCap(10))}.
     */
    static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("thresholdRandomWalk")
            .summary("a sequential hypothesis test over the outcomes of first contacts to distinct destinations;"
                    + " once it says scanner, first contacts are held (or refused) for `quarantine`")
            .source("Jung, Paxson, Berger and Balakrishnan, Fast Portscan Detection Using Sequential Hypothesis"
                    + " Testing, IEEE S&P 2004: the threshold random walk (TRW)")
            .limits("first contacts of a host the test finds scanning")
            .decimal("theta0", DEFAULT_THETA0, PolicyParameter.Origin.SOURCE,
                    "the probability that a benign host's first contact succeeds")
            .decimal("theta1", DEFAULT_THETA1, PolicyParameter.Origin.SOURCE,
                    "the probability that a scanner's first contact succeeds")
            .decimal("detection", DEFAULT_DETECTION, PolicyParameter.Origin.SOURCE,
                    "the target detection probability P_D")
            .decimal("falsePositive", DEFAULT_FALSE_POSITIVE, PolicyParameter.Origin.SOURCE,
                    "the target false-positive probability P_F")
            .bool("refuse", false, PolicyParameter.Origin.OURS,
                    "whether first contacts fail at once during the quarantine, instead of waiting")
            .duration("quarantine", DEFAULT_QUARANTINE, PolicyParameter.Origin.OURS,
                    "how long the verdict scanner lasts before a new test")
            .bool("restartAfterBenign", true, PolicyParameter.Origin.OURS,
                    "whether a new test starts after the verdict benign (the paper's verdict is final)")
            .policy("within", AdmissionPolicy.halfOpenCap(10), PolicyParameter.Origin.OURS,
                    "the policy the attempts it lets go enter")
            .build(args -> of(args.decimal("theta0"), args.decimal("theta1"), args.decimal("detection"),
                    args.decimal("falsePositive"), args.bool("refuse"), args.duration("quarantine"),
                    args.bool("restartAfterBenign"), args.policy("within")));

    private final double theta0;
    private final double theta1;
    private final double detection;
    private final double falsePositive;
    private final boolean refuse;
    private final Duration quarantine;
    private final boolean restartAfterBenign;
    private final AdmissionPolicy inner;

    private ThresholdRandomWalkPolicy(final double theta0, final double theta1, final double detection,
            final double falsePositive, final boolean refuse, final Duration quarantine,
            final boolean restartAfterBenign, final AdmissionPolicy inner) {
        this.theta0 = Checks.strictlyBetween("theta0", theta0, 0, 1);
        this.theta1 = Checks.strictlyBetween("theta1", theta1, 0, 1);
        if (theta1 >= theta0) {
            throw new PolicyParameterException("theta1", "theta1 must be less than theta0 (a scanner's first contacts succeed"
                    + " less often than a benign host's), was theta1 " + theta1 + " with theta0 " + theta0);
        }
        this.detection = Checks.strictlyBetween("detection", detection, 0, 1);
        this.falsePositive = Checks.strictlyBetween("falsePositive", falsePositive, 0, 1);
        if (falsePositive >= detection) {
            throw new PolicyParameterException("falsePositive", "falsePositive must be less than detection, was falsePositive "
                    + falsePositive + " with detection " + detection);
        }
        this.refuse = refuse;
        this.quarantine = Checks.positive("quarantine", quarantine);
        this.restartAfterBenign = restartAfterBenign;
        this.inner = PolicyParameterException.notNull("within", inner);
    }

    /**
     * Returns the policy with the paper's test (θ0 0.8, θ1 0.2, detection 0.99, false positives 0.01), first
     * contacts held for 10 minutes once it says "scanner", the test restarted after "benign", within XP's cap
     * of 10.
     *
     * @return the policy
     */
    static ThresholdRandomWalkPolicy defaults() {
        return of(DEFAULT_THETA0, DEFAULT_THETA1, DEFAULT_DETECTION, DEFAULT_FALSE_POSITIVE, false,
                DEFAULT_QUARANTINE, true, AdmissionPolicy.halfOpenCap(10));
    }

    /** Every parameter at once, for the registry: each checked, the first bad one named. */
    static ThresholdRandomWalkPolicy of(final double theta0, final double theta1, final double detection,
            final double falsePositive, final boolean refuse, final Duration quarantine,
            final boolean restartAfterBenign, final AdmissionPolicy inner) {
        return new ThresholdRandomWalkPolicy(theta0, theta1, detection, falsePositive, refuse, quarantine,
                restartAfterBenign, inner);
    }

    /**
     * Returns a copy with {@code theta0}, the probability that a benign host's first contact succeeds.
     *
     * @param theta0 strictly between {@code theta1} and 1
     * @return the copy
     * @throws PolicyParameterException naming {@code theta0} if it is out of range
     */
    public ThresholdRandomWalkPolicy withTheta0(final double theta0) {
        return new ThresholdRandomWalkPolicy(theta0, theta1, detection, falsePositive, refuse, quarantine,
                restartAfterBenign, inner);
    }

    /**
     * Returns a copy with {@code theta1}, the probability that a scanner's first contact succeeds.
     *
     * @param theta1 strictly between 0 and {@code theta0}
     * @return the copy
     * @throws PolicyParameterException naming {@code theta1} if it is out of range
     */
    public ThresholdRandomWalkPolicy withTheta1(final double theta1) {
        return new ThresholdRandomWalkPolicy(theta0, theta1, detection, falsePositive, refuse, quarantine,
                restartAfterBenign, inner);
    }

    /**
     * Returns a copy with the target detection probability {@code P_D}.
     *
     * @param detection strictly between {@code falsePositive} and 1
     * @return the copy
     * @throws PolicyParameterException naming {@code detection} if it is out of range
     */
    public ThresholdRandomWalkPolicy withDetection(final double detection) {
        return new ThresholdRandomWalkPolicy(theta0, theta1, detection, falsePositive, refuse, quarantine,
                restartAfterBenign, inner);
    }

    /**
     * Returns a copy with the target false-positive probability {@code P_F}.
     *
     * @param falsePositive strictly between 0 and {@code detection}
     * @return the copy
     * @throws PolicyParameterException naming {@code falsePositive} if it is out of range
     */
    public ThresholdRandomWalkPolicy withFalsePositive(final double falsePositive) {
        return new ThresholdRandomWalkPolicy(theta0, theta1, detection, falsePositive, refuse, quarantine,
                restartAfterBenign, inner);
    }

    /**
     * Returns a copy that refuses first contacts during the quarantine ({@code true}) or holds them
     * ({@code false}).
     *
     * @param refuse whether to refuse
     * @return the copy
     */
    public ThresholdRandomWalkPolicy withRefuse(final boolean refuse) {
        return new ThresholdRandomWalkPolicy(theta0, theta1, detection, falsePositive, refuse, quarantine,
                restartAfterBenign, inner);
    }

    /**
     * Returns a copy whose verdict "scanner" lasts {@code quarantine}.
     *
     * @param quarantine how long, positive
     * @return the copy
     * @throws PolicyParameterException naming {@code quarantine} if it is not positive
     */
    public ThresholdRandomWalkPolicy withQuarantine(final Duration quarantine) {
        return new ThresholdRandomWalkPolicy(theta0, theta1, detection, falsePositive, refuse, quarantine,
                restartAfterBenign, inner);
    }

    /**
     * Returns a copy that starts a new test after the verdict "benign" ({@code true}) or keeps it for good.
     *
     * @param restartAfterBenign whether to test again
     * @return the copy
     */
    public ThresholdRandomWalkPolicy withRestartAfterBenign(final boolean restartAfterBenign) {
        return new ThresholdRandomWalkPolicy(theta0, theta1, detection, falsePositive, refuse, quarantine,
                restartAfterBenign, inner);
    }

    /**
     * Returns a copy that sends the attempts it lets go into {@code inner}.
     *
     * @param inner the policy underneath, such as {@code halfOpenCap(10)}; must not refuse attempts
     * @return the copy
     * @throws PolicyParameterException naming {@code within} if it is null
     */
    public ThresholdRandomWalkPolicy within(final AdmissionPolicy inner) {
        return new ThresholdRandomWalkPolicy(theta0, theta1, detection, falsePositive, refuse, quarantine,
                restartAfterBenign, inner);
    }

    /**
     * Returns θ0, the probability that a benign host's first contact succeeds.
     *
     * @return theta0
     */
    public double theta0() {
        return theta0;
    }

    /**
     * Returns θ1, the probability that a scanner's first contact succeeds.
     *
     * @return theta1
     */
    public double theta1() {
        return theta1;
    }

    /**
     * Returns the target detection probability {@code P_D}.
     *
     * @return the detection probability
     */
    public double detection() {
        return detection;
    }

    /**
     * Returns the target false-positive probability {@code P_F}.
     *
     * @return the false-positive probability
     */
    public double falsePositive() {
        return falsePositive;
    }

    /**
     * Returns whether first contacts are refused, rather than held, during the quarantine.
     *
     * @return whether it refuses
     */
    public boolean refuse() {
        return refuse;
    }

    /**
     * Returns how long the verdict "scanner" lasts.
     *
     * @return the quarantine
     */
    public Duration quarantine() {
        return quarantine;
    }

    /**
     * Returns whether a new test starts after the verdict "benign".
     *
     * @return whether it restarts
     */
    public boolean restartAfterBenign() {
        return restartAfterBenign;
    }

    /**
     * Returns the policy underneath.
     *
     * @return the inner policy
     */
    public AdmissionPolicy inner() {
        return inner;
    }

    /**
     * Returns Wald's approximation of the expected number of observations before the test decides, for a host
     * whose first contacts succeed with probability {@code theta}: {@code E[N|H1]} for {@code theta1},
     * {@code E[N|H0]} for {@code theta0} (the paper's formula; it neglects the walk's overshoot of a threshold).
     *
     * @param theta the probability that a first contact succeeds, {@code theta0} or {@code theta1}
     * @return the expected number of observations
     * @throws IllegalArgumentException if {@code theta} is neither {@code theta0} nor {@code theta1}
     */
    public double expectedObservations(final double theta) {
        final double upper = Math.log(detection / falsePositive);
        final double lower = Math.log((1 - detection) / (1 - falsePositive));
        final double numerator;
        if (theta == theta1) {
            numerator = detection * upper + (1 - detection) * lower;
        } else if (theta == theta0) {
            numerator = falsePositive * upper + (1 - falsePositive) * lower;
        } else {
            throw new IllegalArgumentException("theta must be theta0 " + theta0 + " or theta1 " + theta1 + ", was "
                    + theta);
        }
        return numerator / (theta * Math.log(theta1 / theta0) + (1 - theta) * Math.log((1 - theta1) / (1 - theta0)));
    }

    @Override
    public String name() {
        return spec().orElse("thresholdRandomWalk(theta0=" + ValueSyntax.writeDecimal(theta0) + ", theta1="
                + ValueSyntax.writeDecimal(theta1) + ", detection=" + ValueSyntax.writeDecimal(detection)
                + ", falsePositive=" + ValueSyntax.writeDecimal(falsePositive) + ", refuse=" + refuse
                + ", quarantine=" + ValueSyntax.writeDuration(quarantine) + ", restartAfterBenign="
                + restartAfterBenign + ", within=" + inner.name() + ")");
    }

    @Override
    public int maxHalfOpen() {
        return inner.maxHalfOpen();
    }

    @Override
    public java.util.Optional<String> spec() {
        return DESCRIPTOR.write(theta0, theta1, detection, falsePositive, refuse, quarantine, restartAfterBenign,
                inner);
    }

    @Override
    public AdmissionGate newGate(final PolicyContext context) {
        return new Gate(this, context);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof ThresholdRandomWalkPolicy other && Double.compare(other.theta0, theta0) == 0
                && Double.compare(other.theta1, theta1) == 0 && Double.compare(other.detection, detection) == 0
                && Double.compare(other.falsePositive, falsePositive) == 0 && other.refuse == refuse
                && other.quarantine.equals(quarantine) && other.restartAfterBenign == restartAfterBenign
                && other.inner.equals(inner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(theta0, theta1, detection, falsePositive, refuse, quarantine, restartAfterBenign, inner);
    }

    @Override
    public String toString() {
        return name();
    }

    /** The walk and the verdict. All fields guarded by the gate's lock. */
    private static final class Gate extends FirstContactGate {
        private static final Object NO_OBSERVATION = "no observation";

        private final ThresholdRandomWalkPolicy policy;
        private final FirstContacts contacts;
        private final double successStep;
        private final double failureStep;
        private final double upper;
        private final double lower;
        private final long quarantineNanos;
        private final Set<InetAddress> observing = new HashSet<>();
        private double walk;        // ln Λ
        private int successes;      // observations of the current test
        private int failures;
        private boolean scanner;
        private boolean benignForGood;
        private long scannerSince;
        private long detections;

        Gate(final ThresholdRandomWalkPolicy policy, final PolicyContext context) {
            super(context, policy.inner, policy.name());
            this.policy = policy;
            this.contacts = context.firstContacts();
            this.successStep = Math.log(policy.theta1 / policy.theta0);
            this.failureStep = Math.log((1 - policy.theta1) / (1 - policy.theta0));
            this.upper = Math.log(policy.detection / policy.falsePositive);
            this.lower = Math.log((1 - policy.detection) / (1 - policy.falsePositive));
            this.quarantineNanos = policy.quarantine.toNanos();
        }

        /** Ends the quarantine if it is over. */
        private boolean isScanner(final long now) {
            if (scanner && now - scannerSince >= quarantineNanos) {
                scanner = false;
                restart();
                raise(new ScannerReleased(policy(), now, policy.quarantine));
            }
            return scanner;
        }

        private void restart() {
            walk = 0;
            successes = 0;
            failures = 0;
        }

        @Override
        String refusal(final long now) {
            if (!policy.refuse || !isScanner(now)) {
                return null;
            }
            return "this host was found to scan (threshold random walk, " + DeadDestination.seconds(
                    java.time.Duration.ofNanos(now - scannerSince)) + " ago): first contacts are refused for "
                    + DeadDestination.seconds(java.time.Duration.ofNanos(quarantineNanos - (now - scannerSince)))
                    + " more";
        }

        @Override
        boolean mayGo(final long now) {
            return !isScanner(now);
        }

        @Override
        Object went(final AdmissionTicket ticket, final InetAddress destination, final long now) {
            if (!benignForGood && contacts.isNewDestination(destination) && observing.add(destination)) {
                return destination;
            }
            return NO_OBSERVATION;
        }

        @Override
        void ended(final Object charge, final AdmissionTicket ticket, final Outcome outcome, final long now) {
            if (charge instanceof InetAddress destination) {
                observing.remove(destination);
                if (!isScanner(now)) {
                    observe(ticket.remote(), outcome, now);
                }
            }
        }

        private void observe(final InetSocketAddress remote, final Outcome outcome, final long now) {
            if (outcome == Outcome.ESTABLISHED) {
                walk += successStep;
                successes++;
            } else if (FailureRatePolicy.isFailure(outcome)) {
                walk += failureStep;
                failures++;
            } else {
                return;
            }
            if (walk >= upper) {
                scanner = true;
                scannerSince = now;
                detections++;
                raise(new ScannerDetected(policy(), now, remote, failures, failures + successes,
                        Math.exp(walk), Math.exp(upper), policy.refuse, policy.quarantine));
                restart();
            } else if (walk <= lower) {
                restart();
                benignForGood = !policy.restartAfterBenign;
            }
        }

        @Override
        void refunded(final Object charge, final long now) {
            if (charge instanceof InetAddress destination) {
                observing.remove(destination);
            }
        }

        @Override
        long nextChance(final long now) {
            return isScanner(now) ? scannerSince + quarantineNanos : now;
        }

        @Override
        String describeRule() {
            return String.format(Locale.ROOT, "%s, ln Λ %.3f after %d failures and %d successes, %d detections",
                    scanner ? "scanner" : benignForGood ? "benign for good" : "testing", walk, failures, successes,
                    detections);
        }
    }
}
