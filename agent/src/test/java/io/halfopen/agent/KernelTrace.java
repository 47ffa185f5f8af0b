package io.halfopen.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The exact judge of "never more than N connects in SYN_SENT": the kernel's tracepoint
 * {@code sock:inet_sock_set_state} through a private tracefs instance (root), as in the project's
 * {@code research/kernel-trace.md}. Interim: the testkit module's {@code KernelJudge} replaces it once it is on
 * main; every test calls only {@link #judge}, so the swap is one line each.
 *
 * <p>Without root or tracefs the tests that need it are skipped outside CI and fail under {@code CI=true}.
 */
final class KernelTrace implements AutoCloseable {

    private static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    private static final AtomicInteger SERIAL = new AtomicInteger();
    private static final Pattern DPORT = Pattern.compile(" dport=(\\d+) ");

    /** The verdict: the exact peak of SYN_SENT sockets towards the watched ports. */
    record Verdict(int peak, Map<Integer, Integer> peakPerPort, int transitions, int leftAtEnd, long lost) {
        String describe() {
            return "kernel peak " + peak + " sockets in SYN_SENT (traced, exact; " + transitions
                    + " transitions, per port " + peakPerPort + ", left at end " + leftAtEnd + ", lost events "
                    + lost + ")";
        }
    }

    /** A scenario to run under the trace. */
    @FunctionalInterface
    interface Scenario<T> {
        T run() throws Exception;
    }

    /** The scenario's result and the kernel's verdict. */
    record Judged<T>(T result, Verdict verdict) {
    }

    private final Path instance;
    private final Set<Integer> ports;

    private KernelTrace(final Path instance, final Set<Integer> ports) {
        this.instance = instance;
        this.ports = ports;
    }

    /**
     * Runs {@code scenario} under the trace and judges the SYN_SENT sockets towards {@code ports}.
     *
     * @param ports    the peers' ports
     * @param scenario what to run
     * @return its result and the verdict
     * @throws Exception what the scenario throws, or a tracing failure
     */
    static <T> Judged<T> judge(final Set<Integer> ports, final Scenario<T> scenario) throws Exception {
        try (KernelTrace trace = start(ports)) {
            final T result = scenario.run();
            return new Judged<>(result, trace.stop());
        }
    }

    static void assumeAvailable() {
        final String missing = missing();
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("the kernel trace is required under CI=true: " + missing);
        }
        Assumptions.abort("the kernel trace is not available (" + missing + "): run as root");
    }

    private static String missing() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root";
        }
        if (!Files.isDirectory(TRACEFS.resolve("instances"))) {
            try {
                final Process mount = new ProcessBuilder("mount", "-t", "tracefs", "nodev", TRACEFS.toString())
                        .redirectErrorStream(true).start();
                mount.getInputStream().readAllBytes();
                mount.waitFor();
            } catch (final IOException e) {
                return "cannot mount tracefs: " + e;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        if (!Files.isDirectory(TRACEFS.resolve("events/sock/inet_sock_set_state"))) {
            return "no tracepoint sock:inet_sock_set_state under " + TRACEFS;
        }
        return null;
    }

    private static KernelTrace start(final Set<Integer> ports) throws IOException {
        assumeAvailable();
        final Path instance = TRACEFS.resolve("instances/halfopen-agent-" + ProcessHandle.current().pid() + "-"
                + SERIAL.incrementAndGet());
        Files.createDirectory(instance);
        final KernelTrace trace = new KernelTrace(instance, ports);
        write(instance.resolve("buffer_size_kb"), "16384");
        write(instance.resolve("trace_clock"), "mono");
        write(instance.resolve("events/sock/inet_sock_set_state/filter"), "oldstate == 2 || newstate == 2");
        write(instance.resolve("events/sock/inet_sock_set_state/enable"), "1");
        write(instance.resolve("tracing_on"), "1");
        return trace;
    }

    private Verdict stop() throws IOException {
        write(instance.resolve("tracing_on"), "0");
        long lost = 0;
        try (var cpus = Files.list(instance.resolve("per_cpu"))) {
            for (final Path cpu : (Iterable<Path>) cpus::iterator) {
                for (final String line : Files.readAllLines(cpu.resolve("stats"))) {
                    if (line.startsWith("overrun:")) {
                        lost += Long.parseLong(line.substring("overrun:".length()).trim());
                    }
                }
            }
        }
        final Map<Integer, Integer> now = new TreeMap<>();
        final Map<Integer, Integer> peakPerPort = new TreeMap<>();
        int total = 0;
        int peak = 0;
        int transitions = 0;
        for (final String line : Files.readAllLines(instance.resolve("trace"), StandardCharsets.UTF_8)) {
            final Matcher m = DPORT.matcher(line);
            if (!m.find()) {
                continue;
            }
            final int port = Integer.parseInt(m.group(1));
            if (!ports.contains(port)) {
                continue;
            }
            final int step = (line.contains("newstate=TCP_SYN_SENT") ? 1 : 0)
                    - (line.contains("oldstate=TCP_SYN_SENT") ? 1 : 0);
            if (step == 0) {
                continue;
            }
            transitions++;
            final int n = now.merge(port, step, Integer::sum);
            peakPerPort.merge(port, n, Math::max);
            total += step;
            peak = Math.max(peak, total);
        }
        if (lost > 0) {
            throw new AssertionError("the kernel trace lost " + lost + " events: its peak cannot be trusted");
        }
        return new Verdict(peak, peakPerPort, transitions, total, lost);
    }

    private static void write(final Path file, final String value) throws IOException {
        Files.writeString(file, value);
    }

    @Override
    public void close() {
        try {
            write(instance.resolve("tracing_on"), "0");
            write(instance.resolve("events/sock/inet_sock_set_state/enable"), "0");
        } catch (final IOException ignored) {
            // removed below either way
        }
        try {
            Files.delete(instance);
        } catch (final IOException e) {
            System.err.println("could not remove the trace instance " + instance + ": " + e);
        }
    }
}
