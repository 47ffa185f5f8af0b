package io.halfopen.testkit;

import io.halfopen.testkit.internal.Destinations;
import io.halfopen.testkit.internal.SynSentLedger;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.AbstractList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the kernel held in SYN_SENT towards a watch's peers, from its start to its stop, and which judge says so.
 * {@link #peak()} is the judge's peak: exact when {@link Judge#TRACED}; when {@link Judge#SAMPLED}, the sockets
 * seen by two samples in a row. {@link #describe(int)} gives the words every report uses:
 * {@code peak 10 (traced, exact; limit 10)} or {@code peak 10 (sampled; limit 10)}.
 *
 * <p>Immutable.
 */
public final class SynSentVerdict {

    private final String label;
    private final Judge judge;
    private final Duration watched;
    private final List<InetSocketAddress> destinations;
    private final SynSentLedger.Result traced; // null when sampled
    private final long startNanos;
    private final SamplerFigures sampler;      // null when none ran
    private final String fallback;             // why the trace did not judge, or null
    private final int synSentAtStart;           // one /proc count as the watch began, -1 if not taken

    SynSentVerdict(final String label, final Judge judge, final Duration watched, final Destinations destinations,
            final SynSentLedger.Result traced, final long startNanos, final SamplerFigures sampler,
            final String fallback, final int synSentAtStart) {
        this.label = label;
        this.judge = judge;
        this.watched = watched;
        this.destinations = destinations.all();
        this.traced = traced;
        this.startNanos = startNanos;
        this.sampler = sampler;
        this.fallback = fallback;
        this.synSentAtStart = synSentAtStart;
        if ((judge == Judge.TRACED) != (traced != null) || (judge == Judge.SAMPLED && sampler == null)) {
            throw new IllegalArgumentException("a " + judge + " verdict needs its judge's figures");
        }
    }

    /** {@return what was watched, e.g. the test's name} */
    public String label() {
        return label;
    }

    /** {@return the judge behind {@link #peak()}} */
    public Judge judge() {
        return judge;
    }

    /** {@return how long the watch ran} */
    public Duration watched() {
        return watched;
    }

    /**
     * {@return the most sockets in SYN_SENT at once towards the peers: exact when traced; when sampled, the most seen
     * by two samples in a row}
     */
    public int peak() {
        return judge == Judge.TRACED ? traced.peak() : sampler.twoPeak();
    }

    /**
     * {@return the traced peak per destination (every watched peer, 0 if none was seen), in the order watched; empty
     * when sampled (the sampler counts all peers together)}
     */
    public Map<InetSocketAddress, Integer> peakByDestination() {
        if (traced == null) {
            return Map.of();
        }
        final Map<InetSocketAddress, Integer> peaks = new LinkedHashMap<>();
        for (int i = 0; i < destinations.size(); i++) {
            peaks.put(destinations.get(i), traced.destinationPeak(i));
        }
        return Collections.unmodifiableMap(peaks);
    }

    /** {@return every traced transition in kernel order, with the exact counts after it; empty when sampled} */
    public List<SynSentTransition> timeline() {
        if (traced == null) {
            return List.of();
        }
        return new AbstractList<>() {
            @Override
            public SynSentTransition get(final int i) {
                return transition(i);
            }

            @Override
            public int size() {
                return traced.size();
            }
        };
    }

    private SynSentTransition transition(final int i) {
        return new SynSentTransition(Duration.ofNanos(traced.nanos(i) - startNanos),
                destinations.get(traced.destination(i)), traced.entered(i),
                SynSentTransition.stateName(traced.otherState(i)), traced.localPort(i), traced.socket(i),
                traced.count(i), traced.destinationCount(i), traced.unseenEntry(i));
    }

    /**
     * {@return traced: sockets that left SYN_SENT during the watch having entered it before (counted from the start
     * until they left); sampled: 0}
     */
    public int alreadyInSynSent() {
        return traced == null ? 0 : traced.alreadyInSynSent();
    }

    /** {@return traced: sockets that entered SYN_SENT during the watch and were still in it when it stopped} */
    public int leftInSynSent() {
        return traced == null ? 0 : traced.leftInSynSent();
    }

    /** {@return what the sampler saw, whether it judged or ran beside the trace} */
    public Optional<SamplerFigures> sampler() {
        return Optional.ofNullable(sampler);
    }

    /** {@return why the trace did not judge (the sampler did instead), if it did not} */
    public Optional<String> fallbackReason() {
        return Optional.ofNullable(fallback);
    }

    /** {@return e.g. {@code peak 10 (traced, exact)} or {@code peak 10 (sampled)}} */
    public String describe() {
        return "peak " + peak() + " (" + judge.words() + ")";
    }

    /**
     * {@return e.g. {@code peak 10 (traced, exact; limit 10)} or {@code peak 10 (sampled; limit 10)}}
     *
     * @param limit the limit the peers were connected under
     */
    public String describe(final int limit) {
        return "peak " + peak() + " (" + judge.words() + "; limit " + limit + ")";
    }

    /**
     * {@return {@link #describe(int)} with the sampler's figures, the transitions and anything unusual}
     *
     * @param limit the limit
     */
    public String summary(final int limit) {
        return describe(limit) + details();
    }

    /** {@return {@link #describe()} with the sampler's figures, the transitions and anything unusual} */
    public String summary() {
        return describe() + details();
    }

    private String details() {
        final StringBuilder summary = new StringBuilder();
        if (traced != null) {
            summary.append(String.format(Locale.ROOT, ", %d transitions in %d ms", traced.size(),
                    watched.toMillis()));
            if (traced.alreadyInSynSent() > 0) {
                summary.append(", ").append(traced.alreadyInSynSent())
                        .append(" of them from sockets already in SYN_SENT when the watch began");
            }
            if (traced.leftInSynSent() > 0) {
                summary.append(", ").append(traced.leftInSynSent()).append(" still in SYN_SENT at its end");
            }
        }
        if (synSentAtStart > 0) {
            summary.append(", ").append(synSentAtStart).append(" in SYN_SENT in /proc as it began");
        }
        if (sampler != null) {
            summary.append("; ").append(sampler.describe());
        }
        if (fallback != null) {
            summary.append("; not traced: ").append(fallback);
        }
        return summary.toString();
    }

    /**
     * {@return the traced transitions around the moment the peak was first reached, one per line; empty when sampled}
     *
     * @param before transitions to show before the peak
     * @param after  transitions to show after it
     */
    public String timelineAroundPeak(final int before, final int after) {
        if (traced == null || traced.size() == 0) {
            return "";
        }
        final int peakAt = Math.max(0, traced.peakIndex());
        return window(peakAt, before, after, "  <- peak " + traced.peak());
    }

    private String window(final int at, final int before, final int after, final String mark) {
        final StringBuilder lines = new StringBuilder();
        final int from = Math.max(0, at - before);
        final int to = Math.min(traced.size(), at + after + 1);
        if (from > 0) {
            lines.append("  ... ").append(from).append(" earlier transitions\n");
        }
        for (int i = from; i < to; i++) {
            lines.append("  ").append(transition(i)).append(i == at ? mark : "").append('\n');
        }
        if (to < traced.size()) {
            lines.append("  ... ").append(traced.size() - to).append(" later transitions\n");
        }
        return lines.toString();
    }

    /**
     * Asserts the kernel never held more than {@code limit} sockets in SYN_SENT towards the peers. Traced: the
     * exact peak, with the transitions around the first moment it was exceeded in the message. Sampled: the
     * peak seen by two samples in a row, and the sampler must have watched at
     * {@value KernelJudge#MIN_SAMPLES_PER_SECOND}
     * samples a second or faster, {@value KernelJudge#MIN_SAMPLES} samples at least (a slower one may have missed
     * a peak).
     *
     * @param limit the limit
     * @throws AssertionError if it did
     */
    public void assertNeverAbove(final int limit) {
        if (judge == Judge.TRACED) {
            if (traced.peak() > limit) {
                int first = -1;
                for (int i = 0; i < traced.size() && first < 0; i++) {
                    if (traced.count(i) > limit) {
                        first = i;
                    }
                }
                throw new AssertionError(label + ": the kernel held more sockets in SYN_SENT than the limit: "
                        + summary(limit) + "\nper destination " + peakByDestination() + "\n"
                        + (first < 0 ? "(from the start of the watch)\n" : window(first, 2 * limit, 5,
                        "  <- " + traced.count(first) + " > " + limit)));
            }
            return;
        }
        if (sampler.twoPeak() > limit) {
            throw new AssertionError(label + ": the kernel showed more sockets in SYN_SENT than the limit in two"
                    + " samples in a row: " + summary(limit) + "\n" + sampler.peakSockets());
        }
        if (sampler.samplesPerSecond() < KernelJudge.MIN_SAMPLES_PER_SECOND
                || sampler.samples() < KernelJudge.MIN_SAMPLES) {
            throw new AssertionError(label + ": the sampler watched too slowly to judge (at least "
                    + KernelJudge.MIN_SAMPLES + " samples at " + KernelJudge.MIN_SAMPLES_PER_SECOND
                    + "/s): " + summary(limit));
        }
    }

    /**
     * Asserts the scenario saturated the limit: traced, the exact peak reached {@code limit}; sampled, the
     * sampler saw at least one socket in SYN_SENT (a sample cannot prove that every slot was taken at once).
     *
     * @param limit the limit
     * @throws AssertionError if not
     */
    public void assertReached(final int limit) {
        if (judge == Judge.TRACED ? traced.peak() < limit : sampler.onePeak() == 0) {
            throw new AssertionError(label + ": the kernel never held " + (judge == Judge.TRACED ? limit : 1)
                    + " sockets in SYN_SENT at once: " + summary(limit));
        }
    }

    @Override
    public String toString() {
        return label + ": " + describe();
    }
}
