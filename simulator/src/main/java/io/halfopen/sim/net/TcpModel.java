package io.halfopen.sim.net;

import io.halfopen.sim.spec.Durations;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The simulated host's TCP stack as it connects: when its SYNs go, when it gives up, and when an answer ends
 * the attempt. Immutable.
 *
 * <ul>
 *   <li>SYNs go at 0, then after an initial retransmission timeout that doubles each time: with XP's
 *       {@code TcpInitialRtt} of 3 s and {@code TcpMaxConnectRetransmissions} of 2, at 0, 3 and 9 s; the stack gives
 *       up at 3 + 6 + 12 = 21 s ({@code FACTS.md}).</li>
 *   <li>A destination that drops answers nothing: the attempt ends at the give-up instant. A lossy destination
 *       loses each SYN with a probability; the first SYN that gets through is answered after the RTT.</li>
 *   <li>Optionally, Windows' retry after a reset (KB 175523): a refused SYN is sent again, up to
 *       {@code rstRetries} more times (the KB: 3), each after {@code rstRetryInterval} without doubling. The
 *       interval is not documented; 0.5 s is our choice. Off by default, as in {@code HalfOpenLimiter}'s XP
 *       profile.</li>
 * </ul>
 *
 * @param initialRto       the first retransmission timeout (XP: 3 s)
 * @param synRetries       retransmissions of the SYN (XP: 2)
 * @param rstRetries       SYNs re-sent after a reset (0: off; Windows per KB 175523: 3)
 * @param rstRetryInterval the wait before each re-sent SYN after a reset
 */
public record TcpModel(Duration initialRto, int synRetries, int rstRetries, Duration rstRetryInterval) {

    /**
     * XP's stack: SYNs at 0, 3, 9 s, given up at 21 s; no retry after a reset. */
    public static final TcpModel XP = new TcpModel(Duration.ofSeconds(3), 2, 0, Duration.ofMillis(500));

    /** Validates.
     *
     * @param initialRto see the record's description
     * @param synRetries see the record's description
     * @param rstRetries see the record's description
     * @param rstRetryInterval see the record's description
     */
    public TcpModel {
        if (initialRto.isNegative() || initialRto.isZero()) {
            throw new IllegalArgumentException("initialRto must be positive, was " + Durations.format(initialRto));
        }
        if (synRetries < 0 || synRetries > 16) {
            throw new IllegalArgumentException("synRetries must be between 0 and 16, was " + synRetries);
        }
        if (rstRetries < 0 || rstRetries > 16) {
            throw new IllegalArgumentException("rstRetries must be between 0 and 16, was " + rstRetries);
        }
        if (rstRetryInterval.isNegative()) {
            throw new IllegalArgumentException("rstRetryInterval must not be negative, was "
                    + Durations.format(rstRetryInterval));
        }
    }

    /**
     * Returns this model with Windows' retry after a reset switched on (3 retries) or off.
     *
     * @param on whether to retry
     * @return the model
     */
    public TcpModel withRstRetry(final boolean on) {
        return new TcpModel(initialRto, synRetries, on ? 3 : 0, rstRetryInterval);
    }

    /**
     * Returns when the stack gives up on a SYN that is never answered: the sum of the doubling timeouts.
     *
     * @return nanoseconds after the first SYN (XP: 21 s)
     */
    public long giveUpNanos() {
        final long rto = initialRto.toNanos();
        return rto * ((1L << (synRetries + 1)) - 1);
    }

    /**
     * Returns when the {@code k}th SYN goes, 0-based: 0, 3, 9 s in XP's stack.
     *
     * @param k the SYN
     * @return nanoseconds after the first SYN
     */
    public long synNanos(final int k) {
        return initialRto.toNanos() * ((1L << k) - 1);
    }

    /**
     * Draws how many SYNs in a row are lost before one gets through (and its answer back), for a destination that
     * loses each with probability {@code loss}: 0 for a lossless path; {@code synRetries + 1} if all are lost.
     *
     * @param loss   the probability, 0 to 1
     * @param random the simulation's random source; not touched when {@code loss} is 0
     * @return the number of lost SYNs
     */
    public int lostSyns(final double loss, final SplittableRandom random) {
        int k = 0;
        if (loss > 0) {
            while (k <= synRetries && random.nextDouble() < loss) {
                k++;
            }
        }
        return k;
    }

    /**
     * Returns how long after the first SYN an attempt ends: for a drop, the give-up instant; otherwise the first
     * SYN that got through plus the RTT (plus, after a reset, the retries, if on), but never later than the
     * give-up instant, at which the stack stops waiting.
     *
     * @param answer    the destination's answer
     * @param rtt       the round-trip time drawn for this attempt, nanoseconds
     * @param lostSyns  what {@link #lostSyns} drew
     * @return nanoseconds, at most {@link #giveUpNanos()}, which means the stack gave up (see {@link #effective})
     */
    public long endNanos(final Answer answer, final long rtt, final int lostSyns) {
        final long giveUp = giveUpNanos();
        if (answer == Answer.DROP || lostSyns > synRetries) {
            return giveUp;
        }
        long end = synNanos(lostSyns) + rtt;
        if (answer == Answer.REFUSE && rstRetries > 0) {
            end += rstRetries * (rstRetryInterval.toNanos() + rtt);
        }
        return Math.min(end, giveUp);
    }

    /**
     * Returns the answer an attempt really got, given when it ended: an answer that would come at or after the
     * give-up instant comes too late, and the attempt times out as a drop does.
     *
     * @param answer the destination's answer
     * @param end    what {@link #endNanos} returned
     * @return the answer
     */
    public Answer effective(final Answer answer, final long end) {
        return end >= giveUpNanos() ? Answer.DROP : answer;
    }
}
