package io.halfopen.policy;

import java.util.Objects;

/**
 * One parameter of a policy in the {@link PolicyRegistry}: its name, type and default, whether that default is
 * the source's (the paper or product the policy comes from documents it) or this project's choice, and what it
 * means. Immutable.
 */
public final class PolicyParameter {

    /** Where a parameter's default comes from. */
    public enum Origin {
        /** The policy's source documents it (the paper, the product, the operating system). */
        SOURCE("the source's"),
        /** The source does not document it: this project chose it. */
        OURS("our choice");

        private final String label;

        Origin(final String label) {
            this.label = label;
        }

        /**
         * Returns a short label for tables: "the source's" or "our choice".
         *
         * @return the label
         */
        public String label() {
            return label;
        }
    }

    private final String name;
    private final ParameterType type;
    private final Object defaultValue;
    private final Origin origin;
    private final String description;

    PolicyParameter(final String name, final ParameterType type, final Object defaultValue, final Origin origin,
            final String description) {
        this.name = PolicySyntax.checkIdentifier(name, "parameter name");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = ValueSyntax.checkType(name, type, defaultValue);
        this.origin = Objects.requireNonNull(origin, "origin");
        this.description = Objects.requireNonNull(description, "description");
    }

    /**
     * Returns the name, as written in the syntax ({@code workingSet}).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the type.
     *
     * @return the type
     */
    public ParameterType type() {
        return type;
    }

    /**
     * Returns the default value: an {@link Integer}, {@link Double}, {@link java.time.Duration}, {@link Boolean}
     * or {@link AdmissionPolicy}, as the type says.
     *
     * @return the default
     */
    public Object defaultValue() {
        return defaultValue;
    }

    /**
     * Returns the default as it is written in the syntax ({@code 1s}, {@code 0.9}, {@code halfOpenCap(10)}).
     *
     * @return the text
     */
    public String defaultText() {
        return ValueSyntax.write(type, defaultValue).orElse(String.valueOf(defaultValue));
    }

    /**
     * Returns where the default comes from.
     *
     * @return the origin
     */
    public Origin origin() {
        return origin;
    }

    /**
     * Returns what the parameter means, in one line.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return name + "=" + defaultText() + " (" + type.name().toLowerCase(java.util.Locale.ROOT) + ", "
                + origin.label() + ")";
    }
}
