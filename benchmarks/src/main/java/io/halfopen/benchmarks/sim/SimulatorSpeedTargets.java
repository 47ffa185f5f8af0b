package io.halfopen.benchmarks.sim;

import io.halfopen.sim.host.HostOptions;
import io.halfopen.sim.net.RttDistribution;
import io.halfopen.sim.policy.PolicyLookup;
import io.halfopen.sim.population.Epidemic;
import io.halfopen.sim.population.EpidemicResult;
import io.halfopen.sim.population.EpidemicRun;
import io.halfopen.sim.population.ScanStrategy;
import io.halfopen.sim.run.HostResult;
import io.halfopen.sim.run.HostRun;
import io.halfopen.sim.run.HostSimulation;
import io.halfopen.sim.run.Progress;
import io.halfopen.sim.spec.Spec;
import io.halfopen.sim.workload.Workloads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 18's two whole-run targets, one shot each (wall seconds per run, JIT warm-up included, as a user runs
 * them):
 * <ul>
 *   <li>{@code hourOfWormAndBenignMix}: one simulated hour of a scanner at 1,000 attempts/s beside a benign
 *       desktop, on one host (target: under 2 s), under each {@code policy};</li>
 *   <li>{@code populationToNinetyPercent}: 10^5 vulnerable hosts in 2^24 addresses, each infected host scanning at
 *       100/s with 128 threads through its own XP cap, until 90 % are infected (target: under 60 s). Heavy:
 *       run it alone, {@code -p policy=xp}.</li>
 * </ul>
 * Each forks with the JVM options of the simulator README's command for it: its attempts live long (queued for
 * minutes of simulated time), so a young generation sized to hold a run's allocation saves most of the collections.
 * The population's fork also pre-touches its heap ({@code -XX:+AlwaysPreTouch}), as the command does: that happens as
 * the forked JVM starts, outside the single shot's score, which so leaves out what the README's wall time includes; it
 * holds the whole 12 GiB heap resident beside the JMH parent.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx12g")
@State(Scope.Benchmark)
public class SimulatorSpeedTargets {

    /** The policy of the run. */
    @Param({"xp", "unlimited"})
    public String policy;

    /**
     * One simulated hour of a 1,000/s scanner and a desktop on one host.
     *
     * @return attempts made
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmn1500m", "-XX:+UseParallelGC"}) // the README's command
    public long hourOfWormAndBenignMix() {
        final HostResult r = HostSimulation.run(new HostRun(Spec.parse(policy),
                List.of(Workloads.parse("scanner(rate=1000)"), Workloads.parse("desktop")), Duration.ofHours(1), 1,
                HostOptions.XP, Map.of()), PolicyLookup.builtIn(), Progress.NONE);
        return r.metrics().total().submitted();
    }

    /**
     * A worm across 10^5 vulnerable hosts to 90 % infected.
     *
     * @return scans that went out
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-Xms12g", "-Xmn9g", "-XX:+UseParallelGC",
        "-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch"}) // the README's command
    public long populationToNinetyPercent() {
        final EpidemicResult r = Epidemic.run(new EpidemicRun(24, 100_000, 0.05, 10, ScanStrategy.UNIFORM, 128, 100,
                Spec.parse(policy), 1, 0.9, Duration.ofDays(30), 1, HostOptions.XP,
                RttDistribution.parse("lognormal(median=80ms, sigma=0.8)"), Map.of()), PolicyLookup.builtIn(),
                Progress.NONE);
        System.out.printf("%n%s: 90 %% infected at %.0f simulated s, %d scans, %d events%n", policy,
                r.secondsTo(0.9), r.scans(), r.events());
        return r.scans();
    }
}
