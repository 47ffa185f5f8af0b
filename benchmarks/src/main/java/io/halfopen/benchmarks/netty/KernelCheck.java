package io.halfopen.benchmarks.netty;

import io.halfopen.testkit.JudgeMode;
import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.SynSentVerdict;
import io.halfopen.testkit.SynSentWatch;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A trial's kernel claim: while it ran, the kernel never held more sockets in SYN_SENT towards the loopback server
 * than the benchmark allows (one: ops run one connect at a time), judged by the kernel's trace
 * ({@link KernelJudge}, no sampler beside it: a sampler keeps a core busy and would distort the measurement).
 * Where the trace cannot run (not root), or with {@code -Dhalfopen.judge=sample}, nothing is watched and the
 * tear-down says so: the benchmarks never sample {@code /proc}. Under {@code CI=true} (or
 * {@code -Dhalfopen.judge=trace}) a trial that cannot trace fails.
 *
 * <p>The trace costs the kernel a record per state change (two per connect, filtered to the server's port) and
 * its reader about one wake-up a millisecond; {@code benchmarks/README.md} gives the measured difference.
 *
 * <p>Not thread-safe: the benchmark thread starts it in the set-up and checks it in the tear-down.
 */
public final class KernelCheck {

    private final String label;
    private final SynSentWatch watch; // null when not judged
    private final String notJudged;

    private KernelCheck(final String label, final SynSentWatch watch, final String notJudged) {
        this.label = label;
        this.watch = watch;
        this.notJudged = notJudged;
    }

    /**
     * Starts watching the connects towards {@code server}, if the trace can judge here.
     *
     * @param label  the benchmark and its parameters
     * @param server the loopback server's address
     * @return the check
     */
    public static KernelCheck start(final String label, final InetSocketAddress server) {
        final JudgeMode mode = KernelJudge.mode();
        if (mode == JudgeMode.SAMPLE) {
            return new KernelCheck(label, null, KernelJudge.MODE_PROPERTY + "=sample");
        }
        final String missing = KernelJudge.traceUnavailableBecause().orElse(null);
        if (missing != null && mode == JudgeMode.AUTO) {
            return new KernelCheck(label, null, missing);
        }
        return new KernelCheck(label, KernelJudge.watcher().label(label).samplerBeside(false).watch(List.of(server)),
                null); // under TRACE a missing trace fails here, naming what is missing
    }

    /**
     * Stops watching and fails the trial unless the kernel held at most {@code max} sockets in SYN_SENT towards
     * the server at once (and at least one, if {@code connects} were made); prints the verdict.
     *
     * @param max      the most the benchmark allows at once
     * @param connects how many connects the trial made
     * @throws IllegalStateException if the claim does not hold, or the trace lost events
     */
    public void check(final int max, final long connects) {
        if (watch == null) {
            System.out.println("kernel: not judged (" + notJudged + ")");
            return;
        }
        final SynSentVerdict verdict = watch.stop();
        System.out.println("kernel: " + verdict.summary(max) + " over " + connects + " connects");
        try {
            verdict.assertNeverAbove(max);
            if (connects > 0) {
                verdict.assertReached(1);
            }
        } catch (final AssertionError e) {
            throw new IllegalStateException(label + ": " + e.getMessage(), e);
        }
    }

    /** Stops watching without a verdict (a set-up or trial that failed). */
    public void close() {
        if (watch != null) {
            try {
                watch.close();
            } catch (final RuntimeException e) {
                // the trial already failed, or check() reported it
            }
        }
    }
}
