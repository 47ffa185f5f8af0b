package io.halfopen.benchmarks;

import io.halfopen.benchmarks.support.Listeners;
import io.halfopen.benchmarks.support.Tickets;
import io.halfopen.limiter.AttemptState;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.time.VirtualClock;
import java.time.Duration;
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
 * What each policy of the registry costs per attempt that it lets go at once, beside XP's cap
 * ({@code policy=xp}, the ratio's base) in the same run. One op is a whole attempt through the real limiter on a
 * {@link VirtualClock}: {@code newAttempt(remote, listener)} (granted before it returns), {@code established()},
 * then one microsecond of virtual time, so that the policies that read time (a rate, a window, a release
 * interval) see a host making a million attempts a second, one at a time, to one destination it knows. The
 * limiter's half-open timeout is 1 ms, so the virtual clock drops each attempt's cancelled timer a thousand ops
 * later and its queue stays at about a thousand entries.
 *
 * <p>Each policy is named in the registry's syntax, with parameters that let every such attempt go at once
 * (the fast path; a held attempt's cost is the queue's, measured elsewhere): a token bucket of 2 per µs, a window
 * of 10 per µs, Williamson's working set holding the destination (the trial's first attempt is released by
 * advancing the clock until it is granted), the scan detectors on a destination the host has reached (not a
 * first contact). Every policy is within XP's cap of 10. The tear-down fails the trial unless every attempt was granted and
 * established and nothing is left half-open or queued.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class PolicyAttemptBenchmark {

    /** The policy, in the registry's syntax. */
    @Param({
        "xp",
        "unlimited",
        "fixedRate(interval=1s, within=halfOpenCap(10))",
        "tokenBucket(rate=2000000, burst=10, within=halfOpenCap(10))",
        "slidingWindow(attempts=10, window=1us, within=halfOpenCap(10))",
        "williamson(within=halfOpenCap(10))",
        "aimd(initial=10, min=1, max=100)",
        "perDestination(k=2, within=halfOpenCap(10))",
        "deadDestination",
        "failureRate",
        "creditBased",
        "thresholdRandomWalk"
    })
    public String policy;

    final Listeners listener = new Listeners();
    VirtualClock clock;
    HalfOpenLimiter limiter;
    long ops;

    /** Builds the limiter and makes the destination known (and Williamson's working set hold it). */
    @Setup(Level.Trial)
    public void create() {
        clock = new VirtualClock();
        // a half-open timeout of 1 ms (1000 ops): each attempt's cancelled timer falls due and is dropped by the
        // clock soon, so its queue stays small instead of holding 21 s (21 million ops) of cancelled timers
        limiter = HalfOpenLimiter.builder().clock(clock).policy(policy).halfOpenTimeout(Duration.ofMillis(1)).build();
        final ConnectAttempt first = limiter.newAttempt(Tickets.REMOTE, listener);
        for (int ms = 0; ms < 2000 && first.state() == AttemptState.QUEUED; ms++) {
            clock.advance(1, TimeUnit.MILLISECONDS); // Williamson releases it at the end of its first second
        }
        if (!first.established()) {
            throw new IllegalStateException(policy + ": the trial's first attempt was not granted within 1 s");
        }
    }

    /**
     * One whole attempt that the policy lets go at once, then a microsecond.
     *
     * @return whether {@code established()} ended the attempt
     */
    @Benchmark
    public boolean attempt() {
        final boolean ended = limiter.newAttempt(Tickets.REMOTE, listener).established();
        clock.advance(1, TimeUnit.MICROSECONDS);
        ops++;
        return ended;
    }

    /** Fails the trial unless every attempt went at once and ended as established. */
    @TearDown(Level.Trial)
    public void checkEveryAttemptWentAtOnce() {
        final LimiterStats stats = limiter.stats();
        PermitCheck.equal(limiter, "half-open after the trial", 0, stats.halfOpen());
        PermitCheck.equal(limiter, "queued after the trial", 0, stats.queued());
        PermitCheck.equal(limiter, "attempts not established", stats.granted(), stats.established());
        PermitCheck.equal(limiter, "attempts not granted", ops + 1, stats.granted());
        PermitCheck.equal("limiter", "failed or timed-out attempts", 0, listener.unexpected());
        limiter.close();
    }
}
