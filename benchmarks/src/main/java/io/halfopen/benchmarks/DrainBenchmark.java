package io.halfopen.benchmarks;

import io.halfopen.benchmarks.support.NoTimers;
import io.halfopen.benchmarks.support.Tickets;
import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.limiter.LimitEventMode;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.policy.AdmissionTicket;
import io.halfopen.policy.internal.QueueingSemaphore;
import io.halfopen.time.Scheduler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Draining a deep queue. {@value #WAITERS} attempts wait behind XP's 10 slots, all held; one op is one
 * of them granted, by a single releasing thread. Single shot per iteration (the set-up queues a fresh million
 * each time, outside the measurement); the score is ns per grant, so grants per second are 10^9 / score (goal:
 * at least 2 M grants/s, a score of at most 500 ns). Rows ({@code kind}):
 * <ul>
 *   <li>{@code SEMAPHORE}: the bare {@link QueueingSemaphore}: one thread releases {@value #WAITERS} times, each
 *       release hands the permit to the oldest waiter, which takes it;</li>
 *   <li>{@code LIMITER_NO_TIMER}: the limiter, whose scheduler arms nothing: one holder reports
 *       {@code established()}, and every grant's callback reports {@code established()} at once, so the whole
 *       queue drains on that thread through the grant trampoline (each grant frees the slot for the next);</li>
 *   <li>{@code LIMITER_SYSTEM_SCHEDULER}: the same on the defaults: each grant arms its half-open timer on the
 *       shared timer wheel, and its report disarms it.</li>
 * </ul>
 * The tear-down checks that every waiter was granted once and everything is back: all slots free, nobody queued,
 * no timer left armed.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class DrainBenchmark {

    static final int WAITERS = 1_000_000;
    static final int SLOTS = HalfOpenLimiter.XP_MAX_HALF_OPEN;

    /** What drains. */
    public enum Kind { SEMAPHORE, LIMITER_NO_TIMER, LIMITER_SYSTEM_SCHEDULER }

    @Param
    Kind kind;

    QueueingSemaphore<AdmissionTicket> semaphore;
    final CountingTicket ticket = new CountingTicket();
    HalfOpenLimiter limiter;
    final ReportsAtOnce reporter = new ReportsAtOnce();
    ConnectAttempt[] holders;

    /** Queues {@value #WAITERS} waiters behind {@value #SLOTS} held slots. */
    @Setup(Level.Iteration)
    public void queue() {
        ticket.granted = 0;
        reporter.granted = 0;
        if (kind == Kind.SEMAPHORE) {
            semaphore = new QueueingSemaphore<>(SLOTS, AdmissionTicket::tryAdmit);
            for (int i = 0; i < SLOTS; i++) {
                check(semaphore.acquire(Tickets.neverWaits()) == null, "a free permit was not taken");
            }
            for (int i = 0; i < WAITERS; i++) {
                check(semaphore.acquire(ticket) != null, "a waiter took a permit");
            }
            return;
        }
        final Scheduler armsNothing = NoTimers.SCHEDULER;
        limiter = (kind == Kind.LIMITER_NO_TIMER ? HalfOpenLimiter.builder().ticker(() -> 0L).scheduler(armsNothing)
                : HalfOpenLimiter.builder()).limitEvents(LimitEventMode.NEVER).build();
        holders = new ConnectAttempt[SLOTS];
        final Holds holds = new Holds();
        for (int i = 0; i < SLOTS; i++) {
            holders[i] = limiter.newAttempt(Tickets.REMOTE, holds);
        }
        for (int i = 0; i < WAITERS; i++) {
            limiter.newAttempt(Tickets.REMOTE, reporter);
        }
        check(limiter.stats().queued() == WAITERS, "queued " + limiter.stats());
    }

    /**
     * Grants every waiter from one thread.
     *
     * @return how many were granted
     */
    @Benchmark
    @OperationsPerInvocation(WAITERS)
    public int drain() {
        if (kind == Kind.SEMAPHORE) {
            for (int i = 0; i < WAITERS; i++) {
                semaphore.release(); // a holder's permit, then each granted waiter's, to the next waiter
            }
            return ticket.granted;
        }
        holders[0].established(); // its slot goes to the oldest waiter, whose report frees it for the next, ...
        return reporter.granted;
    }

    /** Checks that every waiter was granted once, then frees everything. */
    @TearDown(Level.Iteration)
    public void checkDrained() {
        if (kind == Kind.SEMAPHORE) {
            PermitCheck.equal("semaphore", "waiters granted", WAITERS, ticket.granted);
            for (int i = 0; i < SLOTS; i++) {
                semaphore.release();
            }
            PermitCheck.equal("semaphore", "counter after the drain", SLOTS, semaphore.counter());
            semaphore = null;
            return;
        }
        PermitCheck.equal(kind, "waiters granted", WAITERS, reporter.granted);
        for (int i = 1; i < SLOTS; i++) {
            holders[i].established();
        }
        final LimiterStats stats = limiter.stats();
        PermitCheck.equal(kind, "half-open after the drain", 0, stats.halfOpen());
        PermitCheck.equal(kind, "queued after the drain", 0, stats.queued());
        PermitCheck.equal(kind, "established", WAITERS + SLOTS, stats.established());
        PermitCheck.equal(kind, "failed or timed out", 0, stats.failed() + stats.timedOut() + reporter.unexpected);
        limiter = null;
        holders = null;
    }

    private static void check(final boolean condition, final String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }

    /** A waiter of the bare semaphore: counts its grant. */
    static final class CountingTicket implements AdmissionTicket {
        int granted;

        @Override
        public InetSocketAddress remote() {
            return Tickets.REMOTE;
        }

        @Override
        public boolean tryAdmit() {
            granted++;
            return true;
        }
    }

    /** The owners of the waiting attempts: each reports its connect established as soon as it is granted. */
    static final class ReportsAtOnce implements AttemptListener {
        int granted;
        int unexpected;

        @Override
        public void granted(final ConnectAttempt attempt) {
            granted++;
            attempt.established();
        }

        @Override
        public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
            unexpected++;
        }

        @Override
        public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
            unexpected++;
        }
    }

    /** The owners of the held slots: they report when the benchmark says. */
    static final class Holds implements AttemptListener {
        @Override
        public void granted(final ConnectAttempt attempt) {
            // reported by the benchmark
        }

        @Override
        public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
            throw new IllegalStateException(cause);
        }

        @Override
        public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
            throw new IllegalStateException("a holder's half-open timer fired: " + cause.getMessage());
        }
    }
}
