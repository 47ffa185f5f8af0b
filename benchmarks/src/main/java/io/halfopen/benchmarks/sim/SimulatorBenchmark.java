package io.halfopen.benchmarks.sim;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.sim.engine.EventLoop;
import io.halfopen.sim.host.HostOptions;
import io.halfopen.sim.host.HostRecorder;
import io.halfopen.sim.host.SimHost;
import io.halfopen.sim.net.Addresses;
import io.halfopen.sim.run.Seeds;
import io.halfopen.sim.workload.Workload;
import io.halfopen.sim.workload.WorkloadContext;
import io.halfopen.sim.workload.Workloads;
import io.halfopen.time.VirtualClock;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 18's speed target: simulated attempts per second of wall time, XP's cap against an all-dead scanner
 * (Sasser's 128 blocking threads, every address dropping SYNs: 10 attempts half-open, the rest queued, each slot
 * freed when the stack gives up after 21 s). One op is one simulated attempt, from asking for a slot to its end;
 * each invocation simulates {@value #ATTEMPTS}. Baselines in the same run:
 * <ul>
 *   <li>{@code simulator}: the simulator's whole path: workload, limiter ({@code HalfOpenLimiter} with XP's cap),
 *       the stack's give-up event, on the simulator's {@link EventLoop};</li>
 *   <li>{@code limiterOnVirtualClockStackGivesUp}: the same pattern with no simulator, the limiter alone on
 *       limiter-core's {@link VirtualClock}, the stack's give-up a clock task just before the limiter's timer;
 *       the floor the simulator adds to;</li>
 *   <li>{@code limiterOnVirtualClockTimerAborts}: the same, each attempt ended by the limiter's own half-open
 *       timeout (its {@code abort} callback and {@code HalfOpenTimeoutException}): what the simulator avoids by
 *       letting the stack's give-up come first.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SimulatorBenchmark {

    static final int ATTEMPTS = 100_000;
    static final int THREADS = 128;
    private static final long GIVE_UP = TimeUnit.SECONDS.toNanos(21);

    private final Workload scanner = Workloads.parse("scanner(threads=" + THREADS + ", rate=0, liveShare=0, count="
            + ATTEMPTS + ")");
    private final AdmissionPolicy xp = AdmissionPolicy.halfOpenCap(HalfOpenLimiter.XP_MAX_HALF_OPEN);

    /**
     * The simulator: {@value #ATTEMPTS} attempts of an all-dead scanner through XP's cap.
     *
     * @return the simulated instant at the end (so the work is not dead code)
     */
    @Benchmark
    @OperationsPerInvocation(ATTEMPTS)
    public long simulator() {
        final EventLoop loop = new EventLoop();
        final SimHost host = new SimHost("bench", loop, xp, HostOptions.XP, HostRecorder.NONE);
        scanner.start(new WorkloadContext(host, Seeds.random(1, 0), 0, Long.MAX_VALUE));
        loop.runUntil(Long.MAX_VALUE);
        if (host.limiter().stats().timedOut() != ATTEMPTS) {
            throw new IllegalStateException("expected " + ATTEMPTS + " timed-out attempts, " + host.limiter().stats());
        }
        return loop.nanoTime();
    }

    /**
     * The limiter alone on a {@link VirtualClock}; the stack's give-up is a clock task 1 ns before the limiter's
     * 21 s timer, which is then cancelled.
     *
     * @return the clock's reading at the end
     */
    @Benchmark
    @OperationsPerInvocation(ATTEMPTS)
    public long limiterOnVirtualClockStackGivesUp() {
        return bare(true);
    }

    /**
     * The limiter alone on a {@link VirtualClock}; each attempt is ended by the limiter's half-open timeout.
     *
     * @return the clock's reading at the end
     */
    @Benchmark
    @OperationsPerInvocation(ATTEMPTS)
    public long limiterOnVirtualClockTimerAborts() {
        return bare(false);
    }

    private long bare(final boolean stackGivesUp) {
        final VirtualClock clock = new VirtualClock();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().policy(xp).clock(clock).build();
        final int[] counts = new int[2]; // submitted, ended
        final AttemptListener listener = new AttemptListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
                if (stackGivesUp) {
                    clock.schedule(() -> {
                        attempt.aborted();
                        next(this);
                    }, GIVE_UP - 1, TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
                throw new IllegalStateException(cause);
            }

            @Override
            public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
                attempt.aborted();
                next(this);
            }

            private void next(final AttemptListener self) {
                counts[1]++;
                if (counts[0] < ATTEMPTS) {
                    counts[0]++;
                    limiter.newAttempt(address(counts[0]), self);
                }
            }
        };
        for (int i = 0; i < THREADS; i++) {
            counts[0]++;
            limiter.newAttempt(address(counts[0]), listener);
        }
        while (clock.advanceToNextTask() > 0) {
            // every task that falls due
        }
        if (counts[1] != ATTEMPTS) {
            throw new IllegalStateException("expected " + ATTEMPTS + " ended attempts, " + counts[1]);
        }
        return clock.nanoTime();
    }

    private static InetSocketAddress address(final int n) {
        return Addresses.socket(0x0A000000 | (n * 7919 & 0xFFFFFF), 445);
    }
}
