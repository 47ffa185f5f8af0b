package io.halfopen.limiter;

import java.net.InetSocketAddress;

/**
 * The limiter's event 4226: an attempt had to queue because every slot was taken.
 *
 * @param remote      the address of the attempt that had to queue
 * @param queued      how many attempts were queued, that one included
 * @param maxHalfOpen the limit in force
 * @param nanoTime    when, by the limiter's ticker
 */
public record LimitReached(InetSocketAddress remote, int queued, int maxHalfOpen, long nanoTime) {

    /**
     * Returns the event text, as Windows logs it.
     *
     * @return {@link Event4226#TEXT}
     */
    public String text() {
        return Event4226.TEXT;
    }
}
