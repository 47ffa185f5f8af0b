package io.halfopen.policy;

import io.halfopen.limiter.internal.QueueingSemaphore;

/**
 * XP SP2's policy: at most {@code maxHalfOpen} attempts half-open at once; the others wait in strict FIFO
 * order and go, one by one, as slots free. Runs on the lock-free {@link QueueingSemaphore}: admitting and
 * exiting without waiters are one atomic operation each.
 */
final class HalfOpenCapPolicy implements AdmissionPolicy {

    private final int maxHalfOpen;

    HalfOpenCapPolicy(final int maxHalfOpen) {
        if (maxHalfOpen < 1) {
            throw new IllegalArgumentException("maxHalfOpen must be >= 1, was " + maxHalfOpen);
        }
        this.maxHalfOpen = maxHalfOpen;
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
        return new Gate(new QueueingSemaphore(maxHalfOpen));
    }

    @Override
    public String toString() {
        return name();
    }

    /** The semaphore behind the seam. */
    private static final class Gate implements AdmissionGate {
        private final QueueingSemaphore semaphore;

        Gate(final QueueingSemaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public Admission enter(final AdmissionTicket ticket) {
            return semaphore.acquire(ticket);
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
        public void forEachQueued(final java.util.function.Consumer<AdmissionTicket> action) {
            semaphore.forEachQueued(action);
        }
    }
}
