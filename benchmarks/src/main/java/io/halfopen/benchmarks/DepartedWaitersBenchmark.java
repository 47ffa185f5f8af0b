package io.halfopen.benchmarks;

import io.halfopen.benchmarks.support.Listeners;
import io.halfopen.benchmarks.support.Tickets;
import io.halfopen.limiter.AttemptState;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenLimiterBuilder;
import io.halfopen.limiter.LimitEventMode;
import io.halfopen.time.VirtualClock;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 10, defect 4: with every slot held, three million attempts queue and are cancelled (or one million are
 * rejected by {@code maxQueued(0)}), and nobody waits; then one release. Measured: that release, single-shot (on main at
 * 0472ade it walked every departed cell: 451 ms after 3 M cancellations); and, printed by the set-up as
 * {@code [retention]} lines, the heap retained after a full GC beyond what the limiter held before (main: 254
 * MB), which the tear-down fails above 1 MB.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(2)
@State(Scope.Thread)
public class DepartedWaitersBenchmark {

    static final int SLOTS = 10;
    static final int CANCELLATIONS = 3_000_000;
    /** Fewer: each rejection builds a QueueFullException with its stack trace, about 10 µs here. */
    static final int REJECTIONS = 1_000_000;
    static final long RETAINED_LIMIT_BYTES = 1L << 20;

    /** How the waiters leave. */
    public enum Departure {
        /** {@code newAttempt} then {@code cancel()}. */
        CANCEL,
        /** {@code newAttempt} with {@code maxQueued(0)}: rejected, each with its QueueFullException. */
        REJECT
    }

    @Param
    Departure departure;

    HalfOpenLimiter limiter;
    ConnectAttempt holder;
    long retainedBytes;
    final Listeners listener = new Listeners();

    /** Fills every slot, lets three million waiters come and go, and measures what stayed on the heap. */
    @Setup(Level.Iteration)
    public void departures() {
        final HalfOpenLimiterBuilder builder = HalfOpenLimiter.builder().clock(new VirtualClock()).maxHalfOpen(SLOTS)
                .limitEvents(LimitEventMode.NEVER);
        if (departure == Departure.REJECT) {
            builder.maxQueued(0);
        }
        limiter = builder.build();
        holder = limiter.newAttempt(Tickets.REMOTE, listener);
        for (int i = 1; i < SLOTS; i++) {
            limiter.newAttempt(Tickets.REMOTE, listener);
        }
        final int departures = departure == Departure.CANCEL ? CANCELLATIONS : REJECTIONS;
        final long before = usedHeapAfterGc();
        for (int i = 0; i < departures; i++) {
            final ConnectAttempt attempt = limiter.newAttempt(Tickets.REMOTE, listener);
            if (departure == Departure.CANCEL) {
                attempt.cancel();
            }
        }
        retainedBytes = usedHeapAfterGc() - before;
        System.out.printf("%n[retention] %s: %,d departures with every slot held retained %,d bytes%n", departure,
                departures, retainedBytes);
    }

    /**
     * The release after the departures.
     *
     * @return the holder's state after it (ESTABLISHED)
     */
    @Benchmark
    public AttemptState releaseAfterDepartures() {
        holder.established();
        return holder.state();
    }

    /** Fails the run if the departures retained more than a megabyte or the release lost its slot. */
    @TearDown(Level.Iteration)
    public void check() {
        if (retainedBytes > RETAINED_LIMIT_BYTES) {
            throw new IllegalStateException(departure + ": " + retainedBytes + " bytes retained by departed waiters");
        }
        PermitCheck.equal("limiter", "half-open after the release", SLOTS - 1, limiter.stats().halfOpen());
        PermitCheck.equal("limiter", "queued after the departures", 0, limiter.stats().queued());
    }

    private static long usedHeapAfterGc() {
        final Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
