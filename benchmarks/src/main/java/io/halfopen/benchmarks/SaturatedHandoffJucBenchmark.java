package io.halfopen.benchmarks;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.Control;

/**
 * The JUC baselines of the saturated hand-off with the same outstanding demand as ours. A blocked
 * thread waits for one permit at a time, so keeping {@code 2 × limit} acquires outstanding for {@code limit}
 * permits takes {@code 2 × limit} threads: one JMH group per limit ({@code fairLimit1} runs 2 threads,
 * {@code fairLimit4} 8, {@code fairLimit10} 20), every thread cycling one attempt: wait for a permit (parked),
 * hold it {@code holdTokens}, release it. Throughput is summed over the group's threads, so a row is directly
 * comparable with {@link SaturatedHandoffBenchmark}'s ticket rows of the same limit and hold, whose two threads
 * keep {@code limit} attempts each outstanding: {@code 2 × limit} in both.
 *
 * <p>{@code fair*}: {@code new Semaphore(limit, true)}, FIFO among parked threads: the anchor. {@code nonFair*}:
 * the releaser may barge back in; not FIFO, not a target. The wait is {@code tryAcquire(1, MILLISECONDS)} in a loop
 * (it parks the same way) so that a thread can leave at the end of an iteration. The tear-down checks that every
 * permit came back and no thread is left queued.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class SaturatedHandoffJucBenchmark {

    @Param({"0", "100"})
    int holdTokens;

    /** One group's semaphore. */
    abstract static class Gate {
        final int limit;
        final Semaphore semaphore;

        Gate(final int limit, final boolean fair) {
            this.limit = limit;
            this.semaphore = new Semaphore(limit, fair);
        }

        boolean cycle(final Control control, final int holdTokens) {
            try {
                while (!semaphore.tryAcquire(1L, TimeUnit.MILLISECONDS)) {
                    if (control.stopMeasurement) {
                        return false;
                    }
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a permit", e);
            }
            Blackhole.consumeCPU(holdTokens);
            semaphore.release();
            return true;
        }

        /** Fails the trial unless every permit is back and nobody waits. */
        @TearDown(Level.Trial)
        public void checkAllPermitsBack() {
            if (semaphore.availablePermits() != limit || semaphore.hasQueuedThreads()) {
                throw new IllegalStateException(getClass().getSimpleName() + " after the trial: "
                        + semaphore.availablePermits() + " free permits, expected " + limit + "; queued threads: "
                        + semaphore.hasQueuedThreads());
            }
        }
    }

    /** Fair, 1 permit. */
    @State(Scope.Group)
    public static class Fair1 extends Gate {
        /** Creates the semaphore. */
        public Fair1() {
            super(1, true);
        }
    }

    /** Fair, 4 permits. */
    @State(Scope.Group)
    public static class Fair4 extends Gate {
        /** Creates the semaphore. */
        public Fair4() {
            super(4, true);
        }
    }

    /** Fair, 10 permits. */
    @State(Scope.Group)
    public static class Fair10 extends Gate {
        /** Creates the semaphore. */
        public Fair10() {
            super(10, true);
        }
    }

    /** Non-fair, 1 permit. */
    @State(Scope.Group)
    public static class NonFair1 extends Gate {
        /** Creates the semaphore. */
        public NonFair1() {
            super(1, false);
        }
    }

    /** Non-fair, 4 permits. */
    @State(Scope.Group)
    public static class NonFair4 extends Gate {
        /** Creates the semaphore. */
        public NonFair4() {
            super(4, false);
        }
    }

    /** Non-fair, 10 permits. */
    @State(Scope.Group)
    public static class NonFair10 extends Gate {
        /** Creates the semaphore. */
        public NonFair10() {
            super(10, false);
        }
    }

    /**
     * Fair, limit 1, 2 threads.
     *
     * @param gate    the group's semaphore
     * @param control JMH's control
     * @return whether an attempt was cycled
     */
    @Benchmark
    @Group("fairLimit1")
    @GroupThreads(2)
    public boolean fairLimit1(final Fair1 gate, final Control control) {
        return gate.cycle(control, holdTokens);
    }

    /**
     * Fair, limit 4, 8 threads.
     *
     * @param gate    the group's semaphore
     * @param control JMH's control
     * @return whether an attempt was cycled
     */
    @Benchmark
    @Group("fairLimit4")
    @GroupThreads(8)
    public boolean fairLimit4(final Fair4 gate, final Control control) {
        return gate.cycle(control, holdTokens);
    }

    /**
     * Fair, limit 10, 20 threads.
     *
     * @param gate    the group's semaphore
     * @param control JMH's control
     * @return whether an attempt was cycled
     */
    @Benchmark
    @Group("fairLimit10")
    @GroupThreads(20)
    public boolean fairLimit10(final Fair10 gate, final Control control) {
        return gate.cycle(control, holdTokens);
    }

    /**
     * Non-fair, limit 1, 2 threads.
     *
     * @param gate    the group's semaphore
     * @param control JMH's control
     * @return whether an attempt was cycled
     */
    @Benchmark
    @Group("nonFairLimit1")
    @GroupThreads(2)
    public boolean nonFairLimit1(final NonFair1 gate, final Control control) {
        return gate.cycle(control, holdTokens);
    }

    /**
     * Non-fair, limit 4, 8 threads.
     *
     * @param gate    the group's semaphore
     * @param control JMH's control
     * @return whether an attempt was cycled
     */
    @Benchmark
    @Group("nonFairLimit4")
    @GroupThreads(8)
    public boolean nonFairLimit4(final NonFair4 gate, final Control control) {
        return gate.cycle(control, holdTokens);
    }

    /**
     * Non-fair, limit 10, 20 threads.
     *
     * @param gate    the group's semaphore
     * @param control JMH's control
     * @return whether an attempt was cycled
     */
    @Benchmark
    @Group("nonFairLimit10")
    @GroupThreads(20)
    public boolean nonFairLimit10(final NonFair10 gate, final Control control) {
        return gate.cycle(control, holdTokens);
    }
}
