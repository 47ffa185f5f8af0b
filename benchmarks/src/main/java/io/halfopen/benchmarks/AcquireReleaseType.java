package io.halfopen.benchmarks;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.internal.SemaphoreBulkhead;
import io.halfopen.benchmarks.baseline.XaddQueueSemaphore;
import io.halfopen.benchmarks.support.Tickets;
import io.halfopen.policy.internal.QueueingSemaphore;
import io.halfopen.policy.AdmissionTicket;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The semaphores of the acquire/release benchmarks, as a JMH {@code @Param} factory: one JMH invocation
 * covers the floor, ours and every anchor, so ratios are taken within the same run. Each constant is
 * exactly the op described in {@code shared/research/anchors.md} ("What one op is").
 *
 * <p>JMH forks a fresh JVM for every parameter value, so the {@link AcquireRelease} call site is
 * monomorphic in each fork and costs every type the same class check.
 */
public enum AcquireReleaseType {

    /** Two locked xadds: {@code AtomicInteger.getAndDecrement()} then {@code getAndIncrement()}. */
    FLOOR {
        @Override
        AcquireRelease create(final int permits) {
            return new Floor(permits);
        }
    },
    /** Ours, as the limiter uses it: {@code acquire(ticket)} (one xadd) then {@code release()} (one xadd). */
    QUEUEING_SEMAPHORE {
        @Override
        AcquireRelease create(final int permits) {
            return new Ours(permits);
        }
    },
    /** Ours, {@code tryAcquire()} (a read then a CAS, never queues) then {@code release()}. */
    QUEUEING_SEMAPHORE_TRY {
        @Override
        AcquireRelease create(final int permits) {
            return new OursTry(permits);
        }
    },
    /** {@code new Semaphore(n, false)}: {@code tryAcquire()} + {@code release()}. */
    JUC_NONFAIR {
        @Override
        AcquireRelease create(final int permits) {
            return new Juc(new Semaphore(permits, false));
        }
    },
    /** {@code new Semaphore(n, true)}: {@code tryAcquire()} (barges, by spec) + {@code release()}. */
    JUC_FAIR {
        @Override
        AcquireRelease create(final int permits) {
            return new Juc(new Semaphore(permits, true));
        }
    },
    /** {@code new Semaphore(n, true)}: {@code tryAcquire(0, NANOSECONDS)} (honours the queue) + {@code release()}. */
    JUC_FAIR_TIMED0 {
        @Override
        AcquireRelease create(final int permits) {
            return new JucTimed0(new Semaphore(permits, true));
        }
    },
    /** kotlinx {@code SemaphoreKt.Semaphore(n, 0)}: {@code tryAcquire()} + {@code release()}. */
    KOTLINX {
        @Override
        AcquireRelease create(final int permits) {
            return new Kotlinx(kotlinx.coroutines.sync.SemaphoreKt.Semaphore(permits, 0));
        }
    },
    /**
     * Resilience4j {@code SemaphoreBulkhead}, maxConcurrentCalls n, maxWaitDuration 0, defaults otherwise
     * (fair): {@code tryAcquirePermission()} + {@code onComplete()}.
     */
    R4J_BULKHEAD {
        @Override
        AcquireRelease create(final int permits) {
            return new Bulkhead(new SemaphoreBulkhead("bench", BulkheadConfig.custom()
                    .maxConcurrentCalls(permits)
                    .maxWaitDuration(Duration.ZERO)
                    .build()));
        }
    },
    /** The JCTools-queue-plus-counter baseline: a CAS-loop acquire, an xadd release plus a queue check. */
    XADD_QUEUE_BASELINE {
        @Override
        AcquireRelease create(final int permits) {
            return new Xadd(new XaddQueueSemaphore(permits));
        }
    };

    /**
     * Creates a fresh semaphore with {@code permits} free permits.
     *
     * @param permits the number of permits
     * @return the op under test
     */
    abstract AcquireRelease create(int permits);

    private static final class Floor implements AcquireRelease {
        private final AtomicInteger counter;

        Floor(final int permits) {
            counter = new AtomicInteger(permits);
        }

        @Override
        public int acquireRelease() {
            return counter.getAndDecrement() + counter.getAndIncrement();
        }

        @Override
        public int available() {
            return counter.get();
        }
    }

    private static final class Ours implements AcquireRelease {
        private final QueueingSemaphore<AdmissionTicket> semaphore;
        private final AdmissionTicket ticket = Tickets.neverWaits();

        Ours(final int permits) {
            semaphore = new QueueingSemaphore<>(permits, AdmissionTicket::tryAdmit);
        }

        @Override
        public int acquireRelease() {
            if (semaphore.acquire(ticket) == null) {
                semaphore.release();
                return 1;
            }
            throw new IllegalStateException("an acquire with free permits waited: not the fast path");
        }

        @Override
        public int available() {
            return (int) semaphore.counter();
        }
    }

    private static final class OursTry implements AcquireRelease {
        private final QueueingSemaphore<AdmissionTicket> semaphore;

        OursTry(final int permits) {
            semaphore = new QueueingSemaphore<>(permits, AdmissionTicket::tryAdmit);
        }

        @Override
        public int acquireRelease() {
            if (semaphore.tryAcquire()) {
                semaphore.release();
                return 1;
            }
            return 0;
        }

        @Override
        public int available() {
            return (int) semaphore.counter();
        }
    }

    private static final class Juc implements AcquireRelease {
        private final Semaphore semaphore;

        Juc(final Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public int acquireRelease() {
            if (semaphore.tryAcquire()) {
                semaphore.release();
                return 1;
            }
            return 0;
        }

        @Override
        public int available() {
            return semaphore.availablePermits();
        }
    }

    private static final class JucTimed0 implements AcquireRelease {
        private final Semaphore semaphore;

        JucTimed0(final Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public int acquireRelease() {
            try {
                if (semaphore.tryAcquire(0L, TimeUnit.NANOSECONDS)) {
                    semaphore.release();
                    return 1;
                }
                return 0;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int available() {
            return semaphore.availablePermits();
        }
    }

    private static final class Kotlinx implements AcquireRelease {
        private final kotlinx.coroutines.sync.Semaphore semaphore;

        Kotlinx(final kotlinx.coroutines.sync.Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public int acquireRelease() {
            if (semaphore.tryAcquire()) {
                semaphore.release();
                return 1;
            }
            return 0;
        }

        @Override
        public int available() {
            return semaphore.getAvailablePermits();
        }
    }

    private static final class Bulkhead implements AcquireRelease {
        private final SemaphoreBulkhead bulkhead;

        Bulkhead(final SemaphoreBulkhead bulkhead) {
            this.bulkhead = bulkhead;
        }

        @Override
        public int acquireRelease() {
            if (bulkhead.tryAcquirePermission()) {
                bulkhead.onComplete();
                return 1;
            }
            return 0;
        }

        @Override
        public int available() {
            return bulkhead.getMetrics().getAvailableConcurrentCalls();
        }
    }

    private static final class Xadd implements AcquireRelease {
        private final XaddQueueSemaphore semaphore;
        private final AdmissionTicket ticket = Tickets.neverWaits();

        Xadd(final XaddQueueSemaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public int acquireRelease() {
            if (semaphore.acquire(ticket)) {
                semaphore.release();
                return 1;
            }
            return 0;
        }

        @Override
        public int available() {
            return semaphore.availablePermits();
        }
    }
}
