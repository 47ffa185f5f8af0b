package io.halfopen.sim.host;

/** How a simulated connect attempt ended, as the simulator counts it. */
public enum Ending {
    /** The handshake completed. */
    ESTABLISHED("established"),
    /** The destination reset the SYN. */
    REFUSED("refused"),
    /** No answer: the stack gave up on its SYNs, or the limiter's half-open timeout aborted it. */
    TIMED_OUT("timed-out"),
    /** An ICMP destination-unreachable ended it. */
    UNREACHABLE("unreachable"),
    /** The limiter refused it a place in its queue (or was closed): it never went out. */
    REJECTED("rejected"),
    /** It waited longer than the limiter's queue timeout: it never went out. */
    QUEUE_TIMEOUT("queue-timeout");

    private final String word;

    Ending(final String word) {
        this.word = word;
    }

    /**
     * Returns the word used in reports.
     *
     * @return the word
     */
    public String word() {
        return word;
    }

    /**
     * Whether the attempt went out (held a slot and sent its SYN).
     *
     * @return {@code true} for the network outcomes
     */
    public boolean wentOut() {
        return this != REJECTED && this != QUEUE_TIMEOUT;
    }
}
