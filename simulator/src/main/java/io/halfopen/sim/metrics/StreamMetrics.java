package io.halfopen.sim.metrics;

import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.Ending;
import io.halfopen.sim.net.Answer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * The counters and histograms of one stream (or of a whole host): latency from asking for a slot to the
 * outcome, the queue wait alone (the delay the policy adds), endings, distinct destinations that got a SYN,
 * attempts that went out to dead destinations. Histograms are in microseconds, three significant digits.
 * Not thread-safe.
 */
public final class StreamMetrics {

    private final Histogram latency = new Histogram(3);
    private final Histogram queueWait = new Histogram(3);
    private final long[] endings = new long[Ending.values().length];
    private final DestinationLog destinations;
    private long submitted;
    private long wentOut;
    private long deadOut;

    /** Creates the metrics of a stream that keeps its own destinations. */
    StreamMetrics() {
        this.destinations = new DestinationLog();
    }

    /**
     * Creates the metrics of several streams together, whose distinct destinations are the union of theirs.
     *
     * @param parts the streams
     */
    StreamMetrics(final java.util.List<StreamMetrics> parts) {
        this.destinations = null;
        this.parts = parts;
    }

    private java.util.List<StreamMetrics> parts;

    void countSubmitted() {
        submitted++;
    }

    void granted(final Connect c) {
        wentOut++;
        if (c.answer() == Answer.DROP) {
            deadOut++;
        }
        if (destinations != null) {
            destinations.add(destinationKey(c.remote().getAddress()));
        }
        queueWait.recordValue(micros(c.grantedAt() - c.submittedAt()));
    }

    void ended(final Connect c, final Ending ending, final long now) {
        endings[ending.ordinal()]++;
        if (ending.wentOut()) {
            latency.recordValue(micros(now - c.submittedAt()));
        }
    }

    /**
     * Returns the attempts that asked for a slot.
     *
     * @return the count
     */
    public long submitted() {
        return submitted;
    }

    /**
     * Returns the attempts that got a slot and sent a SYN.
     *
     * @return the count
     */
    public long wentOut() {
        return wentOut;
    }

    /**
     * Returns the attempts that went out to a destination that drops SYNs.
     *
     * @return the count
     */
    public long deadOut() {
        return deadOut;
    }

    /**
     * Returns how many distinct destination addresses got at least one SYN.
     *
     * @return the count
     */
    public long distinctDestinations() {
        if (destinations != null) {
            return destinations.distinct();
        }
        return DestinationLog.distinctUnion(parts.stream().map(p -> p.destinations).toList());
    }

    /**
     * Returns how many attempts ended so.
     *
     * @param ending the ending
     * @return the count
     */
    public long ended(final Ending ending) {
        return endings[ending.ordinal()];
    }

    /**
     * Returns how many attempts ended, in any way.
     *
     * @return the count
     */
    public long ended() {
        return Arrays.stream(endings).sum();
    }

    /**
     * Returns how many attempts ended with a network outcome (they went out and finished).
     *
     * @return the count
     */
    public long completed() {
        long n = 0;
        for (final Ending e : Ending.values()) {
            if (e.wentOut()) {
                n += endings[e.ordinal()];
            }
        }
        return n;
    }

    /**
     * Returns the latency histogram (microseconds): from asking for a slot to the outcome, for attempts that
     * went out and ended. The live histogram; do not change it.
     *
     * @return the histogram
     */
    public Histogram latency() {
        return latency;
    }

    /**
     * Returns the queue-wait histogram (microseconds): from asking for a slot to getting it, for every attempt
     * that got one. The live histogram; do not change it.
     *
     * @return the histogram
     */
    public Histogram queueWait() {
        return queueWait;
    }

    private static long micros(final long nanos) {
        return Math.max(0, (nanos + 500) / 1000);
    }

    /** IPv4 addresses as themselves, IPv6 by a 64-bit hash of their 16 bytes (collisions: about 1 in 2^32). */
    static long destinationKey(final InetAddress address) {
        final byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
        }
        long h = 0x9E3779B97F4A7C15L;
        for (final byte x : b) {
            h = mix(h ^ (x & 0xff));
        }
        return h | (1L << 62);
    }

    /** Murmur3's 64-bit finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /**
     * Records the wait so far of an attempt still queued when the run ends: a lower bound of its delay, so that
     * attempts starved for the whole run are not missing from the delay percentiles.
     *
     * @param waitedNanos how long it has waited
     */
    void stillWaiting(final long waitedNanos) {
        queueWait.recordValue(micros(waitedNanos));
        stillWaiting++;
    }

    private long stillWaiting;

    /**
     * Returns how many attempts were still queued at the end; their waits so far are in {@link #queueWait()}.
     *
     * @return the count
     */
    public long stillWaiting() {
        return stillWaiting;
    }
}
