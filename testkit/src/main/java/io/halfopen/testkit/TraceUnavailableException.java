package io.halfopen.testkit;

/**
 * The kernel trace was required ({@link JudgeMode#TRACE}, e.g. under {@code CI=true}) and cannot run here; the
 * message names what is missing: not Linux, not root, no tracefs, no such tracepoint.
 */
public final class TraceUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** @param message what is missing, and why the trace was required */
    TraceUnavailableException(final String message) {
        super(message);
    }
}
