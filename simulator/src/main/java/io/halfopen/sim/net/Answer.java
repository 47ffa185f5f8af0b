package io.halfopen.sim.net;

/** How a destination answers a SYN, in the network model. */
public enum Answer {
    /** A SYN-ACK after the RTT: the connect is established. */
    ACCEPT("accepted"),
    /** A reset after the RTT: nothing listens on the port. */
    REFUSE("refused"),
    /** Nothing comes back: the SYN is dropped (a dead address or a firewall); the stack gives up. */
    DROP("dropped"),
    /** An ICMP destination-unreachable after the RTT. */
    UNREACHABLE("unreachable");

    private final String word;

    Answer(final String word) {
        this.word = word;
    }

    /**
     * Returns the word used in traces and reports: accepted, refused, dropped, unreachable.
     *
     * @return the word
     */
    public String word() {
        return word;
    }

    /**
     * Reads a word written by {@link #word()}.
     *
     * @param word the word
     * @return the answer
     * @throws IllegalArgumentException if it is none of them
     */
    public static Answer ofWord(final String word) {
        for (final Answer a : values()) {
            if (a.word.equals(word)) {
                return a;
            }
        }
        throw new IllegalArgumentException("'" + word + "' is not an outcome (accepted, refused, dropped, unreachable)");
    }

    /**
     * Whether a destination that answers so is alive (anything but a drop).
     *
     * @return {@code true} unless {@link #DROP}
     */
    public boolean live() {
        return this != DROP;
    }
}
