package io.halfopen.policy;

import io.halfopen.policy.internal.QueueingSemaphore;
import java.util.function.Consumer;

/**
 * XP SP2's policy: at most {@code maxHalfOpen} attempts half-open at once; the others wait in strict FIFO
 * order and go, one by one, as slots free. Runs on the lock-free {@link QueueingSemaphore}: admitting and
 * exiting without waiters are one atomic operation each, a waiter costs one cell and its handle, and a
 * withdrawal is O(1) and gives its cell back.
 */
final class HalfOpenCapPolicy implements AdmissionPolicy {

    /** In the registry: {@code halfOpenCap(maxHalfOpen=10)}. */
    static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("halfOpenCap")
            .summary("XP SP2's cap: at most maxHalfOpen attempts half-open, the rest wait in FIFO order")
            .source("Windows XP SP2 (Microsoft, Changes to Functionality in Windows XP Service Pack 2, Part 2)")
            .limits("half-open attempts at once")
            .integer("maxHalfOpen", 10, PolicyParameter.Origin.SOURCE, "the most attempts half-open at once")
            .build(args -> new HalfOpenCapPolicy(args.integer("maxHalfOpen")));

    /** XP SP2's cap. */
    static final int XP_MAX_HALF_OPEN = 10;

    private final int maxHalfOpen;

    HalfOpenCapPolicy(final int maxHalfOpen) {
        if (maxHalfOpen < 1) {
            throw new PolicyParameterException("maxHalfOpen", "maxHalfOpen must be >= 1, was " + maxHalfOpen);
        }
        this.maxHalfOpen = maxHalfOpen;
    }

    @Override
    public java.util.Optional<String> spec() {
        return DESCRIPTOR.write(maxHalfOpen);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof HalfOpenCapPolicy other && other.maxHalfOpen == maxHalfOpen;
    }

    @Override
    public int hashCode() {
        return maxHalfOpen;
    }

    @Override
    public String name() {
        return "half-open-cap(" + maxHalfOpen + ")";
    }

    @Override
    public int maxHalfOpen() {
        return maxHalfOpen;
    }

    @Override
    public AdmissionGate newGate(final PolicyContext context) {
        return new Gate(maxHalfOpen);
    }

    @Override
    public String toString() {
        return name();
    }

    /** The semaphore behind the seam. */
    private static final class Gate implements AdmissionGate {
        private final QueueingSemaphore<AdmissionTicket> semaphore;

        Gate(final int maxHalfOpen) {
            this.semaphore = new QueueingSemaphore<>(maxHalfOpen, AdmissionTicket::tryAdmit, Place::new);
        }

        @Override
        public Admission enter(final AdmissionTicket ticket) {
            final QueueingSemaphore.Cell cell = semaphore.acquire(ticket);
            return cell == null ? Admission.admitted() : (Place) cell;
        }

        @Override
        public void exit(final AdmissionTicket ticket, final Outcome outcome) {
            semaphore.release();
        }

        @Override
        public int halfOpen() {
            return semaphore.heldPermits();
        }

        @Override
        public int peakHalfOpen() {
            return semaphore.peakHeld();
        }

        @Override
        public void forEachQueued(final Consumer<? super AdmissionTicket> action) {
            semaphore.forEachQueued(action);
        }

        @Override
        public String toString() {
            return semaphore.toString();
        }
    }

    /** A waiting ticket's cell: withdrawing it gives the cell back to the semaphore. */
    private static final class Place extends QueueingSemaphore.Cell implements Admission.Waiting {
    }
}
