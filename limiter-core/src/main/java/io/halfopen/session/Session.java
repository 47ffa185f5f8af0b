package io.halfopen.session;

import io.halfopen.time.Cancellable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One live session of the table: a (computer, user) pair, or one null session, and its open connections.
 *
 * <p>Guarded by the owning limiter's lock, except {@link #lastActivityNanos}, which is volatile so that
 * {@link SessionConnection#touch()} can refresh it without the lock (a lost race between two touches
 * only loses a few nanoseconds of idle time).
 */
final class Session {

    final SessionKey key;
    final String computer;
    final String userName;
    final boolean nullSession;
    final boolean exempt;
    /** How long the session may stay idle, in nanoseconds; negative if it never times out. */
    final long idleTimeoutNanos;
    /** What ending the session for idleness is called: AutoDisconnect or null-session expiry. */
    final SessionEndReason idleReason;

    String clientType;
    final Set<SessionConnection> connections = new LinkedHashSet<>();
    Cancellable idleCheck = () -> { };
    boolean ended;
    volatile long lastActivityNanos;

    Session(final SessionKey key, final ConnectionInfo info, final boolean exempt, final long idleTimeoutNanos,
            final SessionEndReason idleReason, final long nowNanos) {
        this.key = key;
        this.computer = info.computer();
        this.userName = info.userName();
        this.nullSession = info.anonymous();
        this.exempt = exempt;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.idleReason = idleReason;
        this.clientType = info.clientType();
        this.lastActivityNanos = nowNanos;
    }

    void touch(final long nowNanos) {
        lastActivityNanos = nowNanos;
    }

    long idleNanos(final long nowNanos) {
        return Math.max(0L, nowNanos - lastActivityNanos);
    }

    List<SessionConnection> connectionsSnapshot() {
        return new ArrayList<>(connections);
    }

    SessionInfo info(final long nowNanos) {
        return new SessionInfo(computer, userName, clientType, connections.size(),
                Duration.ofNanos(idleNanos(nowNanos)), nullSession, exempt);
    }
}
