package io.halfopen.policy;

/**
 * The type of a {@link PolicyParameter}, and how it is written in the registry's syntax.
 */
public enum ParameterType {
    /** A whole number, {@code int}: {@code 5}, {@code 1_000}. */
    INTEGER("an integer such as 5"),
    /** A decimal number, {@code double}: {@code 0.9}, {@code 2.5}, {@code 10}, {@code 1e-3}. */
    DECIMAL("a decimal number such as 0.9"),
    /**
     * A {@link java.time.Duration}: a number and a unit, one of {@code ns}, {@code us}, {@code ms}, {@code s},
     * {@code m}, {@code h}, {@code d}: {@code 1s}, {@code 250ms}, {@code 1.5s}.
     */
    DURATION("a duration with a unit (ns, us, ms, s, m, h, d) such as 1s or 250ms"),
    /** {@code true} or {@code false}. */
    BOOLEAN("true or false"),
    /** A nested policy, in the same syntax: {@code halfOpenCap(10)}, {@code unlimited}. */
    POLICY("a policy such as halfOpenCap(10)");

    private final String expected;

    ParameterType(final String expected) {
        this.expected = expected;
    }

    /**
     * Returns how a value of this type is written, for error messages: "a duration with a unit ... such as 1s".
     *
     * @return the description
     */
    public String expected() {
        return expected;
    }
}
