package io.halfopen.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A fixed-rate release: attempts past the limit wait in FIFO order and leave the queue no faster than one per
 * {@code interval}, and only into a free slot of the policy they are {@code within}.
 *
 * <h2>Where it comes from</h2>
 * Microsoft's own words for XP SP2's limit are that attempts past it "are put in a queue and resolved at a
 * fixed rate" (Changes to Functionality in Windows XP Service Pack 2, Part 2); no rate is documented. This is
 * one documented reading of those words, as an option of the XP profile ({@code xp(releaseInterval=1s)}, or
 * {@code HalfOpenLimiterBuilder.releaseAtFixedRate}). The interval (no default in the source: ours, 1 s) and
 * the reading itself are our choice:
 * <ul>
 *   <li>an attempt that finds nobody waiting and a free slot goes at once, not paced (XP shows delay only past
 *       the limit);</li>
 *   <li>a waiting attempt leaves the queue when a slot is free and the last release from the queue is at least
 *       {@code interval} ago, so the first one after a quiet interval goes as soon as a slot frees, and
 *       later ones one per interval. No timer runs while no slot is free: exits wake the queue.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * One lock per attempt and per exit (a few field updates under it), O(1): a FIFO linked through the waiting
 * attempts, one timer at a time on the context's scheduler. Waiting costs one node per attempt. Thread-safe.
 */
public final class FixedRatePolicy implements AdmissionPolicy {

    /** In the registry: {@code fixedRate(interval=1s, within=halfOpenCap(maxHalfOpen=10))}. */
    static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("fixedRate")
            .summary("XP's queue \"resolved at a fixed rate\": queued attempts leave no faster than one per"
                    + " interval, and only into a free slot")
            .source("Microsoft, Changes to Functionality in Windows XP SP2, Part 2 (the words; no rate documented)")
            .limits("releases from the queue per interval")
            .duration("interval", Duration.ofSeconds(1), PolicyParameter.Origin.OURS,
                    "the least time between two releases from the queue")
            .policy("within", AdmissionPolicy.halfOpenCap(10), PolicyParameter.Origin.SOURCE,
                    "the cap released attempts go into (XP SP2: halfOpenCap(10))")
            .build(args -> new FixedRatePolicy(args.duration("interval"), args.policy("within")));

    /**
     * In the registry: {@code xp(maxHalfOpen=10, releaseInterval=0s)}, XP SP2's profile with its fixed rate as an
     * option: {@code halfOpenCap(maxHalfOpen)} when the interval is zero, else
     * {@code fixedRate(interval=releaseInterval, within=halfOpenCap(maxHalfOpen))}.
     */
    static final PolicyDescriptor XP_PROFILE = PolicyDescriptor.builder("xp")
            .summary("XP SP2's profile: halfOpenCap(maxHalfOpen), and with releaseInterval > 0 its queue released at"
                    + " that fixed rate (fixedRate)")
            .source("Windows XP SP2 (Microsoft, Changes to Functionality in Windows XP SP2, Part 2)")
            .limits("half-open attempts at once (and releases per interval)")
            .integer("maxHalfOpen", 10, PolicyParameter.Origin.SOURCE, "the most attempts half-open at once")
            .duration("releaseInterval", Duration.ZERO, PolicyParameter.Origin.OURS,
                    "0s: a queued attempt goes as soon as a slot frees; else no faster than one per interval")
            .build(args -> xp(args.integer("maxHalfOpen"), args.duration("releaseInterval")));

    private final Duration interval;
    private final AdmissionPolicy within;

    private static AdmissionPolicy xp(final int maxHalfOpen, final Duration releaseInterval) {
        if (releaseInterval.isNegative()) {
            throw new PolicyParameterException("releaseInterval", "releaseInterval must not be negative, was "
                    + releaseInterval);
        }
        final AdmissionPolicy cap = AdmissionPolicy.halfOpenCap(maxHalfOpen);
        return releaseInterval.isZero() ? cap : new FixedRatePolicy(releaseInterval, cap);
    }

    FixedRatePolicy(final Duration interval, final AdmissionPolicy within) {
        PolicyParameterException.positiveNanos("interval", interval);
        this.interval = interval;
        this.within = PolicyParameterException.notNull("within", within);
    }

    /**
     * Returns the same release within another policy, such as {@code halfOpenCap(50)}.
     *
     * @param cap the policy released attempts go into; it should not refuse attempts
     * @return a new policy
     */
    public FixedRatePolicy within(final AdmissionPolicy cap) {
        return new FixedRatePolicy(interval, cap);
    }

    /**
     * Returns the least time between two releases from the queue.
     *
     * @return the interval
     */
    public Duration interval() {
        return interval;
    }

    /**
     * Returns the policy released attempts go into.
     *
     * @return the inner policy
     */
    public AdmissionPolicy within() {
        return within;
    }

    @Override
    public String name() {
        return spec().orElse("fixedRate(interval=" + ValueSyntax.writeDuration(interval) + ", within=" + within.name()
                + ")");
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
        return DESCRIPTOR.write(interval, within);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof FixedRatePolicy p && p.interval.equals(interval) && p.within.equals(within);
    }

    @Override
    public int hashCode() {
        return Objects.hash(interval, within);
    }

    @Override
    public String toString() {
        return name();
    }

    /** The queue and its release clock; see {@link HoldingGate} for the protocol. */
    private static final class Gate extends HoldingGate {
        private final long intervalNanos;
        private final HeldQueue queue = new HeldQueue(false); // guarded by lock
        private long nextReleaseAt = Long.MIN_VALUE;          // guarded by lock: no release before this

        Gate(final PolicyContext context, final FixedRatePolicy policy) {
            super(context, policy.within, policy.name());
            this.intervalNanos = policy.interval.toNanos();
        }

        @Override
        boolean mayPass(final AdmissionTicket ticket, final long now) {
            return queue.isEmpty() && innerHasRoom();
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
            if (!queue.isEmpty() && innerHasRoom() && now >= nextReleaseAt) {
                out.add(queue.poll());
                nextReleaseAt = saturatedAdd(now, intervalNanos);
            }
        }

        @Override
        void left(final AdmissionTicket ticket, final Outcome outcome, final long now) {
        }

        @Override
        long nextWake(final long now) {
            return !queue.isEmpty() && innerHasRoom() && nextReleaseAt > now ? nextReleaseAt : Long.MAX_VALUE;
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

    static long saturatedAdd(final long a, final long b) {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
