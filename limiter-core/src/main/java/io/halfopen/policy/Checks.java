package io.halfopen.policy;

/**
 * The parameter checks the scan detectors need beyond {@link PolicyParameterException}'s: each failure is a
 * {@code PolicyParameterException} that names the parameter and the value.
 */
final class Checks {

    private Checks() {
    }

    static int between(final String parameter, final int value, final int min, final int max) {
        if (value < min || value > max) {
            throw new PolicyParameterException(parameter, parameter + " must be between " + min + " and " + max
                    + ", was " + value);
        }
        return value;
    }

    /** A number strictly between {@code min} and {@code max} (so never NaN). */
    static double strictlyBetween(final String parameter, final double value, final double min, final double max) {
        if (!(value > min && value < max)) {
            throw new PolicyParameterException(parameter, parameter + " must be greater than " + min
                    + " and less than " + max + ", was " + value);
        }
        return value;
    }

    static java.time.Duration positive(final String parameter, final java.time.Duration value) {
        PolicyParameterException.positiveNanos(parameter, value);
        return value;
    }
}
