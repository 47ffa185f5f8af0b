package io.halfopen.limiter;

/**
 * An immutable snapshot of a limiter's gauges and counters. Each field is read without a lock, so the
 * snapshot is not atomic across fields; each one is exact on its own. Cheap: one small object.
 *
 * @param maxHalfOpen        the limit in force ({@link Integer#MAX_VALUE} for none)
 * @param halfOpen           attempts holding a slot now
 * @param queued             attempts waiting now
 * @param peakHalfOpen       the most attempts that held slots at once
 * @param peakQueued         the most attempts that waited at once
 * @param granted            attempts that got a slot, at once or after waiting
 * @param throttled          attempts that had to wait (whatever became of them)
 * @param queueTimeouts      attempts that left the queue at the queue timeout
 * @param halfOpenTimeouts   attempts whose half-open timeout fired and whose owner was told to abort (one per {@code abort} callback)
 * @param rejected           attempts rejected: queue full, or the limiter closed
 * @param cancelled          attempts their owner cancelled (queued or half-open)
 * @param established        attempts that ended established
 * @param refused            attempts that ended refused
 * @param failed             attempts that ended failed
 * @param timedOut           attempts that ended timed out (after the half-open timeout or the owner's own)
 * @param limitReachedEvents how many times event 4226 was raised
 */
public record LimiterStats(
        int maxHalfOpen,
        int halfOpen,
        int queued,
        int peakHalfOpen,
        int peakQueued,
        long granted,
        long throttled,
        long queueTimeouts,
        long halfOpenTimeouts,
        long rejected,
        long cancelled,
        long established,
        long refused,
        long failed,
        long timedOut,
        long limitReachedEvents) {
}
