package io.halfopen.session;

import java.util.Objects;

/**
 * One admitted inbound connection (a socket): the handle {@link InboundSessionLimiter#admit} returns.
 *
 * <p>The protocol calls {@link #touch()} on activity; {@link #authenticate(String, String)} once it knows the
 * user, or {@link #authenticateAnonymously()} for an anonymous (null session) logon; {@link #open(String)} for
 * each file or pipe the client opens; and {@link #close()} when the socket closes. The limiter may end the
 * connection first (AutoDisconnect, null-session expiry, {@link InboundSessionLimiter#disconnect(String)}); it
 * then runs the disconnect callback given to {@code admit}, which must close the real socket. Either way the
 * connection ends exactly once, its open handles close with it, and {@link #close()} afterwards is a no-op.
 *
 * <p>Thread-safe. {@link #touch()} takes no lock; the other methods take the limiter's lock briefly.
 */
public final class SessionConnection implements AutoCloseable {

    private final InboundSessionLimiter limiter;
    private final Runnable onDisconnect;
    private volatile ConnectionInfo info;
    /** The session this connection belongs to; null once ended. Written under the limiter's lock. */
    private volatile Session session;

    /** Links of its session's connection list; guarded by the limiter's lock. */
    SessionConnection previousInSession;
    SessionConnection nextInSession;
    /** Handles open on this connection; guarded by the limiter's lock. */
    int openHandles;

    SessionConnection(final InboundSessionLimiter limiter, final ConnectionInfo info, final Runnable onDisconnect) {
        this.limiter = limiter;
        this.info = info;
        this.onDisconnect = Objects.requireNonNull(onDisconnect, "onDisconnect");
    }

    /** Refreshes the idle time of this connection's session; a no-op once the connection ended. Lock-free. */
    public void touch() {
        final Session current = session;
        if (current != null) {
            current.touch(limiter.nowNanos());
        }
    }

    /**
     * Tells the limiter the user this connection authenticated as. All connections from one computer are one
     * session (KB 314882), so:
     * <ul>
     *   <li>if the computer has a session of that user, the connection joins it (never refused);</li>
     *   <li>else, if the computer's session has no user yet, the first user to authenticate names it: the
     *       session, with every connection in it, becomes that user's (the listener hears
     *       {@link SessionListener#sessionAuthenticated});</li>
     *   <li>else it is a second user context from the same computer, a new session that counts against the
     *       limit, except when this connection was the last one of its old session (which then ends first, so
     *       the count does not grow).</li>
     * </ul>
     * An empty user name moves the connection to the computer's session, opening one if there is none. On
     * refusal the connection stays where it was; closing it is up to the caller.
     *
     * @param userName   the authenticated user; empty for the computer's session
     * @param clientType the client software, shown in the {@code net session} table; may be empty
     * @throws SessionLimitExceededException if a new session would pass the limit (error 71)
     * @throws IllegalStateException         if the connection already ended
     */
    public void authenticate(final String userName, final String clientType) {
        limiter.authenticate(this, info.withUser(userName, clientType));
    }

    /**
     * Logs this connection on anonymously: it leaves its session for a null session of its own, which counts
     * against the limit separately, even beside another session of the same computer (KB 328459), and idles
     * out after the null-session idle time unless a handle is open on it. When this connection was the last
     * one of its old session, that session ends first, so the count does not grow. A no-op if it already is
     * a null session. On refusal the connection stays where it was; closing it is up to the caller.
     *
     * @throws AnonymousSessionRefusedException if anonymous access is restricted (error 5)
     * @throws SessionLimitExceededException     if the null session would pass the limit (error 71)
     * @throws IllegalStateException             if the connection already ended
     */
    public void authenticateAnonymously() {
        limiter.authenticateAnonymously(this);
    }

    /**
     * Opens a file or pipe on this connection, such as {@code \PIPE\spoolss}: its session's Opens grows by one
     * until the handle closes, and while any handle is open the session is never ended for being idle
     * (see {@link OpenHandle}). Opening is activity.
     *
     * @param path what is opened, as the protocol names it; not blank
     * @return the open handle; close it when the client closes the file or pipe
     * @throws IllegalStateException    if the connection already ended
     * @throws IllegalArgumentException if {@code path} is blank
     * @throws NullPointerException     if {@code path} is null
     */
    public OpenHandle open(final String path) {
        return limiter.open(this, OpenHandle.checkPath(path));
    }

    /**
     * Ends this connection, closing its handles, and its session if it was the last connection. Idempotent;
     * never runs the disconnect callback.
     */
    @Override
    public void close() {
        limiter.release(this);
    }

    /**
     * Returns whether the connection is still admitted: not closed, not disconnected by the limiter.
     *
     * @return {@code true} while the connection holds its session
     */
    public boolean isOpen() {
        return session != null;
    }

    /**
     * Returns what the protocol last told the limiter about this connection. A connection that joined an
     * authenticated computer's session without authenticating itself has an empty user name here.
     *
     * @return the connection's description
     */
    public ConnectionInfo info() {
        return info;
    }

    InboundSessionLimiter limiter() {
        return limiter;
    }

    Session session() {
        return session;
    }

    void joined(final Session newSession, final ConnectionInfo newInfo) {
        this.info = newInfo;
        this.session = newSession;
    }

    void ended() {
        this.session = null;
    }

    Runnable onDisconnect() {
        return onDisconnect;
    }

    @Override
    public String toString() {
        return "SessionConnection[" + info + (isOpen() ? "" : ", ended") + "]";
    }
}
