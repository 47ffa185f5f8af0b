package io.halfopen.testkit.internal;

/** Why the kernel trace cannot run in this process; the message names what is missing. */
public final class TraceUnavailable extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Says what is missing.
     *
     * @param missing what is missing, e.g. "not root (effective uid 1000)"
     */
    public TraceUnavailable(final String missing) {
        super(missing, null, false, false);
    }
}
