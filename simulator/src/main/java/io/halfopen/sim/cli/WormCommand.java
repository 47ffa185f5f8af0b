package io.halfopen.sim.cli;

import io.halfopen.sim.net.RttDistribution;
import io.halfopen.sim.policy.PolicyInfo;
import io.halfopen.sim.population.Epidemic;
import io.halfopen.sim.population.EpidemicResult;
import io.halfopen.sim.population.EpidemicRun;
import io.halfopen.sim.population.ScanStrategy;
import io.halfopen.sim.report.Charts;
import io.halfopen.sim.report.EpidemicRow;
import io.halfopen.sim.report.Reports;
import io.halfopen.sim.report.SlowdownSeries;
import io.halfopen.sim.run.Progress;
import io.halfopen.sim.run.Sweep;
import io.halfopen.sim.spec.Spec;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code simulate worm}: a worm across a population, once per policy and coverage; a table of the times to 50 %
 * and 90 % infected, and with {@code --out} CSV, JSON, the infection curves' chart and, when more than one
 * coverage ran, the slowdown chart (the time to the stopping share against the coverage).
 */
@Command(name = "worm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulates a worm across a population whose protected share runs the policy under test.",
            "Every infected host scans through its own limiter; 'unlimited' is the baseline and runs once."})
final class WormCommand implements Callable<Integer> {

    @Option(names = "--policy", paramLabel = "SPEC", defaultValue = "unlimited;xp", split = ";",
            description = "A policy for the protected hosts; repeat it, or separate with ';'. Default: ${DEFAULT-VALUE}.")
    List<String> policies;

    @Option(names = "--coverage", paramLabel = "SHARES", defaultValue = "1", split = ",",
            description = "Shares of the vulnerable hosts that run the policy, e.g. 0.5,0.9,1. Default: ${DEFAULT-VALUE}.")
    List<Double> coverages;

    @Option(names = "--space-bits", defaultValue = "24", paramLabel = "BITS",
            description = "The address space holds 2^BITS addresses. Default: ${DEFAULT-VALUE}.")
    int spaceBits;

    @Option(names = "--vulnerable", defaultValue = "100000", paramLabel = "N",
            description = "Vulnerable hosts, at random addresses. Default: ${DEFAULT-VALUE}.")
    int vulnerable;

    @Option(names = "--infected", defaultValue = "10", paramLabel = "N",
            description = "Hosts infected at t = 0. Default: ${DEFAULT-VALUE}.")
    int infected;

    @Option(names = "--live-share", defaultValue = "0.05", paramLabel = "SHARE",
            description = "Share of the other addresses that answer (with a reset); the rest drop SYNs. Default: ${DEFAULT-VALUE}.")
    double liveShare;

    @Option(names = "--strategy", defaultValue = "sasser", paramLabel = "uniform|sasser|blaster",
            description = "How infected hosts pick addresses. Default: ${DEFAULT-VALUE}.")
    String strategy;

    @Option(names = "--threads", defaultValue = "128", paramLabel = "N",
            description = "Blocking scanning threads per infected host (Sasser: 128). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "PER_SECOND",
            description = "Scans per second per infected host at most; 0: only the threads bound it. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--until", defaultValue = "0.9", paramLabel = "SHARE",
            description = "Stop when this share is infected. Default: ${DEFAULT-VALUE}.")
    double until;

    @Option(names = "--max-duration", defaultValue = "30d", paramLabel = "DURATION",
            converter = HostOptionsMixin.DurationConverter.class,
            description = "Stop at this simulated time at the latest. Default: ${DEFAULT-VALUE}.")
    Duration maxDuration;

    @Option(names = "--rtt", defaultValue = "lognormal(median=80ms, sigma=0.8)", paramLabel = "DISTRIBUTION",
            description = "RTT of every answer. Default: ${DEFAULT-VALUE}.")
    String rtt;

    @Option(names = "--seed", defaultValue = "1", description = "The seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--param", paramLabel = "NAME=V1,V2,...",
            description = "Sweep a policy parameter, e.g. --param maxHalfOpen=10,50; repeatable.")
    List<String> params = new ArrayList<>();

    @Mixin
    HostOptionsMixin host;

    @Mixin
    Output output;

    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        final List<EpidemicRun> runs;
        try {
            runs = runs();
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        final Progress progress = output.progress();
        final List<EpidemicRow> rows = new ArrayList<>();
        final List<EpidemicResult> results = new ArrayList<>();
        for (final EpidemicRun run : runs) {
            final EpidemicResult result;
            try {
                result = Epidemic.run(run, SimulateCommand.POLICIES, progress);
            } catch (final IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            results.add(result);
            rows.add(EpidemicRow.of(result));
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.print(Reports.epidemicTable(rows));
        out.flush();
        if (output.dir != null) {
            final double end = results.stream().mapToDouble(r -> r.endNanos() / 1e9).max().orElse(1);
            final boolean hours = end > 2 * 3600;
            final Map<String, List<double[]>> curves = new LinkedHashMap<>();
            for (final EpidemicResult r : results) {
                curves.put(label(r.run()), curve(r, end, hours ? 3600 : 1));
            }
            Reports.write(output.file("worm", ".csv"), Reports.csv(rows, EpidemicRow.class));
            Reports.write(output.file("worm", ".json"), Reports.json(new Reports.Document<>(
                    spec.commandLine().getParseResult().originalArgs(), rows, curves)));
            if (!output.noCharts) {
                Charts.infectionCurves(output.file("worm", "-infection.png"), String.format(Locale.ROOT,
                        "%s worm: %,d vulnerable hosts in 2^%d addresses, %d threads each", strategy, vulnerable,
                        spaceBits, threads), hours ? "hours" : "seconds", curves);
                if (coverages.stream().distinct().count() > 1) {
                    slowdownChart(results, hours);
                }
            }
        }
        return 0;
    }

    private List<EpidemicRun> runs() {
        final ScanStrategy how = ScanStrategy.of(strategy);
        final RttDistribution rtts = RttDistribution.parse(rtt);
        final List<EpidemicRun> runs = new ArrayList<>();
        for (final Map<String, String> combo : Sweep.combinations(params)) {
            for (final String text : policies) {
                Spec policy = Spec.parse(text);
                SimulateCommand.POLICIES.policy(policy);
                final PolicyInfo info = SimulateCommand.POLICIES.info(policy.name()).orElse(null);
                final Map<String, String> applied = new LinkedHashMap<>();
                for (final Map.Entry<String, String> p : combo.entrySet()) {
                    if (info != null && info.parameters().containsKey(p.getKey())) {
                        policy = policy.with(p.getKey(), p.getValue());
                        applied.put(p.getKey(), p.getValue());
                    }
                }
                if (!combo.isEmpty() && applied.isEmpty() && !runs.isEmpty()
                        && runs.stream().anyMatch(r -> r.policy().equals(Spec.parse(text)))) {
                    continue; // a policy without the swept parameter runs once
                }
                final boolean baseline = policy.name().equals("unlimited");
                for (final double coverage : baseline ? List.of(1.0) : coverages) {
                    runs.add(new EpidemicRun(spaceBits, vulnerable, liveShare, infected, how, threads, rate, policy,
                            coverage, until, maxDuration, seed, host.options(), rtts, applied));
                }
            }
        }
        for (final String p : params) {
            final String key = p.substring(0, Math.max(0, p.indexOf('=')));
            final boolean used = policies.stream().map(t -> SimulateCommand.POLICIES.info(Spec.parse(t).name()))
                    .anyMatch(i -> i.map(x -> x.parameters().containsKey(key)).orElse(false));
            if (!used) {
                throw new IllegalArgumentException("--param " + key + " is a parameter of none of the policies");
            }
        }
        return runs;
    }

    /**
     * The time to the stopping share against the coverage, one line per policy (and swept values), the unprotected
     * baseline as a level: drawn when more than one coverage ran and at least two points exist (see
     * {@link SlowdownSeries} for the runs that get none).
     */
    private void slowdownChart(final List<EpidemicResult> results, final boolean hours) throws IOException {
        final SlowdownSeries series = SlowdownSeries.of(results, until, hours ? 3600 : 1);
        if (series.points() < 2) {
            return;
        }
        final String share = SlowdownSeries.percent(until * 100);
        Charts.slowdown(output.file("worm", "-slowdown.png"), String.format(Locale.ROOT,
                "%s worm: time to %s infected against deployment (%,d vulnerable hosts in 2^%d addresses)", strategy,
                share, vulnerable, spaceBits), "time to " + share + " infected (" + (hours ? "hours" : "seconds")
                + ", log scale)", "unlimited (no host limited)", series.baseline(), series.lines());
    }

    private static String label(final EpidemicRun run) {
        final StringBuilder s = new StringBuilder(run.policy().toString());
        run.sweep().forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        if (!run.policy().name().equals("unlimited")) {
            s.append(String.format(Locale.ROOT, ", coverage %.0f %%", run.coverage() * 100));
        }
        return s.toString();
    }

    private static List<double[]> curve(final EpidemicResult r, final double end, final double unit) {
        final List<double[]> points = new ArrayList<>();
        final int steps = 400;
        for (int i = 0; i <= steps; i++) {
            final double t = end * i / steps;
            if (t > r.endNanos() / 1e9) {
                break;
            }
            points.add(new double[] {t / unit, r.infectedShareAt(t)});
        }
        return points;
    }
}
