package io.halfopen.policy;

/**
 * How an admitted attempt ended, as its gate learns on {@link AdmissionGate#exit}: the feedback an adaptive
 * policy (an AIMD cap that shrinks on timeouts, say) needs.
 */
public enum Outcome {
    /** The handshake completed. */
    ESTABLISHED,
    /** The peer answered with a reset. */
    REFUSED,
    /** No answer: the connect was aborted after a timeout. */
    TIMED_OUT,
    /** Another failure (unreachable, local error). */
    FAILED,
    /** The owner gave up; says nothing about the peer. */
    CANCELLED
}
