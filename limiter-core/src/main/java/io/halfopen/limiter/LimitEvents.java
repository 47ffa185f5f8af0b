package io.halfopen.limiter;

import io.halfopen.time.Ticker;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the limiter tells the world: event 4226 (how often, by {@link LimitEventMode}; the WARN log line; the
 * JFR event; the listeners' {@code limitReached}) and the end of every attempt (the listeners'
 * {@code attemptEnded}). A listener that throws is logged and never disturbs the attempt.
 *
 * <p>Thread-safe: immutable apart from the counter it increments; callbacks run on the calling thread.
 */
final class LimitEvents {

    private static final Logger LOG = LoggerFactory.getLogger(HalfOpenLimiter.class);

    private final String limiterName;
    private final int maxHalfOpen;
    private final LimitEventMode mode;
    private final Ticker ticker;
    private final LimiterListener[] listeners;
    private final LimiterCounters counters;

    LimitEvents(final String limiterName, final int maxHalfOpen, final LimitEventMode mode, final Ticker ticker,
            final List<LimiterListener> listeners, final LimiterCounters counters) {
        this.limiterName = limiterName;
        this.maxHalfOpen = maxHalfOpen;
        this.mode = mode;
        this.ticker = ticker;
        this.listeners = listeners.toArray(new LimiterListener[0]);
        this.counters = counters;
    }

    /** An attempt joined the queue, which held {@code before} attempts: raises 4226 as the mode says. */
    void joinedQueue(final InetSocketAddress remote, final int before) {
        if (mode == LimitEventMode.EVERY_THROTTLED_ATTEMPT || (mode == LimitEventMode.ONCE_PER_EPISODE && before == 0)) {
            raise(remote, before + 1);
        }
    }

    private void raise(final InetSocketAddress remote, final int queuedNow) {
        counters.limitReachedEvents.increment();
        LOG.warn("Event {} ({}, Warning): {} [halfopen limiter '{}': {} half-open allowed, {} queued, remote {}]",
                Event4226.ID, Event4226.SOURCE, Event4226.TEXT, limiterName, maxHalfOpen, queuedNow, remote);
        if (jdk.jfr.FlightRecorder.isInitialized()) { // see LimitReachedJfrEvent: never load it otherwise
            final LimitReachedJfrEvent jfr = new LimitReachedJfrEvent();
            if (jfr.shouldCommit()) {
                jfr.remote = String.valueOf(remote);
                jfr.queued = queuedNow;
                jfr.maxHalfOpen = maxHalfOpen;
                jfr.commit();
            }
        }
        if (listeners.length > 0) {
            final LimitReached event = new LimitReached(remote, queuedNow, maxHalfOpen, ticker.nanoTime());
            for (final LimiterListener listener : listeners) {
                try {
                    listener.limitReached(event);
                } catch (final Throwable t) {
                    LOG.error("LimiterListener.limitReached threw", t);
                }
            }
        }
    }

    /** An attempt ended: tells the listeners, with how long it waited and how long it held its slot. */
    void attemptEnded(final ConnectAttempt attempt, final long queueWaitNanos, final long halfOpenNanos) {
        if (listeners.length == 0) {
            return;
        }
        final Duration queueWait = Duration.ofNanos(Math.max(0, queueWaitNanos));
        final Duration halfOpen = Duration.ofNanos(Math.max(0, halfOpenNanos));
        for (final LimiterListener listener : listeners) {
            try {
                listener.attemptEnded(attempt, queueWait, halfOpen);
            } catch (final Throwable t) {
                LOG.error("LimiterListener.attemptEnded threw", t);
            }
        }
    }
}
