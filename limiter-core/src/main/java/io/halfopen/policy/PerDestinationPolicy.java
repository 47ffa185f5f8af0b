package io.halfopen.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A per-destination cap within a host's cap (beyond XP): no destination holds more than {@code k} of the
 * slots of the policy it is {@code within}, so that one black-holed mail exchanger or crawl host cannot take
 * all ten of XP's.
 *
 * <h2>The rule</h2>
 * <ul>
 *   <li>A destination is an address cut to a prefix: by default the address itself ({@code /32},
 *       {@code /128}), or a network ({@code ipv4Prefix=24}, {@code ipv6Prefix=64}). The port never counts.</li>
 *   <li>An attempt goes to the inner cap when its destination has fewer than {@code k} attempts there and the
 *       cap has a free slot; otherwise it waits here.</li>
 *   <li>No head-of-line blocking: an attempt whose destination is at its {@code k} never holds back one to
 *       another destination. FIFO within a destination; across destinations, a freed slot goes to the attempt
 *       that arrived first among those whose destination is under {@code k}.</li>
 * </ul>
 * An attempt counts against its destination from the moment it goes to the inner cap until it exits, or leaves
 * it without a slot. Order across destinations is exact when one thread drives the gate (the simulator, an
 * event loop); attempts that race on two threads for one slot are ordered by the inner cap's FIFO.
 *
 * <h2>Where it comes from</h2>
 * Not XP: this project's option (the "beyond XP"), like per-host connection limits in crawlers and
 * mail servers. Every parameter is our choice: {@code k=2}, {@code ipv4Prefix=32}, {@code ipv6Prefix=128},
 * {@code within=halfOpenCap(10)} (XP's cap).
 *
 * <h2>Cost</h2>
 * One lock per attempt and per exit; under it, a hash look-up of the destination (one small key object per
 * attempt) and, for a waiting attempt, O(log d) in the number d of destinations with waiting attempts (a tree of
 * the destinations that may go, by their oldest waiter). Memory: one entry per destination with attempts in the
 * inner cap or waiting, one node per waiting attempt. No timer. Thread-safe.
 */
public final class PerDestinationPolicy implements AdmissionPolicy {

    /** In the registry: {@code perDestination(k=2, ipv4Prefix=32, ipv6Prefix=128, within=halfOpenCap(10))}. */
    static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("perDestination")
            .summary("no destination (address, or /24 and /64 network) holds more than k slots of the cap it is"
                    + " within; no head-of-line blocking, FIFO per destination, in arrival order across them")
            .source("beyond XP: this project's option (per-host limits of crawlers and mail servers)")
            .limits("half-open attempts per destination")
            .integer("k", 2, PolicyParameter.Origin.OURS, "the most slots one destination may hold")
            .integer("ipv4Prefix", 32, PolicyParameter.Origin.OURS,
                    "IPv4 addresses that share this many leading bits are one destination (24: a /24)")
            .integer("ipv6Prefix", 128, PolicyParameter.Origin.OURS,
                    "IPv6 addresses that share this many leading bits are one destination (64: a /64)")
            .policy("within", AdmissionPolicy.halfOpenCap(10), PolicyParameter.Origin.OURS,
                    "the host's cap the destinations share")
            .build(args -> AdmissionPolicy.perDestination(args.integer("k"))
                    .prefixes(args.integer("ipv4Prefix"), args.integer("ipv6Prefix")).within(args.policy("within")));

    private final int k;
    private final int ipv4Prefix;
    private final int ipv6Prefix;
    private final AdmissionPolicy within;

    PerDestinationPolicy(final int k, final int ipv4Prefix, final int ipv6Prefix, final AdmissionPolicy within) {
        this.k = PolicyParameterException.atLeast("k", k, 1);
        this.ipv4Prefix = DestinationKey.prefix("ipv4Prefix", ipv4Prefix, 32);
        this.ipv6Prefix = DestinationKey.prefix("ipv6Prefix", ipv6Prefix, 128);
        this.within = PolicyParameterException.notNull("within", within);
    }

    /**
     * Returns the same cap within another policy, such as {@code halfOpenCap(50)}.
     *
     * @param cap the host's cap; it should not refuse attempts
     * @return a new policy
     */
    public PerDestinationPolicy within(final AdmissionPolicy cap) {
        return new PerDestinationPolicy(k, ipv4Prefix, ipv6Prefix, cap);
    }

    /**
     * Returns the same cap keyed by networks: addresses that share so many leading bits are one destination.
     *
     * @param ipv4 1 to 32 (32: the address, 24: a /24)
     * @param ipv6 1 to 128 (128: the address, 64: a /64)
     * @return a new policy
     * @throws PolicyParameterException naming {@code ipv4Prefix} or {@code ipv6Prefix} if out of range
     */
    public PerDestinationPolicy prefixes(final int ipv4, final int ipv6) {
        return new PerDestinationPolicy(k, ipv4, ipv6, within);
    }

    @Override
    public String name() {
        return spec().orElse("perDestination(k=" + k + ", within=" + within.name() + ")");
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
        return DESCRIPTOR.write(k, ipv4Prefix, ipv6Prefix, within);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof PerDestinationPolicy p && p.k == k && p.ipv4Prefix == ipv4Prefix
                && p.ipv6Prefix == ipv6Prefix && p.within.equals(within);
    }

    @Override
    public int hashCode() {
        return Objects.hash(k, ipv4Prefix, ipv6Prefix, within);
    }

    @Override
    public String toString() {
        return name();
    }

    /** One destination's count in the inner cap and its waiting attempts. Guarded by the gate's lock. */
    private static final class Destination {
        final DestinationKey key;
        final HeldQueue waiting = new HeldQueue(true);
        int inInner;
        boolean ready; // in the gate's ready tree, under its oldest waiter's sequence

        Destination(final DestinationKey key) {
            this.key = key;
        }
    }

    /**
     * The destinations and the tree of those that may go; see {@link HoldingGate} for the protocol. Invariant
     * (under the lock): a destination is in {@code ready}, keyed by its oldest waiter's sequence, exactly when it
     * has waiters and fewer than {@code k} attempts in the inner cap; it is in {@code destinations} while it has
     * either.
     */
    private static final class Gate extends HoldingGate {
        private final PerDestinationPolicy p;
        private final Map<DestinationKey, Destination> destinations = new HashMap<>(); // guarded by lock
        private final TreeMap<Long, Destination> ready = new TreeMap<>();               // guarded by lock
        private final HeldQueue arrival = new HeldQueue(false);                         // guarded: every waiter

        Gate(final PolicyContext context, final PerDestinationPolicy policy) {
            super(context, policy.within, policy.name());
            this.p = policy;
        }

        private DestinationKey key(final AdmissionTicket ticket) {
            return DestinationKey.of(ticket.remote().getAddress(), p.ipv4Prefix, p.ipv6Prefix);
        }

        @Override
        boolean mayPass(final AdmissionTicket ticket, final long now) {
            if (!ready.isEmpty() || !innerHasRoom()) {
                return false;
            }
            final DestinationKey key = key(ticket);
            final Destination d = destinations.get(key);
            if (d == null) {
                final Destination fresh = new Destination(key);
                fresh.inInner = 1;
                destinations.put(key, fresh);
                return true;
            }
            if (d.inInner < p.k) {
                d.inInner++;
                return true;
            }
            return false;
        }

        @Override
        void hold(final Held held, final long now) {
            final DestinationKey key = key(held.ticket);
            final Destination d = destinations.computeIfAbsent(key, Destination::new);
            held.key = d;
            d.waiting.add(held);
            arrival.add(held);
            updateReady(d);
        }

        @Override
        void unhold(final Held held, final long now) {
            final Destination d = (Destination) held.key;
            unready(d);
            d.waiting.remove(held);
            arrival.remove(held);
            updateReady(d);
            forgetIfIdle(d);
        }

        @Override
        void collect(final long now, final List<Held> out) {
            long room = innerRoom();
            while (room > 0 && !ready.isEmpty()) {
                final Destination d = ready.pollFirstEntry().getValue();
                d.ready = false;
                final Held next = d.waiting.poll();
                arrival.remove(next);
                d.inInner++;
                out.add(next);
                room--;
                updateReady(d);
            }
        }

        @Override
        void left(final AdmissionTicket ticket, final Outcome outcome, final long now) {
            final Destination d = destinations.get(key(ticket));
            d.inInner--;
            updateReady(d);
            forgetIfIdle(d);
        }

        private void unready(final Destination d) {
            if (d.ready) {
                ready.remove(d.waiting.peek().sequence);
                d.ready = false;
            }
        }

        private void updateReady(final Destination d) {
            if (!d.ready && !d.waiting.isEmpty() && d.inInner < p.k) {
                ready.put(d.waiting.peek().sequence, d);
                d.ready = true;
            }
        }

        private void forgetIfIdle(final Destination d) {
            if (d.inInner == 0 && d.waiting.isEmpty()) {
                destinations.remove(d.key);
            }
        }

        @Override
        long nextWake(final long now) {
            return Long.MAX_VALUE;
        }

        @Override
        void forEachHeld(final Consumer<Held> action) {
            arrival.forEach(action);
        }

        @Override
        public String toString() {
            return describe() + "[destinations=" + destinations.size() + ", ready=" + ready.size() + "]";
        }
    }
}
