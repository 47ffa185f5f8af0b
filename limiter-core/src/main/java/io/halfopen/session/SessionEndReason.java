package io.halfopen.session;

/** Why a session ended. Immutable and thread-safe. */
public enum SessionEndReason {

    /**
     * Its last connection closed, or moved to another session: it authenticated as another user, or logged on
     * anonymously.
     */
    CLOSED,

    /** AutoDisconnect: idle longer than the limiter's AutoDisconnect time; its connections were closed. */
    AUTO_DISCONNECTED,

    /** A null session idle longer than the null-session idle time; its connection was closed. */
    NULL_SESSION_EXPIRED,

    /** An administrator ended it with {@link InboundSessionLimiter#disconnect(String)}. */
    DISCONNECTED
}
