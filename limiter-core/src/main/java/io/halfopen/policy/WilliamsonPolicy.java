package io.halfopen.policy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Williamson's virus throttle: connections to the few destinations this host used most recently go at once;
 * connections to any other destination wait in a delay queue that lets one new destination out per
 * {@code release} interval; a long queue is the sign of an infection.
 *
 * <h2>The rule</h2>
 * <ul>
 *   <li>The <em>working set</em> holds the {@code workingSet} destinations (IP addresses; the port does not
 *       matter) most recently let out, least recently used first out. An attempt to one of them goes at once
 *       and refreshes it.</li>
 *   <li>Any other attempt waits in the <em>delay queue</em>, in arrival order.</li>
 *   <li>Every {@code release} interval, the oldest waiting attempt is let out together with every other
 *       waiting attempt to the same destination, and that destination enters the working set (the least
 *       recently used one leaves it).</li>
 *   <li>The queue's length is the infection signal (HP's product): when it reaches {@code highWatermark} the
 *       gate raises a {@link VirusThrottleEvent} of kind {@link VirusThrottleEvent.Kind#HIGH_WATERMARK}, once,
 *       and another of kind {@link VirusThrottleEvent.Kind#LOW_WATERMARK} when it has drained back to
 *       {@code lowWatermark}; with {@code refuseWhenFull}, an attempt that would make the queue longer than
 *       {@code queueSize} is refused instead of queued.</li>
 * </ul>
 * Let-out attempts go into the policy the throttle is {@code within} (by default {@code unlimited}: the papers'
 * throttle caps no concurrency; {@code within=halfOpenCap(10)} puts XP's cap under it).
 *
 * <h2>Where it comes from</h2>
 * M. M. Williamson, "Throttling Viruses: Restricting propagation to defeat malicious mobile code", ACSAC 2002
 * (HP Labs HPL-2002-172), sections 4 and 5: the working set of size 5, the delay queue, one new host per second;
 * J. Twycross and M. M. Williamson, "Implementing and testing a virus throttle", USENIX Security 2003: the
 * implementation, the release of every queued request to the released host, and the queue length as the
 * detection signal (W32/Nimda-D, at up to 400 new destinations per second, stopped in under a second). The
 * queue of 200 with watermarks 160 and 100 and the event at the high mark are HP's product defaults.
 * <ul>
 *   <li>The source's: {@code workingSet=5}, {@code release=1s}, {@code queueSize=200},
 *       {@code highWatermark=160}, {@code lowWatermark=100}.</li>
 *   <li>Ours: {@code refuseWhenFull=false} (the papers delay, they never refuse), {@code within=unlimited}, the
 *       low watermark's meaning (the episode that the high mark opened ends there, with an event), and the
 *       timing of releases: the papers' rate limiter is a clock that fires every {@code release}; this one
 *       lets the oldest destination out as soon as the last release is at least {@code release} ago, so the
 *       long-run rate is the same (one new destination per interval; against Nimda, exactly one per second),
 *       and a benign host's occasional new destination, with an empty queue, waits for no tick (up to one
 *       interval, half of it on average, with the papers' clock).</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * One lock per attempt and per exit; under it, O(1): a working-set look-up (an access-ordered hash map), the
 * delay queue and a per-destination queue linked through the waiting attempts. A release costs O(k) for the k
 * attempts to the released destination, each let out once. One timer at a time. Memory: the working set, and
 * one node per waiting attempt plus one entry per destination in the queue. Thread-safe.
 */
public final class WilliamsonPolicy implements AdmissionPolicy {

    /** In the registry: {@code williamson(workingSet=5, release=1s, ...)}. */
    static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("williamson")
            .summary("Williamson's virus throttle: recent destinations go at once, others wait in a delay queue"
                    + " that lets one new destination out per release interval; the queue's length signals infection")
            .source("Williamson, ACSAC 2002, sections 4-5; Twycross & Williamson, USENIX Security 2003; HP's"
                    + " product defaults for the queue")
            .limits("connections to new destinations per interval")
            .integer("workingSet", 5, PolicyParameter.Origin.SOURCE,
                    "how many recent destinations go at once (least recently used out)")
            .duration("release", Duration.ofSeconds(1), PolicyParameter.Origin.SOURCE,
                    "one new destination leaves the delay queue per this interval")
            .integer("queueSize", 200, PolicyParameter.Origin.SOURCE,
                    "the delay queue's size (HP): past it, refuse if refuseWhenFull")
            .integer("highWatermark", 160, PolicyParameter.Origin.SOURCE,
                    "queue length that raises the infection event (HP)")
            .integer("lowWatermark", 100, PolicyParameter.Origin.SOURCE,
                    "queue length at which the episode ends, with an event (HP)")
            .bool("refuseWhenFull", false, PolicyParameter.Origin.OURS,
                    "refuse attempts past queueSize instead of queueing them")
            .policy("within", AdmissionPolicy.unlimited(), PolicyParameter.Origin.OURS,
                    "the policy let-out attempts go into, such as halfOpenCap(10)")
            .build(args -> AdmissionPolicy.williamson().workingSet(args.integer("workingSet"))
                    .release(args.duration("release"))
                    .queue(args.integer("queueSize"), args.integer("highWatermark"), args.integer("lowWatermark"))
                    .refuseWhenFull(args.bool("refuseWhenFull")).within(args.policy("within")));

    /** The papers' and HP's defaults. */
    static final WilliamsonPolicy DEFAULTS = new WilliamsonPolicy(5, Duration.ofSeconds(1), 200, 160, 100, false,
            AdmissionPolicy.unlimited());

    private final int workingSet;
    private final Duration release;
    private final int queueSize;
    private final int highWatermark;
    private final int lowWatermark;
    private final boolean refuseWhenFull;
    private final AdmissionPolicy within;

    private WilliamsonPolicy(final int workingSet, final Duration release, final int queueSize,
            final int highWatermark, final int lowWatermark, final boolean refuseWhenFull,
            final AdmissionPolicy within) {
        this.workingSet = PolicyParameterException.atLeast("workingSet", workingSet, 1);
        PolicyParameterException.positiveNanos("release", release);
        this.release = release;
        this.queueSize = PolicyParameterException.atLeast("queueSize", queueSize, 1);
        this.highWatermark = PolicyParameterException.atLeast("highWatermark", highWatermark, 1);
        this.lowWatermark = PolicyParameterException.atLeast("lowWatermark", lowWatermark, 0);
        if (highWatermark > queueSize) {
            throw new PolicyParameterException("highWatermark", "highWatermark must be at most queueSize ("
                    + queueSize + "), was " + highWatermark);
        }
        if (lowWatermark >= highWatermark) {
            throw new PolicyParameterException("lowWatermark", "lowWatermark must be below highWatermark ("
                    + highWatermark + "), was " + lowWatermark);
        }
        this.refuseWhenFull = refuseWhenFull;
        this.within = PolicyParameterException.notNull("within", within);
    }

    /**
     * Returns the throttle with another working-set size (the papers: 5).
     *
     * @param size at least 1
     * @return a new policy
     * @throws PolicyParameterException naming {@code workingSet} if it is smaller
     */
    public WilliamsonPolicy workingSet(final int size) {
        return new WilliamsonPolicy(size, release, queueSize, highWatermark, lowWatermark, refuseWhenFull, within);
    }

    /**
     * Returns the throttle with another release interval (the papers: 1 s).
     *
     * @param interval positive
     * @return a new policy
     * @throws PolicyParameterException naming {@code release} if it is not positive
     */
    public WilliamsonPolicy release(final Duration interval) {
        return new WilliamsonPolicy(workingSet, interval, queueSize, highWatermark, lowWatermark, refuseWhenFull,
                within);
    }

    /**
     * Returns the throttle with another delay queue: its size and its watermarks (HP: 200, 160, 100).
     *
     * @param size          the queue's size, at least 1
     * @param highWatermark the length that raises the infection event, at least 1 and at most {@code size}
     * @param lowWatermark  the length that ends the episode, at least 0 and below {@code highWatermark}
     * @return a new policy
     * @throws PolicyParameterException naming the parameter that is out of range
     */
    public WilliamsonPolicy queue(final int size, final int highWatermark, final int lowWatermark) {
        return new WilliamsonPolicy(workingSet, release, size, highWatermark, lowWatermark, refuseWhenFull, within);
    }

    /**
     * Returns the throttle that refuses, or not, an attempt that would make the queue longer than its size.
     *
     * @param refuse whether to refuse (default: no, queue it)
     * @return a new policy
     */
    public WilliamsonPolicy refuseWhenFull(final boolean refuse) {
        return new WilliamsonPolicy(workingSet, release, queueSize, highWatermark, lowWatermark, refuse, within);
    }

    /**
     * Returns the throttle whose let-out attempts go into {@code cap}, such as {@code halfOpenCap(10)}.
     *
     * @param cap the inner policy; it should not refuse attempts
     * @return a new policy
     */
    public WilliamsonPolicy within(final AdmissionPolicy cap) {
        return new WilliamsonPolicy(workingSet, release, queueSize, highWatermark, lowWatermark, refuseWhenFull, cap);
    }

    @Override
    public String name() {
        return spec().orElse("williamson(workingSet=" + workingSet + ", ..., within=" + within.name() + ")");
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
        return DESCRIPTOR.write(workingSet, release, queueSize, highWatermark, lowWatermark, refuseWhenFull, within);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof WilliamsonPolicy p && p.workingSet == workingSet && p.release.equals(release)
                && p.queueSize == queueSize && p.highWatermark == highWatermark && p.lowWatermark == lowWatermark
                && p.refuseWhenFull == refuseWhenFull && p.within.equals(within);
    }

    @Override
    public int hashCode() {
        return Objects.hash(workingSet, release, queueSize, highWatermark, lowWatermark, refuseWhenFull, within);
    }

    @Override
    public String toString() {
        return name();
    }

    /** The working set, the delay queue and its release clock; see {@link HoldingGate} for the protocol. */
    private static final class Gate extends HoldingGate {
        private final WilliamsonPolicy p;
        private final long releaseNanos;
        private final Map<InetAddress, Boolean> workingSet;          // guarded by lock; access order, LRU first
        private final HeldQueue delayQueue = new HeldQueue(false);   // guarded by lock
        private final Map<InetAddress, HeldQueue> byDestination = new HashMap<>(); // guarded by lock
        private long nextReleaseAt = Long.MIN_VALUE;                 // guarded by lock
        private boolean aboveHighWatermark;                          // guarded by lock

        Gate(final PolicyContext context, final WilliamsonPolicy policy) {
            super(context, policy.within, policy.name());
            this.p = policy;
            this.releaseNanos = policy.release.toNanos();
            final int size = policy.workingSet;
            this.workingSet = new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(final Map.Entry<InetAddress, Boolean> eldest) {
                    return size() > size;
                }
            };
        }

        @Override
        String refusal(final AdmissionTicket ticket, final long now) {
            if (p.refuseWhenFull && delayQueue.size() >= p.queueSize
                    && !workingSet.containsKey(ticket.remote().getAddress())) {
                return "Williamson's virus throttle: the delay queue is full (" + delayQueue.size() + " waiting, its"
                        + " size is " + p.queueSize + ")";
            }
            return null;
        }

        @Override
        boolean mayPass(final AdmissionTicket ticket, final long now) {
            return workingSet.get(ticket.remote().getAddress()) != null; // a hit refreshes it
        }

        @Override
        void hold(final Held held, final long now) {
            final InetAddress destination = held.ticket.remote().getAddress();
            held.key = destination;
            delayQueue.add(held);
            byDestination.computeIfAbsent(destination, d -> new HeldQueue(true)).add(held);
            if (!aboveHighWatermark && delayQueue.size() >= p.highWatermark) {
                aboveHighWatermark = true;
                raise(new VirusThrottleEvent(policy(), VirusThrottleEvent.Kind.HIGH_WATERMARK, delayQueue.size(),
                        p.highWatermark, held.ticket.remote(), now));
            }
        }

        @Override
        void unhold(final Held held, final long now) {
            delayQueue.remove(held);
            final HeldQueue same = byDestination.get(held.key);
            same.remove(held);
            if (same.isEmpty()) {
                byDestination.remove(held.key);
            }
            checkLowWatermark(held, now);
        }

        @Override
        void collect(final long now, final List<Held> out) {
            if (delayQueue.isEmpty() || now < nextReleaseAt) {
                return;
            }
            final Held oldest = delayQueue.peek();
            final InetAddress destination = (InetAddress) oldest.key;
            final java.net.InetSocketAddress remote = oldest.ticket.remote();
            final HeldQueue same = byDestination.remove(destination);
            for (Held h = same.poll(); h != null; h = same.poll()) {
                delayQueue.remove(h);
                out.add(h);
            }
            workingSet.put(destination, Boolean.TRUE);
            nextReleaseAt = FixedRatePolicy.saturatedAdd(now, releaseNanos);
            checkLowWatermark(remote, now);
        }

        private void checkLowWatermark(final Held held, final long now) {
            if (aboveHighWatermark && delayQueue.size() <= p.lowWatermark) {
                checkLowWatermark(held.ticket.remote(), now);
            }
        }

        private void checkLowWatermark(final java.net.InetSocketAddress remote, final long now) {
            if (aboveHighWatermark && delayQueue.size() <= p.lowWatermark) {
                aboveHighWatermark = false;
                raise(new VirusThrottleEvent(policy(), VirusThrottleEvent.Kind.LOW_WATERMARK, delayQueue.size(),
                        p.lowWatermark, remote, now));
            }
        }

        @Override
        void left(final AdmissionTicket ticket, final Outcome outcome, final long now) {
        }

        @Override
        long nextWake(final long now) {
            return delayQueue.isEmpty() ? Long.MAX_VALUE : Math.max(nextReleaseAt, now);
        }

        @Override
        void forEachHeld(final Consumer<Held> action) {
            delayQueue.forEach(action);
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}
