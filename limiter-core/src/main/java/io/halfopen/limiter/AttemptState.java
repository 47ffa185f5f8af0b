package io.halfopen.limiter;

/**
 * Where a {@link ConnectAttempt} is in its life. An attempt goes {@link #QUEUED} → {@link #HALF_OPEN} → one
 * terminal state, or leaves the queue directly as {@link #QUEUE_TIMEOUT}, {@link #CANCELLED} or
 * {@link #REJECTED}. It ends exactly once.
 */
public enum AttemptState {
    /** Waiting for a slot. Holds none. */
    QUEUED(false, false),
    /** Holds a slot: the connect may be issued and its SYN is, or is about to be, in flight. */
    HALF_OPEN(false, true),
    /**
     * Holds a slot past the half-open timeout: the owner was told to abort the connect and the slot frees
     * when the owner reports the socket closed.
     */
    ABORTING(false, true),
    /** Ended: the handshake completed. */
    ESTABLISHED(true, false),
    /** Ended: the peer answered with a reset (connection refused). */
    REFUSED(true, false),
    /** Ended: the connect was aborted after a timeout and its socket closed. */
    TIMED_OUT(true, false),
    /**
     * Ended: the connect failed for another reason (unreachable, local error), or the attempt's half-open
     * timer could not be armed before its owner was told to connect ({@link SchedulerFailedException}).
     */
    FAILED(true, false),
    /** Ended: the owner cancelled, in the queue or while half-open (after closing the socket). */
    CANCELLED(true, false),
    /** Ended: waited in the queue longer than the queue timeout. */
    QUEUE_TIMEOUT(true, false),
    /**
     * Ended without a slot: the limiter was closed, the policy refused the attempt, the queue was full, or its
     * queue timer could not be armed.
     */
    REJECTED(true, false);

    private final boolean terminal;
    private final boolean holdsSlot;

    AttemptState(final boolean terminal, final boolean holdsSlot) {
        this.terminal = terminal;
        this.holdsSlot = holdsSlot;
    }

    /**
     * Returns whether the attempt has ended.
     *
     * @return {@code true} for every state but {@link #QUEUED}, {@link #HALF_OPEN} and {@link #ABORTING}
     */
    public boolean isTerminal() {
        return terminal;
    }

    /**
     * Returns whether an attempt in this state holds one of the limiter's slots.
     *
     * @return {@code true} for {@link #HALF_OPEN} and {@link #ABORTING}
     */
    public boolean holdsSlot() {
        return holdsSlot;
    }
}
