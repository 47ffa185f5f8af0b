package io.halfopen.policy;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One host's memory of the destinations it has reached: what makes an attempt a <em>first contact</em>, a
 * connection to a destination this host has not connected to successfully before. The scan detectors
 * ({@link FailureRatePolicy}, {@link CreditBasedPolicy}, {@link ThresholdRandomWalkPolicy}) apply their rules
 * to first contacts only, as their papers do, and leave attempts to known destinations alone; any other gate
 * may read it too. There is one per limiter, in its {@link PolicyContext}, shared by every gate of that limiter
 * (Williamson's working set is Williamson's own state, not this).
 *
 * <h2>What it remembers</h2>
 * A destination is an IP address ({@link InetAddress}; the port does not matter, as in the papers). It learns
 * from the outcomes its gates pass to {@link #learn} on {@code exit}:
 * <ul>
 *   <li>{@link Outcome#ESTABLISHED}: the destination is <em>known</em>; attempts to it are no longer first
 *       contacts.</li>
 *   <li>{@link Outcome#TIMED_OUT}, {@link Outcome#REFUSED}, {@link Outcome#UNREACHABLE} to a destination not
 *       known: it is remembered as <em>tried</em>, so that a detector that counts each distinct destination
 *       once (the threshold random walk) can tell a retry from a new destination
 *       ({@link #isNewDestination}). Attempts to it are still first contacts.</li>
 *   <li>{@link Outcome#FAILED} (a local error) and {@link Outcome#CANCELLED} say nothing about the destination
 *       and teach nothing.</li>
 * </ul>
 * {@code learn} is idempotent: several gates of one limiter may each pass it the same outcome.
 *
 * <h2>Bounded memory, and what it forgets</h2>
 * The known and the tried destinations are two least-recently-used sets of at most {@link #capacity()}
 * addresses each, so that a scanner's thousands of tried addresses never push the host's known destinations
 * out. Recency is the last outcome learned for the address (a lookup does not refresh it). When a set is full,
 * learning a new address evicts the one whose last outcome is oldest ({@link #evictions()} counts them): a
 * forgotten known destination becomes a first contact again, a forgotten tried one a new destination again.
 * Each remembered address costs about 100 bytes (a linked hash entry and the address), so the default of
 * {@value #DEFAULT_CAPACITY} per set stays under a megabyte per limiter.
 *
 * <h2>Cost and thread-safety</h2>
 * Every method is O(1): one hash lookup or update under a {@link ReentrantLock} held for that alone (no call out
 * while it is held, so it never nests into another lock and never pins a virtual thread). Learning a new
 * address allocates its entry; lookups and the refresh of a remembered address allocate nothing.
 */
public final class FirstContacts {

    /** The default size of each of the two sets: 4096 addresses. */
    public static final int DEFAULT_CAPACITY = 4096;

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Recency known;   // guarded by lock
    private final Recency tried;   // guarded by lock, never holds a known address

    /**
     * Creates an empty memory.
     *
     * @param capacity how many known, and how many tried, destinations it remembers at most; at least 1
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public FirstContacts(final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.known = new Recency(capacity);
        this.tried = new Recency(capacity);
    }

    /**
     * Returns whether an attempt to {@code destination} is a first contact: this host has not connected to it
     * successfully (as far as it remembers).
     *
     * @param destination the address
     * @return {@code true} for a first contact
     */
    public boolean isFirstContact(final InetAddress destination) {
        Objects.requireNonNull(destination, "destination");
        lock.lock();
        try {
            return !known.containsKey(destination);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns whether {@code destination} is new: neither connected to nor tried (as far as it remembers).
     * Every new destination is a first contact; a first contact to a destination that failed before is not new.
     *
     * @param destination the address
     * @return {@code true} if nothing is remembered of it
     */
    public boolean isNewDestination(final InetAddress destination) {
        Objects.requireNonNull(destination, "destination");
        lock.lock();
        try {
            return !known.containsKey(destination) && !tried.containsKey(destination);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Learns how an attempt to {@code destination} ended (see the class comment for what each outcome
     * teaches). Idempotent.
     *
     * @param destination the address
     * @param outcome     how the attempt ended
     */
    public void learn(final InetAddress destination, final Outcome outcome) {
        Objects.requireNonNull(destination, "destination");
        switch (Objects.requireNonNull(outcome, "outcome")) {
            case ESTABLISHED -> {
                lock.lock();
                try {
                    tried.remove(destination);
                    known.put(destination, Boolean.TRUE);
                } finally {
                    lock.unlock();
                }
            }
            case TIMED_OUT, REFUSED, UNREACHABLE -> {
                lock.lock();
                try {
                    if (!known.containsKey(destination)) {
                        tried.put(destination, Boolean.TRUE);
                    }
                } finally {
                    lock.unlock();
                }
            }
            default -> {
                // FAILED, CANCELLED: nothing about the destination
            }
        }
    }

    /**
     * Returns how many addresses each set holds at most.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Returns how many known destinations are remembered now.
     *
     * @return the count, at most {@link #capacity()}
     */
    public int knownCount() {
        lock.lock();
        try {
            return known.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns how many tried, never reached, destinations are remembered now.
     *
     * @return the count, at most {@link #capacity()}
     */
    public int triedCount() {
        lock.lock();
        try {
            return tried.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns how many addresses were forgotten to make room, in both sets, since creation.
     *
     * @return the evictions
     */
    public long evictions() {
        lock.lock();
        try {
            return known.evictions + tried.evictions;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "FirstContacts[known " + known.size() + ", tried " + tried.size() + ", capacity " + capacity
                    + " each, " + (known.evictions + tried.evictions) + " evicted]";
        } finally {
            lock.unlock();
        }
    }

    /** A bounded set in access order (refreshed by {@code put}): the eldest entry goes when it is full. */
    private static final class Recency extends LinkedHashMap<InetAddress, Boolean> {
        private static final long serialVersionUID = 1L;
        private final int capacity;
        private long evictions;

        Recency(final int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(final Map.Entry<InetAddress, Boolean> eldest) {
            if (size() > capacity) {
                evictions++;
                return true;
            }
            return false;
        }
    }
}
