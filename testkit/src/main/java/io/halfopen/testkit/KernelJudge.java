package io.halfopen.testkit;

import io.halfopen.testkit.internal.Destinations;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The kernel as the judge of "never more than N half-open": watches the sockets in SYN_SENT towards some peers
 * with the exact trace ({@link SynSentTrace}) where it can run, else with the {@code /proc} sampler
 * ({@link SynSentSampler}), and always says which ({@link SynSentVerdict#describe(int)}:
 * {@code peak 10 (traced, exact; limit 10)} or {@code peak 10 (sampled; limit 10)}).
 *
 * <pre>{@code
 * try (SynSentWatch kernel = KernelJudge.watch(List.of(accepting, refusing, dropping))) {
 *     ... a connect storm through the limiter ...
 *     SynSentVerdict verdict = kernel.stop();
 *     verdict.assertNeverAbove(10);
 * }
 * }</pre>
 *
 * <p>Which judge: see {@link JudgeMode}. Under {@code CI=true}, or with {@code -Dhalfopen.judge=trace} (or
 * {@code HALFOPEN_JUDGE=trace}), the trace is required: a watch that cannot trace fails with an error naming
 * what is missing (not Linux, not root, no tracefs, no such tracepoint), never falls back. Otherwise a watch that
 * cannot trace is judged by the sampler, and says so (once per JVM on standard error, and in every verdict).
 * When the trace judges, the sampler runs beside it by default, so that its figures are printed beside the exact
 * ones; {@link Watcher#samplerBeside(boolean)} turns that off (a benchmark does not want a busy core beside it).
 * With {@value #EVIDENCE_PROPERTY} (or {@value #EVIDENCE_VARIABLE}) set to a directory, every watch leaves a file
 * there naming its judge, for CI to check.
 *
 * <p>Thread-safe: every method may be called from any thread; each watch is independent.
 */
public final class KernelJudge {

    /** System property: which judge, {@code trace}, {@code auto} or {@code sample} (see {@link JudgeMode}). */
    public static final String MODE_PROPERTY = "halfopen.judge";
    /** Environment variable, read when {@value #MODE_PROPERTY} is not set. */
    public static final String MODE_VARIABLE = "HALFOPEN_JUDGE";
    /** System property: a directory where each watch leaves a file naming its judge. */
    public static final String EVIDENCE_PROPERTY = "halfopen.judge.evidence";
    /** Environment variable, read when {@value #EVIDENCE_PROPERTY} is not set. */
    public static final String EVIDENCE_VARIABLE = "HALFOPEN_JUDGE_EVIDENCE";
    /**
     * The slowest a judging sampler may watch. A {@code /proc/net/tcp6} read walks the kernel's whole connection
     * hash, 1 to 2 ms here, so back to back it reaches 300 to 800 samples a second on a quiet machine; below this
     * it has stalled and may have missed a peak.
     */
    public static final double MIN_SAMPLES_PER_SECOND = 100;
    /** The fewest samples a judging sampler takes before its watch stops (it waits up to 5 s for them). */
    public static final long MIN_SAMPLES = 100;

    /** The sampler's pause when it judges: none, every sample counts. */
    private static final long JUDGING_INTERVAL_NANOS = 0;
    /** The sampler's pause beside the trace: a millisecond, so that it does not keep a core busy. */
    private static final long BESIDE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final AtomicBoolean FALLBACK_ANNOUNCED = new AtomicBoolean();

    private KernelJudge() {
    }

    /**
     * Watches the sockets in SYN_SENT towards exactly these peers (address and port; an IPv4 peer also matches a
     * dual-stack socket's IPv4-mapped destination), whichever process owns them, from now until the watch stops.
     * The peers must be the test's own (a loopback port it holds, a container or a namespace it made).
     *
     * @param peers the peers, resolved
     * @return the running watch
     * @throws TraceUnavailableException if the trace is required and cannot run here
     */
    public static SynSentWatch watch(final Collection<InetSocketAddress> peers) {
        return new Watcher().label(caller()).watch(peers);
    }

    /**
     * Watches the sockets in SYN_SENT towards any address on these ports. The trace counts every process's
     * sockets; the sampler only this JVM's. Prefer {@link #watch(Collection)}: another process's peer may have
     * the same port on another address.
     *
     * @param ports the peers' ports
     * @return the running watch
     * @throws TraceUnavailableException if the trace is required and cannot run here
     */
    public static SynSentWatch watchPorts(final Collection<Integer> ports) {
        return new Watcher().label(caller()).watchPorts(ports);
    }

    /** {@return a watcher with options: a label, no sampler beside the trace} */
    public static Watcher watcher() {
        return new Watcher().label(caller());
    }

    /**
     * {@return the mode in force now, from {@value #MODE_PROPERTY}, {@value #MODE_VARIABLE} or {@code CI}}
     *
     * @throws IllegalArgumentException if the property or variable names no mode
     */
    public static JudgeMode mode() {
        final String property = System.getProperty(MODE_PROPERTY);
        if (property != null && !property.isBlank()) {
            return JudgeMode.parse(property, "-D" + MODE_PROPERTY);
        }
        final String variable = System.getenv(MODE_VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return JudgeMode.parse(variable, MODE_VARIABLE);
        }
        return underCi() ? JudgeMode.TRACE : JudgeMode.AUTO;
    }

    private static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * {@return empty if the exact trace can judge in this process; else what is missing}
     */
    public static Optional<String> traceUnavailableBecause() {
        return SynSentTrace.unavailableBecause();
    }

    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(frame -> !frame.getClassName().startsWith(KernelJudge.class.getPackageName() + "."))
                .findFirst()
                .map(frame -> {
                    final String name = frame.getClassName();
                    return name.substring(name.lastIndexOf('.') + 1) + "." + frame.getMethodName();
                })
                .orElse("watch"));
    }

    /**
     * Options for a watch. Not thread-safe; each watch it starts is independent.
     */
    public static final class Watcher {
        private String label;
        private boolean samplerBeside = true;

        private Watcher() {
        }

        /**
         * {@return this}
         *
         * @param label what is watched, for the verdict, its messages and the evidence file (default: the
         *              calling class and method)
         */
        public Watcher label(final String label) {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("a watch's label must not be blank, was '" + label + "'");
            }
            this.label = label;
            return this;
        }

        /**
         * {@return this}
         *
         * @param beside whether the sampler runs beside the trace, for its figures (default true); where the
         *               sampler judges, it always runs
         */
        public Watcher samplerBeside(final boolean beside) {
            this.samplerBeside = beside;
            return this;
        }

        /**
         * {@return the running watch}
         *
         * @param peers the peers, resolved
         * @see KernelJudge#watch(Collection)
         */
        public SynSentWatch watch(final Collection<InetSocketAddress> peers) {
            return start(Destinations.exactly(peers));
        }

        /**
         * {@return the running watch}
         *
         * @param ports the peers' ports
         * @see KernelJudge#watchPorts(Collection)
         */
        public SynSentWatch watchPorts(final Collection<Integer> ports) {
            return start(Destinations.onPorts(ports));
        }

        private SynSentWatch start(final Destinations destinations) {
            final JudgeMode mode = mode();
            SynSentTrace trace = null;
            String fallback = null;
            if (mode == JudgeMode.SAMPLE) {
                fallback = MODE_PROPERTY + "=sample";
            } else {
                final Optional<String> missing = SynSentTrace.unavailableBecause();
                if (missing.isPresent()) {
                    if (mode == JudgeMode.TRACE) {
                        final String why = underCi() && System.getProperty(MODE_PROPERTY) == null
                                && System.getenv(MODE_VARIABLE) == null ? "CI=true" : MODE_PROPERTY + "=trace";
                        final String message = label + ": " + why + " requires the exact kernel trace, and it cannot"
                                + " run here: " + missing.get();
                        Evidence.failed(label, mode, Judge.TRACED, message);
                        throw new TraceUnavailableException(message);
                    }
                    fallback = missing.get();
                    if (FALLBACK_ANNOUNCED.compareAndSet(false, true)) {
                        System.err.println("kernel judge: the exact trace cannot run here (" + fallback + "); the"
                                + " /proc sampler judges instead. Set -D" + MODE_PROPERTY + "=trace (CI=true does)"
                                + " to require the trace.");
                    }
                } else {
                    trace = SynSentTrace.start(label, destinations);
                }
            }
            SynSentSampler sampler = null;
            try {
                if (trace == null || samplerBeside) {
                    final long interval = trace == null ? JUDGING_INTERVAL_NANOS : BESIDE_INTERVAL_NANOS;
                    sampler = !destinations.exact() ? SynSentSampler.start(destinations.ports(), interval)
                            : trace == null ? SynSentSampler.startTowards(destinations.all(), interval)
                            : SynSentSampler.startTowards(destinations.all(), interval, 0);
                }
                final int atStart = destinations.exact() ? SynSentSampler.countNowTowards(destinations.all())
                        : SynSentSampler.countNow(destinations.ports());
                return new SynSentWatch(label, mode, destinations, trace, sampler, fallback, atStart);
            } catch (final RuntimeException | Error e) {
                if (sampler != null) {
                    sampler.close();
                }
                if (trace != null) {
                    trace.close();
                }
                throw e;
            }
        }
    }
}
