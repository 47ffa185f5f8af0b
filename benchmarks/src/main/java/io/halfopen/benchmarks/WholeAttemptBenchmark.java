package io.halfopen.benchmarks;

import io.halfopen.benchmarks.support.Listeners;
import io.halfopen.benchmarks.support.ThreadPoolScheduler;
import io.halfopen.benchmarks.support.NoTimers;
import io.halfopen.benchmarks.support.Tickets;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.policy.AdmissionTicket;
import io.halfopen.policy.internal.QueueingSemaphore;
import io.halfopen.time.Scheduler;
import io.halfopen.time.TimerWheel;
import io.halfopen.time.VirtualClock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 5, part 5: what a real connect pays the limiter when a slot is free. One op is
 * {@code newAttempt(remote, listener)} (granted at once, the listener's {@code granted} runs before it
 * returns) then {@code established()} (the slot is freed, the half-open timer cancelled). Baselines in the
 * same run, from cheapest to dearest:
 * <ul>
 *   <li>{@code bareSemaphore}: the semaphore pair alone, what the limiter is built on (the ratio's base);</li>
 *   <li>{@code limiterNoTimer}: the limiter with a constant ticker and a scheduler that arms nothing: the
 *       attempt object and its state machine;</li>
 *   <li>{@code limiterVirtualClock}: a {@link VirtualClock} as ticker and scheduler: a timer per attempt in a
 *       locked priority queue, never fired;</li>
 *   <li>{@code limiterSystemScheduler}: the defaults, {@code System.nanoTime()} and the shared
 *       {@link TimerWheel} ({@code Scheduler.system()}): a real 21 s half-open timer armed and disarmed per
 *       attempt, the attempt its own timer node (the goal: at most 150 ns and 100 B/op, beside the no-timer
 *       row of the same run);</li>
 *   <li>{@code limiterThreadPoolScheduler}: the same on a {@link ThreadPoolScheduler}, the
 *       {@code ScheduledThreadPoolExecutor} that was the system scheduler before the wheel: what the wheel
 *       replaced, in the same run.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
@State(Scope.Thread)
public class WholeAttemptBenchmark {

    static final int MAX_HALF_OPEN = HalfOpenLimiter.XP_MAX_HALF_OPEN;
    /** The virtual clock's cancelled timers are dropped once per this many ops (a power of two). */
    static final int PURGE_EVERY = 1024;

    QueueingSemaphore<AdmissionTicket> semaphore;
    final Listeners listener = new Listeners();
    HalfOpenLimiter noTimer;
    VirtualClock clock;
    HalfOpenLimiter virtualClock;
    HalfOpenLimiter systemScheduler;
    ThreadPoolScheduler threadPool;
    HalfOpenLimiter threadPoolScheduler;
    long virtualOps;

    /** Creates the semaphore and the three limiters, each with {@value #MAX_HALF_OPEN} free slots. */
    @Setup(Level.Trial)
    public void create() {
        semaphore = new QueueingSemaphore<>(MAX_HALF_OPEN, AdmissionTicket::tryAdmit);
        final Scheduler armsNothing = NoTimers.SCHEDULER;
        noTimer = HalfOpenLimiter.builder().ticker(() -> 0L).scheduler(armsNothing).build();
        clock = new VirtualClock();
        virtualClock = HalfOpenLimiter.builder().clock(clock).build();
        systemScheduler = HalfOpenLimiter.builder().build();
        threadPool = new ThreadPoolScheduler("thread-pool-timer");
        threadPoolScheduler = HalfOpenLimiter.builder().scheduler(threadPool).build();
    }

    /**
     * The semaphore pair the limiter is built on.
     *
     * @return 1 if the permit was taken and returned
     */
    @Benchmark
    public int bareSemaphore() {
        if (semaphore.acquire(Tickets.neverWaits()) == null) {
            semaphore.release();
            return 1;
        }
        return 0;
    }

    /**
     * A whole attempt without timers.
     *
     * @return whether {@code established()} ended the attempt
     */
    @Benchmark
    public boolean limiterNoTimer() {
        return noTimer.newAttempt(Tickets.REMOTE, listener).established();
    }

    /**
     * A whole attempt with a virtual half-open timer.
     *
     * @return whether {@code established()} ended the attempt
     */
    @Benchmark
    public boolean limiterVirtualClock() {
        final boolean ended = virtualClock.newAttempt(Tickets.REMOTE, listener).established();
        if ((++virtualOps & (PURGE_EVERY - 1)) == 0) {
            clock.runDueTasks(); // the clock keeps cancelled timers until it runs; drop them, memory stays flat
        }
        return ended;
    }

    /**
     * A whole attempt with a real half-open timer.
     *
     * @return whether {@code established()} ended the attempt
     */
    @Benchmark
    public boolean limiterSystemScheduler() {
        return systemScheduler.newAttempt(Tickets.REMOTE, listener).established();
    }

    /**
     * A whole attempt with a real half-open timer on the thread-pool scheduler the wheel replaced.
     *
     * @return whether {@code established()} ended the attempt
     */
    @Benchmark
    public boolean limiterThreadPoolScheduler() {
        return threadPoolScheduler.newAttempt(Tickets.REMOTE, listener).established();
    }

    /** Fails the trial unless every slot is free and every attempt ended as established. */
    @TearDown(Level.Trial)
    public void checkAllPermitsBack() {
        PermitCheck.equal("semaphore", "counter after the trial", MAX_HALF_OPEN, (int) semaphore.counter());
        PermitCheck.equal("thread-pool scheduler", "timers left in its queue", 0, threadPool.pending());
        threadPool.shutdown();
        for (final HalfOpenLimiter limiter : new HalfOpenLimiter[] {noTimer, virtualClock, systemScheduler,
            threadPoolScheduler}) {
            final LimiterStats stats = limiter.stats();
            PermitCheck.equal(limiter, "half-open after the trial", 0, stats.halfOpen());
            PermitCheck.equal(limiter, "queued after the trial", 0, stats.queued());
            PermitCheck.equal(limiter, "attempts not established", stats.granted(), stats.established());
        }
        PermitCheck.equal("limiters", "failed or timed-out attempts", 0, listener.unexpected());
        clock.runDueTasks();
        PermitCheck.equal("virtual clock", "pending timers", 0, clock.pendingTasks());
    }
}
