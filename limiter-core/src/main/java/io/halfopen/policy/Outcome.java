package io.halfopen.policy;

/**
 * How an admitted attempt ended, as its gate learns on {@link AdmissionGate#exit}: the feedback an adaptive
 * policy needs (an AIMD cap that shrinks on timeouts, a failure-rate limiter, a scan detector that reads the
 * outcomes of first contacts).
 */
public enum Outcome {
    /** The handshake completed (SYN-ACK). */
    ESTABLISHED,
    /** The peer answered with a reset. */
    REFUSED,
    /** No answer: the connect was aborted after a timeout (the limiter's half-open timeout or the owner's). */
    TIMED_OUT,
    /** Another failure (unreachable, local error). */
    FAILED,
    /** The owner gave up; says nothing about the peer. */
    CANCELLED
}
