package io.halfopen.sim.trace;

/** A trace line that cannot be read: says which file, which line, and what is wrong with it. */
public final class TraceFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The 1-based line that cannot be read. */
    private final long line;

    /**
     * Creates the exception.
     *
     * @param source the file (or its label)
     * @param line   the line, 1-based
     * @param what   what is wrong
     */
    public TraceFormatException(final String source, final long line, final String what) {
        super(source + ", line " + line + ": " + what);
        this.line = line;
    }

    /**
     * Returns the line that is wrong.
     *
     * @return 1-based
     */
    public long line() {
        return line;
    }
}
