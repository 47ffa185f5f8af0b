package io.halfopen.limiter;

import java.util.concurrent.atomic.LongAdder;

/**
 * The limiter's event counters. Striped ({@link LongAdder}) so that attempts ending on many threads do not
 * contend on one cache line. Thread-safe.
 */
final class LimiterCounters {
    final LongAdder granted = new LongAdder();
    final LongAdder throttled = new LongAdder();
    final LongAdder queueTimeouts = new LongAdder();
    final LongAdder halfOpenTimeouts = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder cancelled = new LongAdder();
    final LongAdder established = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    final LongAdder limitReachedEvents = new LongAdder();

    void countEnd(final AttemptState state) {
        switch (state) {
            case ESTABLISHED -> established.increment();
            case REFUSED -> refused.increment();
            case FAILED -> failed.increment();
            case CANCELLED -> cancelled.increment();
            case QUEUE_TIMEOUT -> queueTimeouts.increment();
            case REJECTED -> rejected.increment();
            case TIMED_OUT -> timedOut.increment();
            default -> throw new IllegalArgumentException("not a terminal state: " + state);
        }
    }
}
