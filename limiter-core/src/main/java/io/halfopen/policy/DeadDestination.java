package io.halfopen.policy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Why {@link DeadDestinationPolicy} refused an attempt: its destination timed out or was unreachable
 * {@code failures} times within {@code window}, so attempts to it fail at once for {@code ttl}, of which
 * {@code remaining} is left. The limiter fails the attempt with a {@code DeadDestinationException} that carries
 * these values.
 *
 * @param destination the address that was marked dead
 * @param failures    how many half-open timeouts or unreachables marked it
 * @param window      within how long they came
 * @param ttl         how long attempts to it fail at once
 * @param remaining   how much of the TTL is left
 */
public record DeadDestination(InetAddress destination, int failures, Duration window, Duration ttl,
        Duration remaining) implements RefusalDetail {

    /**
     * Checks the components.
     *
     * @param destination see the record's description
     * @param failures    see the record's description
     * @param window      see the record's description
     * @param ttl         see the record's description
     * @param remaining   see the record's description
     */
    public DeadDestination {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(remaining, "remaining");
    }

    /**
     * Says it in words, with the destination, the count, the window and the TTL: the reason of the refusal.
     *
     * @return for example "destination 198.51.100.7 timed out or was unreachable 3 times within 120 s: attempts
     *         to it fail at once for 300 s (299.5 s left)"
     */
    public String describe() {
        return "destination " + destination.getHostAddress() + " timed out or was unreachable " + failures
                + (failures == 1 ? " time" : " times") + " within " + seconds(window) + ": attempts to it fail at once"
                + " for " + seconds(ttl) + " (" + seconds(remaining) + " left)";
    }

    static String seconds(final Duration duration) {
        final long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s"
                : String.format(java.util.Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
    }
}
