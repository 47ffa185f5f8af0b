package io.halfopen.policy;

import java.util.Objects;

/**
 * A policy's text could not be read, or named something the {@link PolicyRegistry} does not know: the message
 * says what is wrong, what was expected (the known policies, the policy's parameters, the form of a value) and
 * where, as a 1-based column of the text, for example
 * {@code unknown parameter 'workingSe' for williamson at column 12 of "williamson(workingSe=5)"; williamson takes
 * workingSet, release, queueSize, highWatermark, lowWatermark, refuseWhenFull, within}.
 */
public final class PolicySyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The text that was read. */
    private final String input;
    /** Where the problem is, 1-based. */
    private final int column;
    /** What is wrong, without the position. */
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param input  the text that was read
     * @param column where the problem is, 1-based
     * @param reason what is wrong and what was expected, without the position
     */
    public PolicySyntaxException(final String input, final int column, final String reason) {
        super(reason + " at column " + column + " of \"" + input + "\"");
        this.input = Objects.requireNonNull(input, "input");
        this.column = column;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Returns the text that was read.
     *
     * @return the text
     */
    public String input() {
        return input;
    }

    /**
     * Returns where the problem is.
     *
     * @return the column, 1-based
     */
    public int column() {
        return column;
    }

    /**
     * Returns what is wrong and what was expected, without the position.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }
}
