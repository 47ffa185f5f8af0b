package io.halfopen.limiter;

import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the limiter tells the world: event 4226 (how often, by {@link LimitEventMode} and the optional
 * {@link LimitEventPacer}; the WARN log line; the JFR event; the listeners' {@code limitReached}), the end of
 * every attempt (the listeners' {@code attemptEnded}), and in shadow mode what the chosen policy would have
 * done (shadow 4226 events, on their own logger at INFO, and the listeners' {@code wouldHaveWaited}). A
 * listener that throws is logged and never disturbs the attempt.
 *
 * <h2>Listeners</h2>
 * The listeners are a copy-on-write array behind one volatile field: the builder's, in the order they were
 * given, then those added later by {@link #add}, in the order they were added. A delivery reads the field once
 * and calls that array's listeners in order, so a listener added or removed meanwhile on another thread takes
 * effect from the next delivery. {@link #add} and {@link #remove} publish the new array with a CAS; whatever
 * happened before {@code add} returned happens before the listener's first call. With no listener, a delivery
 * costs one volatile read and a length check (a plain load on x86), and nothing else: no allocation, no clock
 * read. The semaphore's fast path never comes here at all.
 *
 * <p>Thread-safe: immutable apart from the counters it increments, the listener array and the pacers' state;
 * callbacks run on the calling thread.
 */
final class LimitEvents {

    private static final Logger LOG = LoggerFactory.getLogger(HalfOpenLimiter.class);
    /** Shadow events have a logger of their own, a child of the limiter's, so that operators can route them. */
    static final Logger SHADOW_LOG = LoggerFactory.getLogger(HalfOpenLimiter.class.getName() + ".shadow");
    private static final LimiterListener[] NONE = new LimiterListener[0];
    private static final VarHandle LISTENERS;

    static {
        try {
            LISTENERS = MethodHandles.lookup().findVarHandle(LimitEvents.class, "listeners", LimiterListener[].class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * What shadow events say and count: the chosen policy's name and limit, and the counter of shadow events.
     *
     * @param policy      the chosen policy's name
     * @param maxHalfOpen the chosen policy's limit
     * @param events      counts shadow events raised
     */
    record Shadow(String policy, int maxHalfOpen, LongAdder events) {
    }

    private final String limiterName;
    private final int maxHalfOpen;
    private final LimitEventMode mode;
    private final Ticker ticker;
    private final LimiterCounters counters;
    private final long minIntervalNanos;
    private final LimitEventPacer pacer;         // null without a minimum interval
    private final Shadow shadow;                 // null unless in shadow mode
    private final LimitEventPacer shadowPacer;   // null unless in shadow mode with a minimum interval
    @SuppressWarnings("FieldMayBeFinal") // written through LISTENERS
    private volatile LimiterListener[] listeners;

    LimitEvents(final String limiterName, final int maxHalfOpen, final LimitEventMode mode, final Ticker ticker,
            final Scheduler scheduler, final long minIntervalNanos, final List<LimiterListener> listeners,
            final LimiterCounters counters, final Shadow shadow) {
        this.limiterName = limiterName;
        this.maxHalfOpen = maxHalfOpen;
        this.mode = mode;
        this.ticker = ticker;
        this.minIntervalNanos = minIntervalNanos;
        this.listeners = listeners.isEmpty() ? NONE : listeners.toArray(new LimiterListener[0]);
        this.counters = counters;
        this.shadow = shadow;
        this.pacer = minIntervalNanos > 0 ? new LimitEventPacer(minIntervalNanos, ticker, scheduler, this::raise) : null;
        this.shadowPacer = minIntervalNanos > 0 && shadow != null
                ? new LimitEventPacer(minIntervalNanos, ticker, scheduler, this::raiseShadow) : null;
    }

    // ---------------------------------------------------------------- listeners

    /** The listeners now, the builder's first: the array is never modified, only replaced. */
    LimiterListener[] listeners() {
        return listeners;
    }

    void add(final LimiterListener listener) {
        Objects.requireNonNull(listener, "listener");
        while (true) {
            final LimiterListener[] current = listeners;
            final LimiterListener[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = listener;
            if (LISTENERS.compareAndSet(this, current, next)) {
                return;
            }
        }
    }

    boolean remove(final LimiterListener listener) {
        while (true) {
            final LimiterListener[] current = listeners;
            int index = -1;
            for (int i = current.length - 1; i >= 0; i--) { // the last added goes first: add, add, remove undoes one
                if (current[i] == listener) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                return false;
            }
            final LimiterListener[] next;
            if (current.length == 1) {
                next = NONE;
            } else {
                next = new LimiterListener[current.length - 1];
                System.arraycopy(current, 0, next, 0, index);
                System.arraycopy(current, index + 1, next, index, current.length - index - 1);
            }
            if (LISTENERS.compareAndSet(this, current, next)) {
                return true;
            }
        }
    }

    // ---------------------------------------------------------------- event 4226

    /** An attempt joined the queue, which held {@code before} attempts: raises 4226 as the mode says. */
    void joinedQueue(final InetSocketAddress remote, final int before) {
        if (startsEpisode(before)) {
            if (pacer == null) {
                raise(remote, before + 1, 1);
            } else {
                pacer.episode(remote, before + 1);
            }
        }
    }

    private boolean startsEpisode(final int before) {
        return mode == LimitEventMode.EVERY_THROTTLED_ATTEMPT || (mode == LimitEventMode.ONCE_PER_EPISODE && before == 0);
    }

    private void raise(final InetSocketAddress remote, final int queuedNow, final long episodes) {
        counters.limitReachedEvents.increment();
        if (episodes == 1) {
            LOG.warn("Event {} ({}, Warning): {} [halfopen limiter '{}': {} half-open allowed, {} queued, remote {}]",
                    Event4226.ID, Event4226.SOURCE, Event4226.TEXT, limiterName, maxHalfOpen, queuedNow, remote);
        } else {
            LOG.warn("Event {} ({}, Warning): {} [halfopen limiter '{}': {} half-open allowed, {} queued, remote {};"
                    + " {} {} folded into this event, at most one per {}]", Event4226.ID, Event4226.SOURCE,
                    Event4226.TEXT, limiterName, maxHalfOpen, queuedNow, remote, episodes, unit(),
                    Duration.ofNanos(minIntervalNanos));
        }
        publish(remote, queuedNow, maxHalfOpen, episodes, false);
    }

    private String unit() {
        return mode == LimitEventMode.EVERY_THROTTLED_ATTEMPT ? "throttled attempts" : "throttling episodes";
    }

    private void publish(final InetSocketAddress remote, final int queuedNow, final int limit, final long episodes,
            final boolean shadow) {
        if (jdk.jfr.FlightRecorder.isInitialized()) { // see LimitReachedJfrEvent: never load it otherwise
            final LimitReachedJfrEvent jfr = new LimitReachedJfrEvent();
            if (jfr.shouldCommit()) {
                jfr.remote = String.valueOf(remote);
                jfr.queued = queuedNow;
                jfr.maxHalfOpen = limit;
                jfr.episodes = episodes;
                jfr.shadow = shadow;
                jfr.commit();
            }
        }
        final LimiterListener[] current = listeners;
        if (current.length > 0) {
            final LimitReached event = new LimitReached(remote, queuedNow, limit, ticker.nanoTime(), episodes, shadow);
            for (final LimiterListener listener : current) {
                try {
                    listener.limitReached(event);
                } catch (final Throwable t) {
                    LOG.error("LimiterListener.limitReached threw", t);
                }
            }
        }
    }

    /** Raises whatever a pacer has folded, now: the limiter closed. */
    void flush() {
        if (pacer != null) {
            pacer.flush();
        }
        if (shadowPacer != null) {
            shadowPacer.flush();
        }
    }

    // ---------------------------------------------------------------- shadow mode

    /** In shadow mode, the chosen policy would have queued an attempt behind {@code before} others. */
    void wouldHaveQueued(final InetSocketAddress remote, final int before) {
        if (startsEpisode(before)) {
            if (shadowPacer != null) {
                shadowPacer.episode(remote, before + 1);
            } else {
                raiseShadow(remote, before + 1, 1);
            }
        }
    }

    private void raiseShadow(final InetSocketAddress remote, final int queuedNow, final long episodes) {
        shadow.events().increment();
        SHADOW_LOG.info("Shadow event {} (not enforced: this limiter admits every attempt): {} [halfopen limiter '{}'"
                + " in shadow mode: {} would have queued {}, {} half-open allowed, remote {}{}]", Event4226.ID,
                Event4226.TEXT, limiterName, shadow.policy(), queuedNow, shadow.maxHalfOpen(), remote,
                episodes == 1 ? "" : "; " + episodes + " " + unit() + " folded into this event, at most one per "
                        + Duration.ofNanos(minIntervalNanos));
        publish(remote, queuedNow, shadow.maxHalfOpen(), episodes, true);
    }

    /** In shadow mode, the chosen policy would have granted an attempt after {@code waitNanos}. */
    void wouldHaveWaited(final InetSocketAddress remote, final long waitNanos) {
        final LimiterListener[] current = listeners;
        if (current.length == 0) {
            return;
        }
        final Duration wait = Duration.ofNanos(Math.max(0, waitNanos));
        for (final LimiterListener listener : current) {
            try {
                listener.wouldHaveWaited(remote, wait);
            } catch (final Throwable t) {
                LOG.error("LimiterListener.wouldHaveWaited threw", t);
            }
        }
    }

    // ---------------------------------------------------------------- attempts

    /** What {@link #attemptEnded(ConnectAttempt, long, long, long)} takes for an end time nobody read. */
    static final long UNREAD = Long.MIN_VALUE;

    /**
     * Whether a listener is registered: a racy snapshot, for skipping work that only listeners need (an attempt's
     * end reads the clock only if one is).
     *
     * @return {@code true} if the last listener array seen is not empty
     */
    boolean hasListeners() {
        return listeners.length != 0;
    }

    /**
     * A granted attempt ended at {@code endedAt}: tells the listeners how long it waited and how long it held its
     * slot. {@code endedAt} is {@link #UNREAD} if the attempt saw no listener when it ended (and so read no clock);
     * one added since then gets the time of this call instead.
     */
    void attemptEnded(final ConnectAttempt attempt, final long createdAt, final long grantedAt, final long endedAt) {
        final LimiterListener[] current = listeners;
        if (current.length == 0) {
            return;
        }
        final long end = endedAt != UNREAD ? endedAt : ticker.nanoTime();
        deliverEnded(current, attempt, grantedAt - createdAt, end - grantedAt);
    }

    /** An attempt ended: tells the listeners, with how long it waited and how long it held its slot. */
    void attemptEnded(final ConnectAttempt attempt, final long queueWaitNanos, final long halfOpenNanos) {
        final LimiterListener[] current = listeners;
        if (current.length == 0) {
            return;
        }
        deliverEnded(current, attempt, queueWaitNanos, halfOpenNanos);
    }

    private static void deliverEnded(final LimiterListener[] current, final ConnectAttempt attempt,
            final long queueWaitNanos, final long halfOpenNanos) {
        final Duration queueWait = Duration.ofNanos(Math.max(0, queueWaitNanos));
        final Duration halfOpen = Duration.ofNanos(Math.max(0, halfOpenNanos));
        for (final LimiterListener listener : current) {
            try {
                listener.attemptEnded(attempt, queueWait, halfOpen);
            } catch (final Throwable t) {
                LOG.error("LimiterListener.attemptEnded threw", t);
            }
        }
    }
}
