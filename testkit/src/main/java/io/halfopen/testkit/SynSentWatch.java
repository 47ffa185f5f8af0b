package io.halfopen.testkit;

import io.halfopen.testkit.internal.Destinations;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A running watch of the sockets in SYN_SENT towards some peers, from {@link KernelJudge#watch} to
 * {@link #stop()}: the trace when it judges (with the sampler beside it, unless told otherwise), or the sampler.
 * Use it in a try-with-resources block, so that its tracefs instance and threads go even when the test fails:
 *
 * <pre>{@code
 * try (SynSentWatch kernel = KernelJudge.watch(peers)) {
 *     ... connect ...
 *     SynSentVerdict verdict = kernel.stop();
 *     System.out.println(verdict.summary(LIMIT));   // peak 10 (traced, exact; limit 10), ...
 *     verdict.assertNeverAbove(LIMIT);
 *     verdict.assertReached(LIMIT);                  // where the scenario saturates
 * }
 * }</pre>
 *
 * <p>Thread-safe: {@link #countNow()} may be called from any thread while the watch runs.
 */
public final class SynSentWatch implements AutoCloseable {

    private final String label;
    private final JudgeMode mode;
    private final Destinations destinations;
    private final SynSentTrace trace;      // null when the sampler judges
    private final SynSentSampler sampler;  // null when none runs
    private final String fallback;
    private final int synSentAtStart;
    private final long startNanos;
    private SynSentVerdict verdict;        // guarded by this
    private RuntimeException failure;      // guarded by this

    SynSentWatch(final String label, final JudgeMode mode, final Destinations destinations, final SynSentTrace trace,
            final SynSentSampler sampler, final String fallback, final int synSentAtStart) {
        this.label = label;
        this.mode = mode;
        this.destinations = destinations;
        this.trace = trace;
        this.sampler = sampler;
        this.fallback = fallback;
        this.synSentAtStart = synSentAtStart;
        this.startNanos = System.nanoTime();
    }

    /** {@return the judge that will give the verdict} */
    public Judge judge() {
        return trace != null ? Judge.TRACED : Judge.SAMPLED;
    }

    /** {@return what is watched} */
    public String label() {
        return label;
    }

    /**
     * Counts the sockets in SYN_SENT towards the peers now: exactly, every transition before the call, when
     * traced; by one walk of {@code /proc/net/tcp*} when sampled (a socket that left SYN_SENT a moment ago may
     * still be listed, or one that entered not yet).
     *
     * @return the count
     */
    public int countNow() {
        if (trace != null) {
            return trace.countNow();
        }
        return destinations.exact() ? SynSentSampler.countNowTowards(destinations.all())
                : SynSentSampler.countNow(destinations.ports());
    }

    /**
     * {@return the sockets in SYN_SENT towards it now}
     *
     * @param peer one of the watched peers (exact peers only)
     * @throws IllegalArgumentException if the watch is on ports, or the peer is not watched
     */
    public int countNow(final InetSocketAddress peer) {
        if (!destinations.exact() || !destinations.all().contains(peer)) {
            throw new IllegalArgumentException(peer + " is not one of the watched peers " + destinations);
        }
        return trace != null ? trace.countNow(peer) : SynSentSampler.countNowTowards(List.of(peer));
    }

    /**
     * Stops watching and gives the verdict. Idempotent: later calls return the same verdict (or throw the same
     * failure). Leaves evidence of the judge used when {@value KernelJudge#EVIDENCE_PROPERTY} is set.
     *
     * @return the verdict
     * @throws IllegalStateException if the trace lost events or was otherwise not exact
     */
    public synchronized SynSentVerdict stop() {
        if (failure != null) {
            throw failure;
        }
        if (verdict != null) {
            return verdict;
        }
        SamplerFigures figures = null;
        try {
            if (sampler != null) {
                if (trace == null) {
                    awaitSamples(sampler);
                }
                figures = SamplerFigures.of(sampler.stop());
            }
        } catch (final RuntimeException e) {
            failure = e;
        } finally {
            if (trace != null) {
                try {
                    verdict = trace.verdict(figures, label, synSentAtStart);
                } catch (final RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            } else if (failure == null) {
                verdict = new SynSentVerdict(label, Judge.SAMPLED, Duration.ofNanos(System.nanoTime() - startNanos),
                        destinations, null, startNanos, figures, fallback, synSentAtStart);
            }
        }
        if (failure != null) {
            Evidence.failed(label, mode, judge(), failure.getMessage());
            throw failure;
        }
        Evidence.record(verdict, mode);
        return verdict;
    }

    /**
     * Lets a judging sampler take {@value KernelJudge#MIN_SAMPLES} samples at least (for 5 s at most), so that a
     * scenario that ended within milliseconds is still watched a while past its last connect.
     */
    private static void awaitSamples(final SynSentSampler sampler) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sampler.samples() < KernelJudge.MIN_SAMPLES && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the sampler runs on its own thread
        }
    }

    /**
     * Stops the watch if it still runs (its verdict, or failure, is kept for {@link #stop()}); once stopped, does
     * nothing, so that a failure {@link #stop()} threw is not thrown again at the end of a try-with-resources.
     *
     * @throws IllegalStateException if this call stopped the watch and the trace was not exact
     */
    @Override
    public void close() {
        synchronized (this) {
            if (verdict != null || failure != null) {
                return;
            }
        }
        stop();
    }

    @Override
    public String toString() {
        return "SynSentWatch[" + label + ", " + judge().words() + ", " + destinations + "]";
    }
}
