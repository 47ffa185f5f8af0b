package io.halfopen.policy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Dead-destination fast fail (beyond XP): after {@code failures} half-open timeouts or ICMP unreachables to one
 * destination within {@code window}, new attempts to it fail at once, for {@code ttl}, instead of taking a
 * half-open slot for another 21 s; every other attempt goes to the inner policy ({@code within}, XP's cap by
 * default) unchanged. For mail servers and crawlers whose queues hold many messages or URLs for one black-holed
 * host: XP's cap lets such a host take all ten slots again and again (Windows had no such rule).
 *
 * <pre>{@code
 * AdmissionPolicy policy = AdmissionPolicy.deadDestination()          // 3 failures in 2 min: dead for 5 min
 *         .withFailures(3).withWindow(Duration.ofMinutes(2)).withTtl(Duration.ofMinutes(5))
 *         .within(AdmissionPolicy.halfOpenCap(10));
 * }</pre>
 *
 * <h2>The rule</h2>
 * <ul>
 *   <li>A destination is an IP address (every port of it).</li>
 *   <li>What counts as a failure: {@link Outcome#TIMED_OUT} (the half-open timeout, or the owner's connect
 *       timeout) and {@link Outcome#UNREACHABLE} (an ICMP unreachable, {@link java.net.NoRouteToHostException}).
 *       A reset ({@link Outcome#REFUSED}) or an established connection (of an attempt still in flight) proves
 *       the host is there: it clears the destination's failures and any mark. A local failure ({@link Outcome#FAILED}) and a cancellation teach nothing.</li>
 *   <li>The window slides: the destination is marked dead when its {@code failures}-th most recent failure is
 *       at most {@code window} old. Failures of attempts still in flight when it was marked do not extend the
 *       mark.</li>
 *   <li>While marked, an attempt to it is refused at once ({@link Admission#refused(String, RefusalDetail)} with
 *       a {@link DeadDestination}): the limiter fails it with its {@code DeadDestinationException}, whose message
 *       names the destination, the count, the window and the TTL. The mark is raised as a {@link PolicyEvent},
 *       {@link DestinationMarkedDead}.</li>
 *   <li>After {@code ttl} the next attempt goes again, as a probe; {@code failures} more failures mark it again.</li>
 * </ul>
 * Every parameter and default is this project's choice (there is no published source): 3 failures, so that one
 * lost SYN train never marks a host; a window of 2 minutes, wide enough for three of XP's 21 s timeouts one
 * after the other; a TTL of 5 minutes, a mail server's usual retry interval; 1024 destinations remembered.
 *
 * <h2>A bounded negative cache</h2>
 * The failures and marks are kept for at most {@code capacity} destinations, in least-recently-used order (an
 * attempt to a destination, or a failure of it, refreshes it). When it is full, the destination touched least
 * recently is forgotten: the cache errs towards letting attempts go, never towards refusing one it cannot
 * justify. An entry costs about {@code 100 + 8 × failures} bytes.
 *
 * <h2>Cost, threads, composition</h2>
 * Per attempt: one hash lookup on entry and, for a failure or a success of a remembered destination, one update
 * on exit, each under this gate's lock (O(1); no call out while it is held), then the inner gate's own cost. It
 * allocates only for a destination's first failure. It never holds an attempt itself, so it never blocks and
 * needs no timer. Put it outermost: {@code deadDestination().within(thresholdRandomWalk().within(...))}, since
 * the gates that hold attempts cannot pass a later refusal on to an attempt they already queued. It never lets
 * more be half-open than its inner policy does. Immutable and thread-safe; its gates are thread-safe.
 */
public final class DeadDestinationPolicy implements AdmissionPolicy {

    static final int DEFAULT_FAILURES = 3;
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);
    static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    static final int DEFAULT_CAPACITY = 1024;
    static final int MAX_FAILURES = 1000;

    /**
     * In the registry: {@code deadDestination(failures=3, window=2m, ttl=5m, capacity=1024,
     * within=halfOpenCap(10))}.
     */
    static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("deadDestination")
            .summary("after `failures` half-open timeouts or ICMP unreachables to a destination within `window`,"
                    + " new attempts to it fail at once for `ttl`; the others go to `within`")
            .source("beyond XP: this project's rule (no published source); a bounded negative cache")
            .limits("attempts to destinations that keep timing out or are unreachable")
            .integer("failures", DEFAULT_FAILURES, PolicyParameter.Origin.OURS,
                    "half-open timeouts or ICMP unreachables that mark a destination dead")
            .duration("window", DEFAULT_WINDOW, PolicyParameter.Origin.OURS, "how far back those failures count")
            .duration("ttl", DEFAULT_TTL, PolicyParameter.Origin.OURS,
                    "how long attempts to a dead destination fail at once")
            .integer("capacity", DEFAULT_CAPACITY, PolicyParameter.Origin.OURS,
                    "destinations the negative cache remembers at most")
            .policy("within", AdmissionPolicy.halfOpenCap(10), PolicyParameter.Origin.OURS,
                    "the policy every attempt it does not refuse goes to")
            .build(args -> of(args.integer("failures"), args.duration("window"), args.duration("ttl"),
                    args.integer("capacity"), args.policy("within")));

    private final int failures;
    private final Duration window;
    private final Duration ttl;
    private final int capacity;
    private final AdmissionPolicy inner;

    private DeadDestinationPolicy(final int failures, final Duration window, final Duration ttl, final int capacity,
            final AdmissionPolicy inner) {
        this.failures = Checks.between("failures", failures, 1, MAX_FAILURES);
        this.window = Checks.positive("window", window);
        this.ttl = Checks.positive("ttl", ttl);
        this.capacity = PolicyParameterException.atLeast("capacity", capacity, 1);
        this.inner = PolicyParameterException.notNull("within", inner);
    }

    /**
     * Returns the policy with its defaults: 3 failures within 2 minutes mark a destination dead for 5 minutes,
     * 1024 destinations remembered, within XP's cap of 10.
     *
     * @return the policy
     */
    static DeadDestinationPolicy defaults() {
        return of(DEFAULT_FAILURES, DEFAULT_WINDOW, DEFAULT_TTL, DEFAULT_CAPACITY, AdmissionPolicy.halfOpenCap(10));
    }

    /** Every parameter at once, for the registry: each checked, the first bad one named. */
    static DeadDestinationPolicy of(final int failures, final Duration window, final Duration ttl,
            final int capacity, final AdmissionPolicy inner) {
        return new DeadDestinationPolicy(failures, window, ttl, capacity, inner);
    }

    /**
     * Returns a copy that marks a destination after {@code failures} timeouts or unreachables.
     *
     * @param failures how many, from 1 to 1000
     * @return the copy
     * @throws PolicyParameterException naming {@code failures} if it is out of range
     */
    public DeadDestinationPolicy withFailures(final int failures) {
        return new DeadDestinationPolicy(failures, window, ttl, capacity, inner);
    }

    /**
     * Returns a copy that counts failures within {@code window}.
     *
     * @param window how far back failures count, positive
     * @return the copy
     * @throws PolicyParameterException naming {@code window} if it is not positive
     */
    public DeadDestinationPolicy withWindow(final Duration window) {
        return new DeadDestinationPolicy(failures, window, ttl, capacity, inner);
    }

    /**
     * Returns a copy whose marks last {@code ttl}.
     *
     * @param ttl how long attempts to a dead destination fail at once, positive
     * @return the copy
     * @throws PolicyParameterException naming {@code ttl} if it is not positive
     */
    public DeadDestinationPolicy withTtl(final Duration ttl) {
        return new DeadDestinationPolicy(failures, window, ttl, capacity, inner);
    }

    /**
     * Returns a copy that remembers at most {@code capacity} destinations.
     *
     * @param capacity the bound of the negative cache, at least 1
     * @return the copy
     * @throws PolicyParameterException naming {@code capacity} if it is less than 1
     */
    public DeadDestinationPolicy withCapacity(final int capacity) {
        return new DeadDestinationPolicy(failures, window, ttl, capacity, inner);
    }

    /**
     * Returns a copy that passes the attempts it does not refuse to {@code inner}.
     *
     * @param inner the policy underneath, such as {@code halfOpenCap(10)}
     * @return the copy
     * @throws PolicyParameterException naming {@code within} if it is null
     */
    public DeadDestinationPolicy within(final AdmissionPolicy inner) {
        return new DeadDestinationPolicy(failures, window, ttl, capacity, inner);
    }

    /**
     * Returns how many failures mark a destination.
     *
     * @return the count
     */
    public int failures() {
        return failures;
    }

    /**
     * Returns how far back failures count.
     *
     * @return the window
     */
    public Duration window() {
        return window;
    }

    /**
     * Returns how long a mark lasts.
     *
     * @return the TTL
     */
    public Duration ttl() {
        return ttl;
    }

    /**
     * Returns how many destinations the negative cache remembers at most.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
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
        return spec().orElse("deadDestination(failures=" + failures + ", window=" + ValueSyntax.writeDuration(window)
                + ", ttl=" + ValueSyntax.writeDuration(ttl) + ", capacity=" + capacity + ", within=" + inner.name()
                + ")");
    }

    @Override
    public int maxHalfOpen() {
        return inner.maxHalfOpen();
    }

    @Override
    public java.util.Optional<String> spec() {
        return DESCRIPTOR.write(failures, window, ttl, capacity, inner);
    }

    @Override
    public AdmissionGate newGate(final PolicyContext context) {
        return new Gate(this, context, inner.newGate(context));
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof DeadDestinationPolicy other && other.failures == failures && other.window.equals(window)
                && other.ttl.equals(ttl) && other.capacity == capacity && other.inner.equals(inner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(failures, window, ttl, capacity, inner);
    }

    @Override
    public String toString() {
        return name();
    }

    /** One destination's recent failures, and its mark. Guarded by the gate's lock. */
    private static final class Failures {
        final long[] times; // a ring of the most recent failure times
        int count;
        int next;
        long deadSince;
        boolean dead;

        Failures(final int failures) {
            this.times = new long[failures];
        }

        /** Records a failure; returns whether it marks the destination (then the ring starts over). */
        boolean fail(final long now, final long windowNanos) {
            times[next] = now;
            next = (next + 1) % times.length;
            count = Math.min(count + 1, times.length);
            if (count == times.length && now - times[next] <= windowNanos) { // times[next]: the oldest kept
                count = 0;
                return true;
            }
            return false;
        }
    }

    /** The negative cache in front of the inner gate. */
    private static final class Gate implements AdmissionGate {
        private final DeadDestinationPolicy policy;
        private final PolicyContext context;
        private final AdmissionGate inner;
        private final long windowNanos;
        private final long ttlNanos;
        private final ReentrantLock lock = new ReentrantLock();
        private final Map<InetAddress, Failures> cache; // guarded by lock, access order

        Gate(final DeadDestinationPolicy policy, final PolicyContext context, final AdmissionGate inner) {
            this.policy = policy;
            this.context = context;
            this.inner = inner;
            this.windowNanos = policy.window.toNanos();
            this.ttlNanos = policy.ttl.toNanos();
            final int capacity = policy.capacity;
            this.cache = new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(final Map.Entry<InetAddress, Failures> eldest) {
                    return size() > capacity;
                }
            };
        }

        @Override
        public Admission enter(final AdmissionTicket ticket) {
            final InetAddress destination = ticket.remote().getAddress();
            DeadDestination dead = null;
            lock.lock();
            try {
                final Failures failures = cache.get(destination);
                if (failures != null && failures.dead) {
                    final long age = context.ticker().nanoTime() - failures.deadSince;
                    if (age < ttlNanos) {
                        dead = new DeadDestination(destination, policy.failures, policy.window, policy.ttl,
                                Duration.ofNanos(ttlNanos - age));
                    } else {
                        failures.dead = false; // the TTL is over: this attempt is the probe
                    }
                }
            } finally {
                lock.unlock();
            }
            return dead != null ? Admission.refused(dead.describe(), dead) : inner.enter(ticket);
        }

        @Override
        public void exit(final AdmissionTicket ticket, final Outcome outcome) {
            PolicyEvent event = null;
            if (outcome == Outcome.TIMED_OUT || outcome == Outcome.UNREACHABLE) {
                event = failed(ticket);
            } else if (outcome == Outcome.ESTABLISHED || outcome == Outcome.REFUSED) {
                answered(ticket.remote().getAddress());
            }
            inner.exit(ticket, outcome);
            if (event != null) {
                context.listener().policyEvent(event);
            }
        }

        private PolicyEvent failed(final AdmissionTicket ticket) {
            final InetAddress destination = ticket.remote().getAddress();
            final long now = context.ticker().nanoTime();
            lock.lock();
            try {
                Failures failures = cache.get(destination);
                if (failures == null) {
                    failures = new Failures(policy.failures);
                    cache.put(destination, failures);
                } else if (failures.dead && now - failures.deadSince < ttlNanos) {
                    return null; // an attempt that was in flight when it was marked: the mark stands as it is
                }
                if (!failures.fail(now, windowNanos)) {
                    return null;
                }
                failures.dead = true;
                failures.deadSince = now;
            } finally {
                lock.unlock();
            }
            final DeadDestination dead = new DeadDestination(destination, policy.failures, policy.window,
                    policy.ttl, policy.ttl);
            return new DestinationMarkedDead(policy.name(), now, ticket.remote(), dead);
        }

        private void answered(final InetAddress destination) {
            lock.lock();
            try {
                cache.remove(destination); // it answered: its failures and any mark are over
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int halfOpen() {
            return inner.halfOpen();
        }

        @Override
        public int peakHalfOpen() {
            return inner.peakHalfOpen();
        }

        @Override
        public void forEachQueued(final Consumer<? super AdmissionTicket> action) {
            inner.forEachQueued(action);
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public String toString() {
            lock.lock();
            try {
                return policy.name() + "[" + cache.size() + " destinations remembered, inner " + inner + "]";
            } finally {
                lock.unlock();
            }
        }
    }
}
