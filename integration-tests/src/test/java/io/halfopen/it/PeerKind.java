package io.halfopen.it;

/** How a peer answers a SYN. */
enum PeerKind {
    /** Completes the handshake: a listener, nothing in the way. */
    ACCEPT(null),
    /** Drops every bare SYN: the connect stays in SYN_SENT until the client gives up. */
    DROP("drop"),
    /** Answers a SYN with a TCP reset: "Connection refused" at once. */
    RESET("reject with tcp reset"),
    /** Answers a SYN with ICMP(v6) port-unreachable, which Linux treats as a hard error in SYN_SENT. */
    ICMP("reject with icmpx type port-unreachable");

    private final String verdict;

    PeerKind(final String verdict) {
        this.verdict = verdict;
    }

    /**
     * Returns the nft rule that makes a port behave this way, for a chain hooked on input in an {@code inet}
     * table, or {@code null} for {@link #ACCEPT}. Only bare SYNs are matched, so nothing else is touched.
     *
     * @param port the peer's port
     * @return the rule, or {@code null}
     */
    String nftRule(final int port) {
        return verdict == null ? null : "tcp dport " + port + " tcp flags & (syn|ack) == syn " + verdict;
    }

    /** @return whether a connect to such a peer fails at once, with "Connection refused" */
    boolean refuses() {
        return this == RESET || this == ICMP;
    }
}
