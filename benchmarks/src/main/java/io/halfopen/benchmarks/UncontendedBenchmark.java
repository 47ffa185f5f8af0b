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
 * Issue 5, part 1: one thread takes a free permit and gives it back, 10 permits, so nothing ever waits.
 * Ours against the floor (two locked xadds) and every anchor, in the same run. Target (anchors.md): at most
 * 1.1× the floor, 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
@State(Scope.Thread)
public class UncontendedBenchmark {

    /** Free permits: more than the threads, so no acquire ever waits. */
    static final int PERMITS = 10;

    @Param
    AcquireReleaseType type;

    AcquireRelease semaphore;

    /** Creates the semaphore under test. */
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
