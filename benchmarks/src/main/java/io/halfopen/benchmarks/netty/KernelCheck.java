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
 * Only on request, {@code -Dhalfopen.judge=trace} (or {@code CI=true}): the trace costs each connect a few
 * microseconds (a filtered record per state change, its reader's wake-ups; {@code benchmarks/README.md} gives the
 * measured difference), so a plain run measures without it and its tear-down says the kernel was not judged.
 * With the trace requested, a trial that cannot trace fails, naming what is missing; the benchmarks never sample
 * {@code /proc}.
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
        if (KernelJudge.mode() != JudgeMode.TRACE) {
            return new KernelCheck(label, null, "the trace runs only with -D" + KernelJudge.MODE_PROPERTY
                    + "=trace, since it costs each connect a few microseconds");
        }
        return new KernelCheck(label, KernelJudge.watcher().label(label).samplerBeside(false).watch(List.of(server)),
                null); // a missing trace fails here, naming what is missing
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
