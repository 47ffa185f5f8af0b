package io.halfopen.benchmarks;

import io.halfopen.benchmarks.handoff.HandoffGate;
import io.halfopen.benchmarks.handoff.HandoffType;
import io.halfopen.benchmarks.handoff.Lane;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * Issue 5, part 3: every slot is always wanted. Two threads each keep {@code limit} attempts outstanding
 * (twice as many attempts as slots), so every release hands its permit through the queue to the oldest
 * waiter, often the other thread's. One op is one attempt: wait for a permit, hold it {@code holdTokens},
 * release it, start a new attempt. Throughput in ops/s, summed over both threads.
 *
 * <ul>
 *   <li>Ours and the JCTools baseline: waiters are callbacks, a grant is delivered to the owning thread's
 *       continuation without parking.</li>
 *   <li>JUC fair and non-fair: waiters are parked threads.</li>
 * </ul>
 * The JUC rows here are not the same demand (a parked thread waits for one permit at a time, so two threads are
 * two waiters for {@code limit} permits and at limits above 1 never park): the like-for-like JUC rows, with
 * {@code 2 × limit} parked threads, are {@link SaturatedHandoffJucBenchmark}.
 * Compare within the same {@code limit} and {@code holdTokens}. Fair JUC at hold 0 is bimodal from one
 * iteration to the next: read its per-iteration median (report.py prints it), not its mean. Stretch target
 * (anchors.md): ours at least 10× fair JUC's median, strictly FIFO. The tear-down checks that every permit
 * came back and, for the ticket designs, FIFO order on the same instance.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(2)
@State(Scope.Benchmark)
public class SaturatedHandoffBenchmark {

    @Param
    HandoffType type;

    @Param({"1", "4", "10"})
    int limit;

    @Param({"0", "100"})
    int holdTokens;

    HandoffGate gate;
    final List<Lane> lanes = Collections.synchronizedList(new ArrayList<>());

    /** Creates the gate, shared by both threads. */
    @Setup(Level.Trial)
    public void create() {
        gate = type.create(limit);
    }

    /** One thread's lane. */
    @State(Scope.Thread)
    public static class ThreadLane {
        Lane lane;

        /**
         * Starts this thread's {@code limit} attempts.
         *
         * @param benchmark the shared state
         */
        @Setup(Level.Trial)
        public void join(final SaturatedHandoffBenchmark benchmark) {
            lane = benchmark.gate.newLane(benchmark.limit);
            benchmark.lanes.add(lane);
        }
    }

    /**
     * One attempt through a saturated gate.
     *
     * @param thread  this thread's lane
     * @param control JMH's control, to stop waiting at the end of an iteration
     * @return whether an attempt was cycled
     */
    @Benchmark
    public boolean handoff(final ThreadLane thread, final Control control) {
        return thread.lane.cycle(control, holdTokens);
    }

    /** Releases everything, then fails the trial unless every permit came back (and FIFO holds). */
    @TearDown(Level.Trial)
    public void checkAllPermitsBack() {
        gate.finish(lanes, limit);
    }
}
