package io.halfopen.limiter;

import java.net.InetSocketAddress;

/**
 * The limiter's event 4226: an attempt had to queue because every slot was taken.
 *
 * <p>Two kinds of limiter raise it with more to say. One built with
 * {@link HalfOpenLimiterBuilder#limitEventMinInterval(java.time.Duration) limitEventMinInterval} raises at most
 * one event per interval: an event then stands for every throttling episode (or, under
 * {@link LimitEventMode#EVERY_THROTTLED_ATTEMPT}, every throttled attempt) since the previous one, and
 * {@link #episodes()} says how many. One in {@linkplain HalfOpenLimiterBuilder#shadow(boolean) shadow mode}
 * never throttles: its events say where the chosen policy <em>would</em> have started to queue, and are
 * marked {@link #shadow()}.
 *
 * @param remote      the address of the attempt that had to queue (of the last one, when episodes were folded)
 * @param queued      how many attempts were queued, that one included
 * @param maxHalfOpen the limit in force (in shadow mode, the chosen policy's, which is not enforced)
 * @param nanoTime    when, by the limiter's ticker
 * @param episodes    how many episodes (or throttled attempts, see above) this event stands for, at least 1;
 *                    always 1 without a minimum interval
 * @param shadow      whether a limiter in shadow mode raised it: nothing was throttled
 */
public record LimitReached(InetSocketAddress remote, int queued, int maxHalfOpen, long nanoTime, long episodes,
                           boolean shadow) {

    /**
     * Creates an event.
     *
     * @param remote      the address of the attempt that had to queue
     * @param queued      how many attempts were queued, that one included
     * @param maxHalfOpen the limit
     * @param nanoTime    when, by the limiter's ticker
     * @param episodes    how many episodes this event stands for
     * @param shadow      whether a limiter in shadow mode raised it
     * @throws IllegalArgumentException if {@code episodes} is below 1
     */
    public LimitReached {
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes must be >= 1, was " + episodes);
        }
    }

    /**
     * Creates the event of one episode of a limiter that enforces its limit.
     *
     * @param remote      the address of the attempt that had to queue
     * @param queued      how many attempts were queued, that one included
     * @param maxHalfOpen the limit in force
     * @param nanoTime    when, by the limiter's ticker
     */
    public LimitReached(final InetSocketAddress remote, final int queued, final int maxHalfOpen, final long nanoTime) {
        this(remote, queued, maxHalfOpen, nanoTime, 1, false);
    }

    /**
     * Returns the event text, as Windows logs it.
     *
     * @return {@link Event4226#TEXT}
     */
    public String text() {
        return Event4226.TEXT;
    }
}
