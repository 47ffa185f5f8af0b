package io.halfopen.policy;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What {@linkplain AdmissionPolicy#williamson() Williamson's virus throttle} reports: its delay queue reached
 * the high watermark (the infection signal, once per episode), or drained back to the low watermark (the episode
 * is over). Immutable.
 *
 * @param policy    the throttle, as it writes itself
 * @param kind      which watermark
 * @param queued    how many attempts waited in the delay queue then
 * @param watermark the watermark that was reached
 * @param remote    the destination of the attempt that made the queue reach it (the one that joined, or the
 *                  one let out)
 * @param nanoTime  when, on the gate's ticker
 */
public record VirusThrottleEvent(String policy, Kind kind, int queued, int watermark, InetSocketAddress remote,
        long nanoTime) implements PolicyEvent {

    /** Which watermark the delay queue reached. */
    public enum Kind {
        /** The queue grew to the high watermark: the host is probably infected (HP: 160 of 200). */
        HIGH_WATERMARK,
        /** The queue drained back to the low watermark (HP: 100): the episode the high mark opened is over. */
        LOW_WATERMARK
    }

    /**
     * Checks the components.
     *
     * @param policy    see the record's description
     * @param kind      see the record's description
     * @param queued    see the record's description
     * @param watermark see the record's description
     * @param remote    see the record's description
     * @param nanoTime  see the record's description
     */
    public VirusThrottleEvent {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(remote, "remote");
    }

    @Override
    public String description() {
        return kind == Kind.HIGH_WATERMARK
                ? "Williamson's virus throttle: the delay queue reached its high watermark (" + queued + " attempts to"
                        + " new destinations waiting, watermark " + watermark + "): this host is probably infected"
                : "Williamson's virus throttle: the delay queue drained to its low watermark (" + queued
                        + " waiting, watermark " + watermark + ")";
    }
}
