package io.halfopen.session;

import java.util.Objects;

/**
 * One admitted inbound connection: the handle {@link InboundSessionLimiter#admit} returns.
 *
 * <p>The protocol calls {@link #touch()} on activity, {@link #authenticate(String, String)} once it knows
 * the user, and {@link #close()} when the connection closes. The limiter may end the connection first
 * (AutoDisconnect, null-session expiry, {@link InboundSessionLimiter#disconnect(String)}); it then runs the
 * disconnect callback given to {@code admit}, which must close the real connection. Either way the
 * connection ends exactly once; {@link #close()} afterwards is a no-op.
 *
 * <p>Thread-safe. {@link #touch()} takes no lock; the other methods take the limiter's lock briefly.
 */
public final class SessionConnection implements AutoCloseable {

    private final InboundSessionLimiter limiter;
    private final Runnable onDisconnect;
    private volatile ConnectionInfo info;
    /** The session this connection belongs to; null once ended. Written under the limiter's lock. */
    private volatile Session session;

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
     * Moves this connection to the session of ({@code computer}, {@code userName}): a second user from the
     * same computer opens a second session. Joining an existing session always succeeds; opening a new one
     * counts against the limit, except when this connection was the last one of its old session (which
     * then ends, so the count does not grow). On refusal the connection stays where it was; closing it is
     * up to the caller.
     *
     * @param userName   the authenticated user; empty moves back to the computer's default session
     * @param clientType the client software, shown in the {@code net session} table; may be empty
     * @throws SessionLimitExceededException if a new session would pass the limit (error 71)
     * @throws IllegalStateException         if the connection already ended
     */
    public void authenticate(final String userName, final String clientType) {
        limiter.authenticate(this, info.withUser(userName, clientType));
    }

    /** Ends this connection, and its session if it was the last one. Idempotent; never runs the callback. */
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
     * Returns what the protocol last told the limiter about this connection.
     *
     * @return the connection's description
     */
    public ConnectionInfo info() {
        return info;
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
