package io.halfopen.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * An adaptive half-open cap (additive increase, multiplicative decrease): a cap that starts at {@code initial},
 * shrinks by {@code backoff} when an attempt times out half-open and grows by one when an attempt is
 * established, within {@code [min, max]}; attempts past the current cap wait in FIFO order, as under XP's cap.
 *
 * <h2>The rule</h2>
 * On each exit, with {@code limit} the current cap and {@code inFlight} the attempts half-open at that exit
 * (including the one that ends):
 * <ul>
 *   <li>{@link Outcome#TIMED_OUT} (no answer: a drop): {@code limit = max(min, min(limit - 1,
 *       floor(limit * backoff)))}, so it always shrinks by at least one;</li>
 *   <li>{@link Outcome#ESTABLISHED}, while {@code inFlight * 2 >= limit} (the cap is in use, not idle):
 *       {@code limit = min(max, limit + 1)};</li>
 *   <li>any other outcome (a reset, an unreachable, a cancellation) leaves it: the peer answered, or the
 *       attempt says nothing about the path.</li>
 * </ul>
 * A cap that shrinks below the attempts already half-open takes no slot back: new attempts wait until enough
 * exit. A cap that grows lets waiters go at once.
 *
 * <h2>Where it comes from</h2>
 * Netflix's concurrency-limits, {@code AIMDLimit} (the loss-based limit, for requests): the backoff ratio
 * {@code 0.9} (allowed in [0.5, 1)), the "at least one less" on a drop, the "+1 only while at least half the
 * limit is in flight", the initial limit of 10. There a drop is an error or a response slower than a timeout;
 * here it is a half-open timeout. Ours: {@code min=1} and {@code max=100} (Netflix's later versions bound the
 * limit to 20 and 200, for requests; for connect attempts XP's 10 is the natural start and one attempt the floor)
 * and the mapping of the connect's outcomes.
 *
 * <h2>Cost</h2>
 * One lock per attempt and per exit, O(1) under it: a counter, the limit, and a FIFO linked through the
 * waiting attempts; no timer. Not on XP's lock-free path: the cap moves, which a fixed-permit semaphore cannot
 * follow. Thread-safe.
 */
public final class AimdPolicy implements AdmissionPolicy {

    /** In the registry: {@code aimd(initial=10, min=1, max=100, backoff=0.9)}. */
    static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("aimd")
            .summary("an adaptive half-open cap: x backoff on a half-open timeout, +1 on an established connect,"
                    + " within [min, max]; the rest wait in FIFO order")
            .source("Netflix concurrency-limits, AIMDLimit (loss-based limit)")
            .limits("half-open attempts at once, adaptively")
            .integer("initial", 10, PolicyParameter.Origin.SOURCE, "the cap to start with")
            .integer("min", 1, PolicyParameter.Origin.OURS, "the cap never shrinks below this")
            .integer("max", 100, PolicyParameter.Origin.OURS, "the cap never grows above this")
            .decimal("backoff", 0.9, PolicyParameter.Origin.SOURCE,
                    "the factor a half-open timeout cuts the cap by, in [0.5, 1)")
            .build(args -> AdmissionPolicy.aimd(args.integer("initial"), args.integer("min"), args.integer("max"))
                    .backoff(args.decimal("backoff")));

    private final int initial;
    private final int min;
    private final int max;
    private final double backoff;

    AimdPolicy(final int initial, final int min, final int max, final double backoff) {
        this.min = PolicyParameterException.atLeast("min", min, 1);
        if (max < min) {
            throw new PolicyParameterException("max", "max must be at least min (" + min + "), was " + max);
        }
        this.max = max;
        if (initial < min || initial > max) {
            throw new PolicyParameterException("initial", "initial must be between min (" + min + ") and max ("
                    + max + "), was " + initial);
        }
        this.initial = initial;
        if (!(backoff >= 0.5 && backoff < 1)) {
            throw new PolicyParameterException("backoff", "backoff must be at least 0.5 and below 1, was " + backoff);
        }
        this.backoff = backoff;
    }

    /**
     * Returns the same cap with another backoff factor (Netflix: 0.9).
     *
     * @param factor in [0.5, 1)
     * @return a new policy
     * @throws PolicyParameterException naming {@code backoff} if out of range
     */
    public AimdPolicy backoff(final double factor) {
        return new AimdPolicy(initial, min, max, factor);
    }

    @Override
    public String name() {
        return spec().orElseThrow();
    }

    @Override
    public int maxHalfOpen() {
        return max;
    }

    @Override
    public AdmissionGate newGate(final PolicyContext context) {
        return new Gate(this);
    }

    @Override
    public Optional<String> spec() {
        return DESCRIPTOR.write(initial, min, max, backoff);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof AimdPolicy p && p.initial == initial && p.min == min && p.max == max
                && Double.compare(p.backoff, backoff) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initial, min, max, backoff);
    }

    @Override
    public String toString() {
        return name();
    }

    /** A waiting attempt: its place in the FIFO. Fields guarded by the gate's lock. */
    private static final class Waiter implements Admission.Waiting {
        final Gate gate;
        AdmissionTicket ticket;
        Waiter prev;
        Waiter next;
        boolean queued = true;

        Waiter(final Gate gate, final AdmissionTicket ticket) {
            this.gate = gate;
            this.ticket = ticket;
        }

        @Override
        public void withdraw() {
            gate.withdraw(this);
        }
    }

    /**
     * The cap, the count and the FIFO, under one lock; offers are made outside it (see {@link AdmissionGate}).
     * Invariant (under the lock): {@code halfOpen} counts every ticket admitted or being offered a slot and not
     * yet exited or declined; waiters are offered slots only while {@code halfOpen < limit}.
     */
    static final class Gate implements AdmissionGate {
        private final AimdPolicy p;
        private final ReentrantLock lock = new ReentrantLock();
        private int limit;         // guarded by lock
        private int halfOpen;      // guarded by lock
        private int peak;          // guarded by lock
        private Waiter first;      // guarded by lock
        private Waiter last;       // guarded by lock

        Gate(final AimdPolicy policy) {
            this.p = policy;
            this.limit = policy.initial;
        }

        /** The current cap; for tests and stats. */
        int limit() {
            lock.lock();
            try {
                return limit;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Admission enter(final AdmissionTicket ticket) {
            lock.lock();
            try {
                if (first == null && halfOpen < limit) {
                    take();
                    return Admission.admitted();
                }
                final Waiter w = new Waiter(this, ticket);
                w.prev = last;
                if (last == null) {
                    first = w;
                } else {
                    last.next = w;
                }
                last = w;
                return w;
            } finally {
                lock.unlock();
            }
        }

        private void take() {
            halfOpen++;
            if (halfOpen > peak) {
                peak = halfOpen;
            }
        }

        private void unlink(final Waiter w) {
            if (w.prev == null) {
                first = w.next;
            } else {
                w.prev.next = w.next;
            }
            if (w.next == null) {
                last = w.prev;
            } else {
                w.next.prev = w.prev;
            }
            w.prev = null;
            w.next = null;
            w.queued = false;
        }

        /** Under the lock: the waiters that the cap lets go now, counted. */
        private List<AdmissionTicket> collect() {
            List<AdmissionTicket> out = null;
            while (first != null && halfOpen < limit) {
                final Waiter w = first;
                unlink(w);
                take();
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(w.ticket);
                w.ticket = null;
            }
            return out;
        }

        @Override
        public void exit(final AdmissionTicket ticket, final Outcome outcome) {
            final List<AdmissionTicket> offer;
            lock.lock();
            try {
                final int inFlight = halfOpen;
                halfOpen--;
                if (outcome == Outcome.TIMED_OUT) {
                    limit = Math.max(p.min, Math.min(limit - 1, (int) (limit * p.backoff)));
                } else if (outcome == Outcome.ESTABLISHED && inFlight * 2 >= limit) {
                    limit = Math.min(p.max, limit + 1);
                }
                offer = collect();
            } finally {
                lock.unlock();
            }
            offer(offer);
        }

        /** Offers slots outside the lock; a declined one goes back and may go to the next waiter. */
        private void offer(final List<AdmissionTicket> tickets) {
            List<AdmissionTicket> batch = tickets;
            while (batch != null) {
                List<AdmissionTicket> more = null;
                for (final AdmissionTicket t : batch) {
                    if (!t.tryAdmit()) {
                        lock.lock();
                        try {
                            halfOpen--;
                            final List<AdmissionTicket> next = collect();
                            if (next != null) {
                                if (more == null) {
                                    more = new ArrayList<>(next);
                                } else {
                                    more.addAll(next);
                                }
                            }
                        } finally {
                            lock.unlock();
                        }
                    }
                }
                batch = more;
            }
        }

        void withdraw(final Waiter w) {
            lock.lock();
            try {
                if (w.queued) {
                    unlink(w);
                    w.ticket = null;
                }
                // else it was being offered its slot: the offering thread sees it decline and hands the slot on
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int halfOpen() {
            lock.lock();
            try {
                return halfOpen;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int peakHalfOpen() {
            lock.lock();
            try {
                return peak;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void forEachQueued(final Consumer<? super AdmissionTicket> action) {
            final List<AdmissionTicket> queued = new ArrayList<>();
            lock.lock();
            try {
                for (Waiter w = first; w != null; w = w.next) {
                    queued.add(w.ticket);
                }
            } finally {
                lock.unlock();
            }
            queued.forEach(action);
        }

        @Override
        public String toString() {
            lock.lock();
            try {
                return p.name() + "[limit=" + limit + ", halfOpen=" + halfOpen + "]";
            } finally {
                lock.unlock();
            }
        }
    }
}
