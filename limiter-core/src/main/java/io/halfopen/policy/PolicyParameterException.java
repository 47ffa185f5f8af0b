package io.halfopen.policy;

import java.util.Objects;

/**
 * A policy's factory refused a parameter's value: the message names the parameter, the value and what is
 * allowed ({@code "workingSet must be at least 1, was 0"}). Thrown at once by the static factories
 * ({@link AdmissionPolicy#halfOpenCap(int)} and the others) and their {@code with} methods, so that a bad value never
 * reaches a gate; the {@link PolicyRegistry} turns it into a {@link PolicySyntaxException} that points at the
 * value's column in the text.
 */
public final class PolicyParameterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The parameter whose value was refused, as the registry names it. */
    private final String parameter;

    /**
     * Creates the exception.
     *
     * @param parameter the parameter, as the registry names it (such as {@code workingSet})
     * @param message   what is wrong, naming the parameter and the value
     */
    public PolicyParameterException(final String parameter, final String message) {
        super(message);
        this.parameter = Objects.requireNonNull(parameter, "parameter");
    }

    /**
     * Returns the parameter whose value was refused.
     *
     * @return its name, as the registry names it
     */
    public String parameter() {
        return parameter;
    }

    /**
     * Checks that an integer is at least {@code min}.
     *
     * @param parameter the parameter's name
     * @param value     the value
     * @param min       the least value allowed
     * @return the value
     * @throws PolicyParameterException naming the parameter if it is smaller
     */
    static int atLeast(final String parameter, final int value, final int min) {
        if (value < min) {
            throw new PolicyParameterException(parameter, parameter + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    /**
     * Checks that a number is finite and within {@code [min, max]}.
     *
     * @param parameter the parameter's name
     * @param value     the value
     * @param min       the least value allowed
     * @param max       the greatest value allowed
     * @return the value
     * @throws PolicyParameterException naming the parameter otherwise
     */
    static double between(final String parameter, final double value, final double min, final double max) {
        if (!(value >= min && value <= max)) {
            throw new PolicyParameterException(parameter, parameter + " must be between " + min + " and " + max
                    + ", was " + value);
        }
        return value;
    }

    /**
     * Checks that a duration is positive and fits in a {@code long} of nanoseconds.
     *
     * @param parameter the parameter's name
     * @param value     the value
     * @return the value in nanoseconds
     * @throws PolicyParameterException naming the parameter otherwise
     */
    static long positiveNanos(final String parameter, final java.time.Duration value) {
        if (value == null) {
            throw new PolicyParameterException(parameter, parameter + " must not be null");
        }
        if (value.isNegative() || value.isZero()) {
            throw new PolicyParameterException(parameter, parameter + " must be positive, was " + value);
        }
        try {
            return value.toNanos();
        } catch (final ArithmeticException overflow) {
            throw new PolicyParameterException(parameter, parameter + " is too long (at most about 292 years), was "
                    + value);
        }
    }

    /**
     * Checks that a nested policy is given.
     *
     * @param parameter the parameter's name
     * @param value     the policy
     * @return the policy
     * @throws PolicyParameterException naming the parameter if it is null
     */
    static AdmissionPolicy notNull(final String parameter, final AdmissionPolicy value) {
        if (value == null) {
            throw new PolicyParameterException(parameter, parameter + " must not be null");
        }
        return value;
    }
}
