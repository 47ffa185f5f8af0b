package io.halfopen.sim.spec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/** Reads and writes durations the way users type them: {@code 21s}, {@code 100ms}, {@code 1.5h}, {@code 250us}. */
public final class Durations {

    private Durations() {
    }

    /**
     * Parses a number followed by a unit: {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h},
     * {@code d}; or an ISO-8601 duration such as {@code PT21S}.
     *
     * @param text the text
     * @return the duration
     * @throws IllegalArgumentException if it is not one, with the reason
     */
    public static Duration parse(final String text) {
        final String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt") || t.startsWith("p")) {
            try {
                return Duration.parse(text.strip());
            } catch (final RuntimeException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (such as 21s, 100ms, 1.5h)");
            }
        }
        int split = 0;
        while (split < t.length() && (Character.isDigit(t.charAt(split)) || t.charAt(split) == '.'
                || t.charAt(split) == '-' || t.charAt(split) == '_')) {
            split++;
        }
        final String number = t.substring(0, split).replace("_", "");
        final String unit = t.substring(split).strip();
        final long nanosPerUnit = switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s", "" -> 1_000_000_000L;
            case "m", "min" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + unit
                    + "' (ns, us, ms, s, m, h, d)");
        };
        if (number.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (such as 21s, 100ms, 1.5h)");
        }
        try {
            final BigDecimal nanos = new BigDecimal(number).multiply(BigDecimal.valueOf(nanosPerUnit));
            return Duration.ofNanos(nanos.longValueExact());
        } catch (final NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (such as 21s, 100ms, 1.5h)");
        }
    }

    /**
     * Writes a duration compactly, for labels: {@code 21s}, {@code 100ms}, {@code 1.5s}.
     *
     * @param d the duration
     * @return the text
     */
    public static String format(final Duration d) {
        final long nanos = d.toNanos();
        if (nanos % 3_600_000_000_000L == 0 && nanos != 0) {
            return nanos / 3_600_000_000_000L + "h";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }

    /**
     * Converts virtual nanoseconds to seconds.
     *
     * @param nanos the time
     * @return seconds
     */
    public static double seconds(final long nanos) {
        return nanos / 1e9;
    }

    /**
     * Converts seconds to nanoseconds, rounding to the nearest.
     *
     * @param seconds the time
     * @return nanoseconds
     */
    public static long nanos(final double seconds) {
        return Math.round(seconds * 1e9);
    }
}
