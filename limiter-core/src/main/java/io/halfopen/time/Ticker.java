package io.halfopen.time;

/**
 * A source of monotonic time in nanoseconds, the only clock that halfopen's policies and limiters read.
 *
 * <p>Production code uses {@link #system()}; tests and the simulator pass a {@link VirtualClock}, so the
 * code measured in virtual time is the code that runs in production (one policy, two clocks).
 *
 * <p>Implementations must be thread-safe and cheap: a limiter may read the ticker once per attempt.
 */
@FunctionalInterface
public interface Ticker {

    /**
     * Returns the current time in nanoseconds from an arbitrary, fixed origin. Only differences between two
     * readings of the same ticker are meaningful, as with {@link System#nanoTime()}.
     *
     * @return the current time in nanoseconds
     */
    long nanoTime();

    /**
     * Returns the ticker backed by {@link System#nanoTime()}.
     *
     * @return the system ticker
     */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}
