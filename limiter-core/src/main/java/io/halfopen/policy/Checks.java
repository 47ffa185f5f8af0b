package io.halfopen.policy;

import java.time.Duration;

/** Parameter checks for the policies' factories: each failure names the parameter and the value. */
final class Checks {

    private Checks() {
    }

    static int atLeast(final String parameter, final int value, final int min) {
        if (value < min) {
            throw new IllegalArgumentException(parameter + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    static int between(final String parameter, final int value, final int min, final int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(parameter + " must be between " + min + " and " + max + ", was "
                    + value);
        }
        return value;
    }

    /** A finite number strictly between {@code min} and {@code max}. */
    static double strictlyBetween(final String parameter, final double value, final double min, final double max) {
        if (!(value > min && value < max)) {
            throw new IllegalArgumentException(parameter + " must be greater than " + min + " and less than " + max
                    + ", was " + value);
        }
        return value;
    }

    static Duration positive(final String parameter, final Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(parameter + " must not be null");
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(parameter + " must be positive, was " + value);
        }
        try {
            value.toNanos();
        } catch (final ArithmeticException overflow) {
            throw new IllegalArgumentException(parameter + " is too long (at most about 292 years), was " + value);
        }
        return value;
    }

    static AdmissionPolicy notNull(final String parameter, final AdmissionPolicy value) {
        if (value == null) {
            throw new IllegalArgumentException(parameter + " must not be null");
        }
        return value;
    }
}
