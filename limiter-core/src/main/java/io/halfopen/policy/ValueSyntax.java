package io.halfopen.policy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the values of the registry's syntax are read and written: integers, decimals, durations with a unit,
 * booleans, nested policies. Writing is canonical (one text per value), and reading what was written gives the
 * same value back. Stateless.
 */
final class ValueSyntax {

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9][0-9_]*");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9][0-9_]*)?(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("([+-]?[0-9][0-9_]*(\\.[0-9]+)?)([a-zµ]*)");
    private static final long[] UNIT_NANOS = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
        1_000_000_000L, 1_000_000L, 1_000L, 1L};
    private static final String[] UNIT_NAMES = {"d", "h", "m", "s", "ms", "us", "ns"};

    private ValueSyntax() {
    }

    /** Checks that a value has the Java type its parameter's type reads to; returns it. */
    static Object checkType(final String parameter, final ParameterType type, final Object value) {
        final Class<?> expected = javaType(type);
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("parameter " + parameter + " is " + type + ": its value must be a "
                    + expected.getSimpleName() + ", was " + (value == null ? "null" : value.getClass().getName()));
        }
        return value;
    }

    static Class<?> javaType(final ParameterType type) {
        return switch (type) {
            case INTEGER -> Integer.class;
            case DECIMAL -> Double.class;
            case DURATION -> Duration.class;
            case BOOLEAN -> Boolean.class;
            case POLICY -> AdmissionPolicy.class;
        };
    }

    /**
     * Writes a value canonically; empty if it is a nested policy that cannot describe itself.
     */
    static Optional<String> write(final ParameterType type, final Object value) {
        return switch (type) {
            case INTEGER, BOOLEAN -> Optional.of(value.toString());
            case DECIMAL -> Optional.of(writeDecimal((Double) value));
            case DURATION -> Optional.of(writeDuration((Duration) value));
            case POLICY -> ((AdmissionPolicy) value).spec();
        };
    }

    static String writeDecimal(final double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15 && !(value == 0 && 1 / value < 0)) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    static String writeDuration(final Duration value) {
        final long nanos;
        try {
            nanos = value.toNanos();
        } catch (final ArithmeticException e) {
            return value.getSeconds() + "s"; // no sub-second part can be that large and still be read back
        }
        if (nanos == 0) {
            return "0s";
        }
        for (int i = 0; i < UNIT_NANOS.length; i++) {
            if (nanos % UNIT_NANOS[i] == 0) {
                return nanos / UNIT_NANOS[i] + UNIT_NAMES[i];
            }
        }
        throw new AssertionError("every duration is a whole number of nanoseconds");
    }

    /**
     * Reads a literal (a number, a number with a unit) as the type says.
     *
     * @throws IllegalArgumentException with what was expected, without the position
     */
    static Object readLiteral(final ParameterType type, final String text) {
        switch (type) {
            case INTEGER:
                if (!INTEGER.matcher(text).matches()) {
                    throw expected(type, text);
                }
                try {
                    return Integer.valueOf(Integer.parseInt(text.replace("_", "")));
                } catch (final NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' is too large for an integer (at most "
                            + Integer.MAX_VALUE + ")");
                }
            case DECIMAL:
                if (!DECIMAL.matcher(text).matches() || !text.matches(".*[0-9].*") || text.matches("[+-]?[eE].*")) {
                    throw expected(type, text);
                }
                final double d = Double.parseDouble(text.replace("_", ""));
                if (Double.isInfinite(d)) {
                    throw new IllegalArgumentException("'" + text + "' is too large for a decimal number");
                }
                return Double.valueOf(d);
            case DURATION:
                return readDuration(text);
            default:
                throw expected(type, text);
        }
    }

    private static Duration readDuration(final String text) {
        final java.util.regex.Matcher m = NUMBER_AND_UNIT.matcher(text);
        if (!m.matches()) {
            throw expected(ParameterType.DURATION, text);
        }
        final String unit = m.group(3);
        long perUnit = -1;
        for (int i = 0; i < UNIT_NAMES.length; i++) {
            if (UNIT_NAMES[i].equals(unit)) {
                perUnit = UNIT_NANOS[i];
            }
        }
        if ("µs".equals(unit)) {
            perUnit = 1_000L;
        }
        if (unit.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no unit: expected "
                    + ParameterType.DURATION.expected());
        }
        if (perUnit < 0) {
            throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + unit + "': expected "
                    + ParameterType.DURATION.expected());
        }
        try {
            final BigDecimal nanos = new BigDecimal(m.group(1).replace("_", "")).multiply(BigDecimal.valueOf(perUnit));
            return Duration.ofNanos(nanos.longValueExact());
        } catch (final ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of nanoseconds, or is longer"
                    + " than about 292 years");
        }
    }

    private static IllegalArgumentException expected(final ParameterType type, final String text) {
        return new IllegalArgumentException("expected " + type.expected() + ", found '" + text + "'");
    }
}
