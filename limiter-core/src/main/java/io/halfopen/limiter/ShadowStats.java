package io.halfopen.limiter;

import java.time.Duration;

/**
 * What the chosen policy would have done, in a limiter in {@linkplain HalfOpenLimiterBuilder#shadow(boolean)
 * shadow mode}: a snapshot of the shadow world, in which every real attempt arrives when it really did, waits
 * as long as the policy would have made it wait, and then holds its shadow slot for as long as the real
 * attempt really was half-open. Each field is read without a lock, so the snapshot is not atomic across
 * fields; each one is exact on its own.
 *
 * @param policy             the chosen policy's name, e.g. {@code half-open-cap(10)}
 * @param maxHalfOpen        the chosen policy's limit ({@link Integer#MAX_VALUE} for none), not enforced
 * @param halfOpen           shadow attempts holding a shadow slot now
 * @param queued             shadow attempts the policy would have kept waiting now
 * @param peakHalfOpen       the most shadow attempts that held shadow slots at once
 * @param peakQueued         the most shadow attempts that would have waited at once
 * @param granted            shadow attempts the policy granted, at once or after waiting
 * @param wouldHaveQueued    attempts the policy would have made wait
 * @param wouldHaveRefused   attempts the policy would have refused outright
 * @param wouldHaveWaited    the sum of the waits of the attempts granted after waiting
 * @param longestWait        the longest such wait
 * @param limitReachedEvents how many shadow 4226 events were raised ({@link LimitReached#shadow()})
 */
public record ShadowStats(
        String policy,
        int maxHalfOpen,
        int halfOpen,
        int queued,
        int peakHalfOpen,
        int peakQueued,
        long granted,
        long wouldHaveQueued,
        long wouldHaveRefused,
        Duration wouldHaveWaited,
        Duration longestWait,
        long limitReachedEvents) {
}
