package io.halfopen.sim.cli;

import io.halfopen.sim.policy.PolicyInfo;
import io.halfopen.sim.report.Charts;
import io.halfopen.sim.report.HostRow;
import io.halfopen.sim.report.Reports;
import io.halfopen.sim.run.HostResult;
import io.halfopen.sim.run.HostRun;
import io.halfopen.sim.run.HostSimulation;
import io.halfopen.sim.run.Progress;
import io.halfopen.sim.run.Sweep;
import io.halfopen.sim.spec.Spec;
import io.halfopen.sim.trace.TraceFile;
import io.halfopen.sim.trace.TraceWriter;
import io.halfopen.sim.workload.Workload;
import io.halfopen.sim.workload.Workloads;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * {@code simulate host}: one host, every policy on the same workload (a mix of synthetic workloads and traces),
 * the same seed; a table, and with {@code --out} CSV, JSON and a latency CDF chart.
 */
@Command(name = "host", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs one host's workload through each policy in virtual time and compares them.",
            "Workloads: desktop, mail, crawler, scanner (several make a mix), e.g. --workload 'scanner(rate=100)';"
                    + " traces with --trace csv:FILE, zeek-tsv:FILE or zeek-json:FILE."})
final class HostCommand implements Callable<Integer> {

    @Option(names = "--policy", paramLabel = "SPEC", defaultValue = "xp;unlimited", split = ";",
            description = "A policy to compare, in spec syntax, e.g. 'halfOpenCap(maxHalfOpen=10)'; repeat it, or"
                    + " separate with ';'. 'simulate policies' lists them. Default: ${DEFAULT-VALUE}.")
    List<String> policies;

    @Option(names = "--workload", paramLabel = "SPEC", description = "A workload on the host; repeat for a mix.")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--trace", paramLabel = "FORMAT:FILE",
            description = "A trace to replay: csv (ours), zeek-tsv or zeek-json (conn.log); repeatable.")
    List<String> traces = new ArrayList<>();

    @Option(names = "--duration", paramLabel = "DURATION", converter = HostOptionsMixin.DurationConverter.class,
            description = "How long the workloads run (simulated). Default: until they run out, or 1h for endless ones.")
    Duration duration;

    @Option(names = "--seed", defaultValue = "1", description = "The seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--param", paramLabel = "NAME=V1,V2,...",
            description = "Sweep a policy's or a workload's parameter, e.g. --param maxHalfOpen=5,10,20,50; repeatable"
                    + " (every combination runs).")
    List<String> params = new ArrayList<>();

    @Option(names = "--write-trace", paramLabel = "FILE",
            description = "Also write the attempts the workload made under the first policy as a CSV trace.")
    Path writeTrace;

    @Mixin
    HostOptionsMixin host;

    @Mixin
    Output output;

    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        final List<Workload> base = new ArrayList<>();
        try {
            for (final String w : workloads) {
                base.add(Workloads.parse(w));
            }
            for (final String t : traces) {
                base.add(TraceFile.workload(t));
            }
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (base.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give at least one --workload or --trace");
        }
        final Duration runFor = duration != null ? duration
                : base.stream().allMatch(Workload::finite) ? null : Duration.ofHours(1);
        final List<HostRun> runs;
        try {
            runs = runs(base, runFor);
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        final Progress progress = output.progress();
        final List<HostRow> rows = new ArrayList<>();
        final Map<String, List<double[]>> curves = new LinkedHashMap<>();
        boolean first = true;
        for (final HostRun run : runs) {
            final TraceWriter recorder = first && writeTrace != null ? TraceWriter.open(writeTrace) : null;
            final HostResult result = HostSimulation.run(run, SimulateCommand.POLICIES, progress, recorder);
            if (recorder != null) {
                recorder.close();
            }
            first = false;
            rows.addAll(HostRow.of(result));
            curves.put(label(run), Charts.cdf(result.metrics().total().latency()));
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.print(Reports.hostTable(rows));
        out.flush();
        if (output.dir != null) {
            Reports.write(output.file("host", ".csv"), Reports.csv(rows, HostRow.class));
            Reports.write(output.file("host", ".json"), Reports.json(new Reports.Document<>(
                    spec.commandLine().getParseResult().originalArgs(), rows, curves)));
            if (!output.noCharts) {
                Charts.latencyCdf(output.file("host", "-latency.png"), "Latency CDF: " + base.stream()
                        .map(w -> w.spec().toString()).reduce((a, b) -> a + " + " + b).orElse(""), curves);
            }
        }
        return 0;
    }

    private List<HostRun> runs(final List<Workload> base, final Duration runFor) {
        final List<HostRun> runs = new ArrayList<>();
        final Set<String> done = new LinkedHashSet<>();
        final List<Map<String, String>> combos;
        try {
            combos = Sweep.combinations(params);
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        for (final String policyText : policies) {
            for (final Map<String, String> combo : combos) {
                Spec policy;
                try {
                    policy = Spec.parse(policyText);
                    SimulateCommand.POLICIES.policy(policy); // fail early, naming the bad policy
                } catch (final IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage(), e);
                }
                final List<Workload> workloadsNow = new ArrayList<>(base);
                final Map<String, String> applied = new LinkedHashMap<>();
                for (final Map.Entry<String, String> p : combo.entrySet()) {
                    boolean used = false;
                    final PolicyInfo info = SimulateCommand.POLICIES.info(policy.name()).orElse(null);
                    if (info != null && info.parameters().containsKey(p.getKey())) {
                        policy = policy.with(p.getKey(), p.getValue());
                        used = true;
                    }
                    for (int i = 0; i < workloadsNow.size(); i++) {
                        final Workload swept = withParam(workloadsNow.get(i), p.getKey(), p.getValue());
                        if (swept != null) {
                            workloadsNow.set(i, swept);
                            used = true;
                        }
                    }
                    if (used) {
                        applied.put(p.getKey(), p.getValue());
                    } else if (!anyTakes(p.getKey(), base)) {
                        throw new ParameterException(spec.commandLine(), "--param " + p.getKey()
                                + " is a parameter of none of the policies and workloads");
                    }
                }
                final String key = policy + " " + applied;
                if (done.add(key)) {
                    runs.add(new HostRun(policy, workloadsNow, runFor, seed, host.options(), applied));
                }
            }
        }
        return runs;
    }

    private boolean anyTakes(final String key, final List<Workload> base) {
        for (final String p : policies) {
            final String name = Spec.parse(p).name();
            if (SimulateCommand.POLICIES.info(name).map(i -> i.parameters().containsKey(key)).orElse(false)) {
                return true;
            }
        }
        return base.stream().anyMatch(w -> takes(w, key));
    }

    /** Whether a workload has a parameter of that name (whatever value it would take). */
    private static boolean takes(final Workload w, final String key) {
        if (TraceFile.isTrace(w)) {
            return false;
        }
        try {
            Workloads.create(w.spec().with(key, "0"));
            return true;
        } catch (final IllegalArgumentException e) {
            return e.getMessage() == null || !e.getMessage().startsWith("unknown parameter");
        }
    }

    /** The workload with one parameter set, or null if it has no such parameter. */
    private Workload withParam(final Workload w, final String key, final String value) {
        if (!takes(w, key)) {
            return null;
        }
        try {
            return Workloads.create(w.spec().with(key, value));
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--param " + key + "=" + value + ": " + e.getMessage(), e);
        }
    }

    private static String label(final HostRun run) {
        final StringBuilder s = new StringBuilder(run.policy().toString());
        run.sweep().forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        return s.toString();
    }
}
