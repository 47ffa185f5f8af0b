package io.halfopen.testkit;

/** Which of the kernel's judges gave a verdict. */
public enum Judge {

    /**
     * The tracepoint {@code sock:inet_sock_set_state}, read through tracefs: every transition into and out of
     * SYN_SENT, in kernel order, summed; the peak is exact.
     */
    TRACED("traced, exact"),

    /**
     * Samples of {@code /proc/net/tcp*}: a walk of the kernel's tables is not a snapshot, and a sample can miss a
     * socket that was in SYN_SENT for less than a sample's interval; the peak is the sockets seen by two samples
     * in a row.
     */
    SAMPLED("sampled");

    private final String words;

    Judge(final String words) {
        this.words = words;
    }

    /** {@return how a verdict names this judge: "traced, exact" or "sampled"} */
    public String words() {
        return words;
    }
}
