package io.halfopen.benchmarks;

import io.halfopen.benchmarks.support.CancellableTicket;
import io.halfopen.benchmarks.support.Listeners;
import io.halfopen.benchmarks.support.Tickets;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimitEventMode;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.policy.AdmissionTicket;
import io.halfopen.policy.internal.QueueingSemaphore;
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
 * Issue 5, part 4: enqueue, then cancel. Every permit is held, so each op's acquire claims a cell and waits;
 * the waiter then leaves the queue (O(1): it flips its own state). Every {@value #SWEEP_EVERY} ops one held
 * permit is released, which skips the cancelled cells behind it (their cost, paid once per cell, is included
 * and amortised), and is taken again. So at most {@value #SWEEP_EVERY} cells are ever pending and memory stays
 * bounded for any run length.
 *
 * <ul>
 *   <li>{@code semaphoreEnqueueCancel}: the bare {@code QueueingSemaphore} with reusable tickets.</li>
 *   <li>{@code limiterEnqueueCancel}: the same through {@code HalfOpenLimiter.newAttempt} and
 *       {@code ConnectAttempt.cancel()}, on a {@link VirtualClock} (no queue timeout, so no timer per queued
 *       attempt). Its ratio to the semaphore row is what the attempt object and its bookkeeping cost.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
@State(Scope.Thread)
public class CancellationBenchmark {

    static final int PERMITS = 10;
    /** A held permit is released and retaken once per this many ops: a power of two. */
    static final int SWEEP_EVERY = 64;
    private static final int TICKETS = 2 * SWEEP_EVERY; // a ticket is reused only after its cell was swept

    QueueingSemaphore<AdmissionTicket> semaphore;
    final CancellableTicket[] tickets = new CancellableTicket[TICKETS];
    long semaphoreOps;

    VirtualClock clock;
    HalfOpenLimiter limiter;
    final Listeners listener = new Listeners();
    final ConnectAttempt[] held = new ConnectAttempt[PERMITS];
    int oldestHeld;
    long limiterOps;

    /** Takes every permit of a fresh semaphore, and fills a fresh limiter with granted attempts. */
    @Setup(Level.Trial)
    public void fill() {
        semaphore = new QueueingSemaphore<>(PERMITS, AdmissionTicket::tryAdmit);
        for (int i = 0; i < PERMITS; i++) {
            if (semaphore.acquire(Tickets.neverWaits()) != null) {
                throw new IllegalStateException("a free permit was not granted");
            }
        }
        for (int i = 0; i < TICKETS; i++) {
            tickets[i] = new CancellableTicket();
        }
        clock = new VirtualClock();
        limiter = HalfOpenLimiter.builder()
                .maxHalfOpen(PERMITS)
                .clock(clock)
                .limitEvents(LimitEventMode.NEVER) // see README: ONCE_PER_EPISODE would fire on every op here
                .build();
        for (int i = 0; i < PERMITS; i++) {
            held[i] = limiter.newAttempt(Tickets.REMOTE, listener);
        }
    }

    /**
     * One waiter queues and leaves, plus 1/{@value #SWEEP_EVERY} of a release that skips cancelled cells.
     *
     * @return whether the cancel won (always, single-threaded)
     */
    @Benchmark
    public boolean semaphoreEnqueueCancel() {
        final CancellableTicket ticket = tickets[(int) (semaphoreOps & (TICKETS - 1))];
        final QueueingSemaphore.Cell cell = semaphore.acquire(ticket.queue());
        if (cell == null) {
            throw new IllegalStateException("an acquire with every permit held did not queue");
        }
        final boolean cancelled = ticket.cancel();
        cell.withdraw(); // gives its count back and its cell to the semaphore
        if ((++semaphoreOps & (SWEEP_EVERY - 1)) == 0) {
            semaphore.release(); // the withdrawals gave their counts back: frees the permit, visits no cell
            if (semaphore.acquire(Tickets.neverWaits()) != null) {
                throw new IllegalStateException("the swept permit was not free");
            }
        }
        return cancelled;
    }

    /**
     * One attempt queues and is cancelled, plus 1/{@value #SWEEP_EVERY} of an attempt that ends (its release
     * skips the cancelled cells) and a new one granted at once.
     *
     * @return whether the cancel ended the attempt (always)
     */
    @Benchmark
    public boolean limiterEnqueueCancel() {
        final boolean cancelled = limiter.newAttempt(Tickets.REMOTE, listener).cancel();
        if ((++limiterOps & (SWEEP_EVERY - 1)) == 0) {
            held[oldestHeld].established();
            held[oldestHeld] = limiter.newAttempt(Tickets.REMOTE, listener);
            oldestHeld = (oldestHeld + 1) % PERMITS;
            clock.runDueTasks(); // drops the ended attempt's cancelled half-open timer: the oldest, so the head
        }
        return cancelled;
    }

    /** Fails the trial unless, once everything held is given back, every permit is free and nobody waits. */
    @TearDown(Level.Trial)
    public void checkAllPermitsBack() {
        for (int i = 0; i < PERMITS; i++) {
            semaphore.release();
        }
        PermitCheck.equal("semaphore", "counter after releasing every held permit", PERMITS, (int) semaphore.counter());
        for (final ConnectAttempt attempt : held) {
            if (!attempt.established()) {
                throw new IllegalStateException("a held attempt had already ended: " + attempt);
            }
        }
        final LimiterStats stats = limiter.stats();
        PermitCheck.equal("limiter", "half-open after the trial", 0, stats.halfOpen());
        PermitCheck.equal("limiter", "queued after the trial", 0, stats.queued());
        PermitCheck.equal("limiter", "failed or timed-out attempts", 0, listener.unexpected());
        PermitCheck.equal("limiter", "cancelled attempts", limiterOps, stats.cancelled());
        clock.runDueTasks();
        PermitCheck.equal("limiter", "pending timers", 0, clock.pendingTasks());
    }
}
