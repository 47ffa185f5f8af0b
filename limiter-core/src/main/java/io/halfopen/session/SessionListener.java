package io.halfopen.session;

/**
 * Hears what an {@link InboundSessionLimiter} does to sessions. Every method has an empty default.
 *
 * <p>Methods run on the thread that caused the event (the thread admitting or closing a connection, or
 * the scheduler's thread for idle timeouts), never while the limiter holds its lock, so a listener may
 * call back into the limiter. They must be thread-safe and quick; an exception they throw is logged and
 * otherwise ignored.
 */
public interface SessionListener {

    /** A listener that does nothing. */
    SessionListener NONE = new SessionListener() {
    };

    /**
     * A new session opened.
     *
     * @param session the session as it opened
     */
    default void sessionOpened(final SessionInfo session) {
    }

    /**
     * A session ended; its connections were closed if the limiter ended it.
     *
     * @param session the session as it was when it ended
     * @param reason  why it ended
     */
    default void sessionEnded(final SessionInfo session, final SessionEndReason reason) {
    }

    /**
     * A connection was refused, before its exception is thrown to the caller.
     *
     * @param refusal the refusal: error 71 past the limit, or error 5 for a restricted anonymous connection
     */
    default void sessionRefused(final SessionRefusedException refusal) {
    }
}
