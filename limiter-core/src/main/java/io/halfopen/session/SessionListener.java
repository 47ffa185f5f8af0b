package io.halfopen.session;

/**
 * Hears what an {@link InboundSessionLimiter} does to sessions. Every method has an empty default.
 *
 * <h2>Ordering</h2>
 * Events are delivered one at a time, never concurrently, in the order the limiter's table changed. That is one
 * total order across all sessions, the order in which the changes took the limiter's lock, so:
 * <ul>
 *   <li>each session's events arrive in order: {@link #sessionOpened} first, {@link #sessionAuthenticated} at
 *       most once after it, {@link #sessionEnded} last, each exactly once (tell sessions apart by
 *       {@link SessionInfo#id()});</li>
 *   <li>replaying the events in the order they arrive passes only through states the table really was in: the
 *       counted (not {@linkplain SessionInfo#exempt() exempt}) sessions a listener has heard opened and not
 *       ended never number more than the limit, and an error-71 refusal arrives while they are at the limit
 *       in that replay;</li>
 *   <li>a session's end comes after its connections' disconnect callbacks ran, when the limiter ended it.</li>
 * </ul>
 * The snapshot an event carries is the session as it was at that change, not when the event is delivered.
 *
 * <h2>Threads</h2>
 * Events are delivered outside the limiter's lock, usually on the thread whose call changed the table (the
 * thread admitting, authenticating or closing a connection, the scheduler's thread for idle timeouts) before
 * that call returns. If another thread is delivering at that moment, that thread delivers the new events after
 * its own, and the call may return first. A listener may call back into the limiter; the events that causes
 * are delivered after the current event returns. Listeners must be thread-safe (they may be called from
 * different threads, one at a time) and quick: a slow listener delays every later event and disconnect
 * callback.
 *
 * <h2>Failures</h2>
 * A {@link RuntimeException} a listener throws is logged and otherwise ignored. An {@link Error} (an
 * {@link AssertionError} from a test's listener, say) is logged and rethrown by the limiter call that
 * delivered it, once every other queued event and callback ran and the table is consistent: no session,
 * connection or unclosed socket is left behind.
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
     * A computer's session, opened before anyone authenticated on it (empty user name), was named by the first
     * user to authenticate on it; it keeps its id, its connections and its place under the limit.
     *
     * @param session the session as it is now, with its user name
     */
    default void sessionAuthenticated(final SessionInfo session) {
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
     * A connection was refused a session: error 71 past the limit, or error 5 for a restricted anonymous
     * logon. Delivered in order with the other events, before the refusal is thrown to the caller unless
     * another thread is delivering (see Threads).
     *
     * @param refusal the refusal
     */
    default void sessionRefused(final SessionRefusedException refusal) {
    }
}
