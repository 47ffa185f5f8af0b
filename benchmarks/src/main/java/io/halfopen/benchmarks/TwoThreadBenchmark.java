package io.halfopen.benchmarks;

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

/**
 * Issue 5, part 2: two threads share one semaphore of 10 permits; each takes a free permit and gives it back,
 * so nothing ever waits.
 * JMH reports the per-thread ns/op (total throughput is 2 / score). This group moves 10–30 % between forks,
 * so it forks 6 times by default and only same-run ratios mean anything. Stretch target (anchors.md): at most
 * 1.25× the floor, ahead of every anchor, 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(6)
@Threads(2)
@State(Scope.Benchmark)
public class TwoThreadBenchmark {

    /** Free permits: more than the threads, so no acquire ever waits. */
    static final int PERMITS = UncontendedBenchmark.PERMITS;

    @Param
    AcquireReleaseType type;

    AcquireRelease semaphore;

    /** Creates the semaphore under test, shared by both threads. */
    @Setup(Level.Trial)
    public void create() {
        semaphore = type.create(PERMITS);
    }

    /**
     * One acquire and one release.
     *
     * @return 1 if a permit was taken and returned (the floor: the sum of its old values)
     */
    @Benchmark
    public int acquireRelease() {
        return semaphore.acquireRelease();
    }

    /** Fails the trial unless every permit came back. */
    @TearDown(Level.Trial)
    public void checkAllPermitsBack() {
        PermitCheck.allBack(type, semaphore, PERMITS);
    }
}
