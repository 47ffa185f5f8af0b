package io.halfopen.session;

import io.halfopen.time.TimerNode;
import java.time.Duration;

/**
 * One live session of the table: a computer's session (named by the first user who authenticated on it, or
 * unnamed), a further user's session of the same computer, or one null session; its connections; its open
 * handles; its idle timer, which is the session itself (a {@link TimerNode}): on the shared timer wheel arming and
 * stopping the AutoDisconnect or null-session timer allocate nothing.
 *
 * <p>Guarded by the owning limiter's lock, except {@link #lastActivityNanos}, which is volatile so that
 * {@link SessionConnection#touch()} can refresh it without the lock (a lost race between two touches only
 * loses a few nanoseconds of idle time).
 */
final class Session extends TimerNode {

    /** Whose table this is: the idle timer's expiry is its check. */
    private final InboundSessionLimiter owner;

    final long id;
    final String computerKey;
    final String computer;
    final boolean nullSession;
    /** How long the session may stay idle, in nanoseconds; negative if it never times out. */
    final long idleTimeoutNanos;
    /** What ending the session for idleness is called: AutoDisconnect or null-session expiry. */
    final SessionEndReason idleReason;

    String userName;
    String userKey;
    String clientType;
    boolean exempt;

    /** The session's connections: a doubly linked list through {@link SessionConnection}. */
    SessionConnection firstConnection;
    int connections;
    /** Handles open on this session's connections. */
    int openHandles;
    /** The next session of the same computer, in the order they opened. */
    Session nextOfComputer;

    /** Whether the idle timer (this node) is armed, or its expiry's check has yet to run. */
    boolean idleCheckArmed;
    boolean ended;
    volatile long lastActivityNanos;

    Session(final InboundSessionLimiter owner, final long id, final String computerKey, final ConnectionInfo info, final boolean exempt,
            final long idleTimeoutNanos, final SessionEndReason idleReason, final long nowNanos) {
        this.owner = owner;
        this.id = id;
        this.computerKey = computerKey;
        this.computer = info.computer();
        this.nullSession = info.anonymous();
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.idleReason = idleReason;
        this.userName = info.userName();
        this.userKey = ComputerNames.key(userName);
        this.clientType = info.clientType();
        this.exempt = exempt;
        this.lastActivityNanos = nowNanos;
    }

    /** Whether unauthenticated connections of the computer may join it: a non-null session. */
    boolean joinable() {
        return !nullSession;
    }

    /** Whether it is a computer's session nobody has authenticated on yet. */
    boolean unnamed() {
        return !nullSession && userName.isEmpty();
    }

    void named(final ConnectionInfo info) {
        this.userName = info.userName();
        this.userKey = ComputerNames.key(userName);
        this.clientType = info.clientType();
    }

    void add(final SessionConnection connection) {
        connection.nextInSession = firstConnection;
        connection.previousInSession = null;
        if (firstConnection != null) {
            firstConnection.previousInSession = connection;
        }
        firstConnection = connection;
        connections++;
        openHandles += connection.openHandles;
    }

    void remove(final SessionConnection connection) {
        if (connection.previousInSession != null) {
            connection.previousInSession.nextInSession = connection.nextInSession;
        } else {
            firstConnection = connection.nextInSession;
        }
        if (connection.nextInSession != null) {
            connection.nextInSession.previousInSession = connection.previousInSession;
        }
        connection.previousInSession = null;
        connection.nextInSession = null;
        connections--;
        openHandles -= connection.openHandles;
    }

    void touch(final long nowNanos) {
        lastActivityNanos = nowNanos;
    }

    long idleNanos(final long nowNanos) {
        return Math.max(0L, nowNanos - lastActivityNanos);
    }

    /** Stops the idle timer (the session ended); a check already under way finds the session ended. */
    void stopIdleCheck() {
        disarm();
        idleCheckArmed = false;
    }

    /** The idle timer fired: the owner checks the session's idle time, on the scheduler's thread. */
    @Override
    protected void expire() {
        owner.checkIdle(this);
    }

    SessionInfo info(final long nowNanos) {
        return new SessionInfo(id, computer, userName, clientType, openHandles, connections,
                Duration.ofNanos(idleNanos(nowNanos)), nullSession, exempt);
    }

    @Override
    public String toString() {
        return "Session#" + id + "[\\\\" + computer + (nullSession ? " (null session)" : " user '" + userName + "'")
                + ", " + connections + " connections, " + openHandles + " opens" + (ended ? ", ended" : "") + "]";
    }
}
