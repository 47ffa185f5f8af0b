package io.halfopen.benchmarks;

import io.halfopen.benchmarks.support.Listeners;
import io.halfopen.benchmarks.support.Tickets;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.micrometer.HalfOpenLimiterMetrics;
import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
 * What binding {@link HalfOpenLimiterMetrics} to a registry costs a connect when a slot is free: one op is
 * {@code newAttempt(remote, listener)} then {@code established()}, on a limiter with the system ticker and a
 * scheduler that arms nothing (so the half-open timer, measured in {@link WholeAttemptBenchmark}, does not hide
 * the metrics). The baseline in the same run is {@code registry=NONE}, the same limiter with no binder.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
@State(Scope.Thread)
public class MicrometerBenchmark {

    private static final Cancellable NOTHING = () -> { };

    /** Which registry the limiter's metrics are bound to. */
    public enum Registry {
        /** No binder: the baseline. */
        NONE,
        /** Micrometer's {@link SimpleMeterRegistry}. */
        SIMPLE,
        /** A {@link PrometheusMeterRegistry}, what a Prometheus server scrapes. */
        PROMETHEUS
    }

    /** The registry under test. */
    @Param
    public Registry registry;

    HalfOpenLimiter limiter;
    MeterRegistry meters;
    HalfOpenLimiterMetrics metrics;
    final Listeners listener = new Listeners();

    /** Builds the limiter and binds its metrics, unless {@link Registry#NONE}. */
    @Setup(Level.Trial)
    public void create() {
        final Scheduler armsNothing = (task, delay, unit) -> NOTHING;
        limiter = HalfOpenLimiter.builder().name("bench").ticker(System::nanoTime).scheduler(armsNothing).build();
        meters = switch (registry) {
            case NONE -> null;
            case SIMPLE -> new SimpleMeterRegistry();
            case PROMETHEUS -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        };
        if (meters != null) {
            metrics = new HalfOpenLimiterMetrics(limiter);
            metrics.bindTo(meters);
        }
    }

    /**
     * A whole attempt, granted at once and established.
     *
     * @return whether {@code established()} ended the attempt
     */
    @Benchmark
    public boolean wholeAttempt() {
        return limiter.newAttempt(Tickets.REMOTE, listener).established();
    }

    /** Checks that every attempt was recorded (when bound) and that none failed. */
    @TearDown(Level.Trial)
    public void check() {
        if (listener.unexpected() != 0) {
            throw new IllegalStateException(listener.unexpected() + " attempts failed or timed out");
        }
        if (meters != null) {
            final long recorded = meters.get("halfopen.queue.wait").timer().count();
            final long granted = limiter.stats().granted();
            if (recorded != granted) {
                throw new IllegalStateException("the binder timed " + recorded + " of " + granted + " attempts");
            }
            metrics.close();
        }
    }
}
