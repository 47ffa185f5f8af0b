package io.halfopen.policy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A sliding-window rate per destination: no destination gets more than {@code attempts} attempts in any
 * {@code window}; the others wait, in FIFO order per destination, until the window has slid past the oldest.
 *
 * <h2>The rule</h2>
 * The window is exact (a log of the last {@code attempts} start times per destination, not two fixed windows
 * averaged): an attempt to a destination goes when fewer than {@code attempts} of its attempts started in the
 * last {@code window}, or waits until the oldest of them is {@code window} old. Destinations are keyed as
 * {@link PerDestinationPolicy} keys them: the address, or a /24 and /64 network ({@code ipv4Prefix},
 * {@code ipv6Prefix}); the port never counts. Destinations do not wait for each other. Attempts go into the
 * policy the rule is {@code within} ({@code unlimited} by default).
 *
 * <h2>Where it comes from</h2>
 * The sliding-window log of rate limiters (per-host politeness in crawlers, per-destination rate limits in mail
 * servers). No source documents numbers for connect attempts: {@code attempts=10}, {@code window=1s}, the
 * prefixes and {@code within=unlimited} are our choice.
 *
 * <h2>Cost</h2>
 * One lock per attempt and per exit; under it, a hash look-up of the destination (one small key object per
 * attempt) and a ring of {@code attempts} start times per destination seen in the last window; O(log d) for a
 * waiting attempt, in the number d of destinations with waiters (the tree of their wake-up times). A
 * destination is forgotten once its newest start is a window old and nothing waits for it. One timer at a
 * time. Thread-safe.
 */
public final class SlidingWindowPolicy implements AdmissionPolicy {

    /** In the registry: {@code slidingWindow(attempts=10, window=1s, ...)}. */
    static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("slidingWindow")
            .summary("at most attempts attempts per destination in any window (an exact sliding window); the others"
                    + " wait, FIFO per destination")
            .source("the sliding-window log of rate limiters (crawler politeness, mail servers' per-host limits)")
            .limits("attempts per destination per window")
            .integer("attempts", 10, PolicyParameter.Origin.OURS, "attempts one destination may get per window")
            .duration("window", Duration.ofSeconds(1), PolicyParameter.Origin.OURS, "the window's length")
            .integer("ipv4Prefix", 32, PolicyParameter.Origin.OURS,
                    "IPv4 addresses that share this many leading bits are one destination")
            .integer("ipv6Prefix", 128, PolicyParameter.Origin.OURS,
                    "IPv6 addresses that share this many leading bits are one destination")
            .policy("within", AdmissionPolicy.unlimited(), PolicyParameter.Origin.OURS,
                    "the policy attempts go into, such as halfOpenCap(10)")
            .build(args -> AdmissionPolicy.slidingWindow(args.integer("attempts"), args.duration("window"))
                    .prefixes(args.integer("ipv4Prefix"), args.integer("ipv6Prefix")).within(args.policy("within")));

    private final int attempts;
    private final Duration window;
    private final int ipv4Prefix;
    private final int ipv6Prefix;
    private final AdmissionPolicy within;

    SlidingWindowPolicy(final int attempts, final Duration window, final int ipv4Prefix, final int ipv6Prefix,
            final AdmissionPolicy within) {
        this.attempts = PolicyParameterException.atLeast("attempts", attempts, 1);
        PolicyParameterException.positiveNanos("window", window);
        this.window = window;
        this.ipv4Prefix = DestinationKey.prefix("ipv4Prefix", ipv4Prefix, 32);
        this.ipv6Prefix = DestinationKey.prefix("ipv6Prefix", ipv6Prefix, 128);
        this.within = PolicyParameterException.notNull("within", within);
    }

    /**
     * Returns the same rate within another policy, such as {@code halfOpenCap(10)}.
     *
     * @param cap the policy attempts go into; it should not refuse attempts
     * @return a new policy
     */
    public SlidingWindowPolicy within(final AdmissionPolicy cap) {
        return new SlidingWindowPolicy(attempts, window, ipv4Prefix, ipv6Prefix, cap);
    }

    /**
     * Returns the same rate keyed by networks.
     *
     * @param ipv4 1 to 32 (32: the address, 24: a /24)
     * @param ipv6 1 to 128 (128: the address, 64: a /64)
     * @return a new policy
     * @throws PolicyParameterException naming {@code ipv4Prefix} or {@code ipv6Prefix} if out of range
     */
    public SlidingWindowPolicy prefixes(final int ipv4, final int ipv6) {
        return new SlidingWindowPolicy(attempts, window, ipv4, ipv6, within);
    }

    @Override
    public String name() {
        return spec().orElse("slidingWindow(attempts=" + attempts + ", window=" + ValueSyntax.writeDuration(window)
                + ", within=" + within.name() + ")");
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
        return DESCRIPTOR.write(attempts, window, ipv4Prefix, ipv6Prefix, within);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof SlidingWindowPolicy p && p.attempts == attempts && p.window.equals(window)
                && p.ipv4Prefix == ipv4Prefix && p.ipv6Prefix == ipv6Prefix && p.within.equals(within);
    }

    @Override
    public int hashCode() {
        return Objects.hash(attempts, window, ipv4Prefix, ipv6Prefix, within);
    }

    @Override
    public String toString() {
        return name();
    }

    /** One destination's recent start times and its waiters. Guarded by the gate's lock. */
    private static final class Destination {
        final DestinationKey key;
        final long id;
        final long[] starts;      // a ring of the last starts; valid entries: count, oldest at head
        int head;
        int count;
        final HeldQueue waiting = new HeldQueue(true);
        long wakeAt = Long.MAX_VALUE; // in the gate's wake tree while it has waiters

        Destination(final DestinationKey key, final long id, final int attempts) {
            this.key = key;
            this.id = id;
            this.starts = new long[attempts];
        }

        boolean mayStart(final long now, final long window) {
            return count < starts.length || now - starts[head] >= window;
        }

        void start(final long now) {
            if (count < starts.length) {
                starts[(head + count) % starts.length] = now;
                count++;
            } else {
                starts[head] = now;
                head = (head + 1) % starts.length;
            }
        }

        long newest() {
            return starts[(head + count - 1) % starts.length];
        }

        /** When the next attempt may start; only asked while one may not start now. */
        long nextStart(final long window) {
            return FixedRatePolicy.saturatedAdd(starts[head], window);
        }
    }

    /**
     * The destinations, in order of their newest start (so the stale ones are at the front), and the tree of
     * the waiting ones by wake-up time; see {@link HoldingGate} for the protocol.
     */
    private static final class Gate extends HoldingGate {
        private final SlidingWindowPolicy p;
        private final long windowNanos;
        private final Map<DestinationKey, Destination> destinations = new LinkedHashMap<>(); // by newest start
        private final TreeSet<Destination> waking = new TreeSet<>((a, b) -> a.wakeAt != b.wakeAt
                ? Long.compare(a.wakeAt, b.wakeAt) : Long.compare(a.id, b.id));
        private final HeldQueue arrival = new HeldQueue(false);
        private long nextId;

        Gate(final PolicyContext context, final SlidingWindowPolicy policy) {
            super(context, policy.within, policy.name());
            this.p = policy;
            this.windowNanos = policy.window.toNanos();
        }

        private DestinationKey key(final AdmissionTicket ticket) {
            return DestinationKey.of(ticket.remote().getAddress(), p.ipv4Prefix, p.ipv6Prefix);
        }

        private void started(final Destination d, final long now) {
            d.start(now);
            destinations.remove(d.key); // to the back: the newest start
            destinations.put(d.key, d);
        }

        private void forgetStale(final long now) {
            for (final Iterator<Destination> it = destinations.values().iterator(); it.hasNext(); ) {
                final Destination d = it.next();
                if (!d.waiting.isEmpty() || now - d.newest() < windowNanos) {
                    return;
                }
                it.remove();
            }
        }

        @Override
        boolean mayPass(final AdmissionTicket ticket, final long now) {
            forgetStale(now);
            final DestinationKey key = key(ticket);
            Destination d = destinations.get(key);
            if (d == null) {
                d = new Destination(key, nextId++, p.attempts);
            } else if (!d.waiting.isEmpty() || !d.mayStart(now, windowNanos)) {
                return false;
            }
            started(d, now);
            return true;
        }

        @Override
        void hold(final Held held, final long now) {
            final Destination d = destinations.get(key(held.ticket));
            held.key = d;
            d.waiting.add(held);
            arrival.add(held);
            if (d.waiting.size() == 1) {
                d.wakeAt = d.nextStart(windowNanos);
                waking.add(d);
            }
        }

        @Override
        void unhold(final Held held, final long now) {
            final Destination d = (Destination) held.key;
            d.waiting.remove(held);
            arrival.remove(held);
            if (d.waiting.isEmpty()) {
                waking.remove(d);
                d.wakeAt = Long.MAX_VALUE;
            }
        }

        @Override
        void collect(final long now, final List<Held> out) {
            while (!waking.isEmpty() && waking.first().wakeAt <= now) {
                final Destination d = waking.pollFirst();
                while (!d.waiting.isEmpty() && d.mayStart(now, windowNanos)) {
                    final Held next = d.waiting.poll();
                    arrival.remove(next);
                    started(d, now);
                    out.add(next);
                }
                if (d.waiting.isEmpty()) {
                    d.wakeAt = Long.MAX_VALUE;
                } else {
                    d.wakeAt = d.nextStart(windowNanos);
                    waking.add(d);
                }
            }
        }

        @Override
        void left(final AdmissionTicket ticket, final Outcome outcome, final long now) {
        }

        @Override
        long nextWake(final long now) {
            return waking.isEmpty() ? Long.MAX_VALUE : waking.first().wakeAt;
        }

        @Override
        void forEachHeld(final Consumer<Held> action) {
            arrival.forEach(action);
        }

        @Override
        public String toString() {
            return describe() + "[destinations=" + destinations.size() + "]";
        }
    }
}
