package io.halfopen.session;

import io.halfopen.profile.WindowsProfile;
import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Windows' inbound session limit: at most N remote computers connected at once (10 on XP Professional,
 * 5 on XP Home); a new one past the limit is refused with system error 71. One instance is shared by every
 * accepted connection of a server.
 *
 * <pre>{@code
 * InboundSessionLimiter limiter = InboundSessionLimiter.xpProfessional();
 * try {
 *     SessionConnection conn = limiter.admit(ConnectionInfo.from(remote), socket::close);
 *     conn.touch();                                   // on every read or write
 *     conn.authenticate("alice", "Windows 2002 Service Pack 2 2600");
 *     conn.close();                                   // when the socket closes
 * } catch (SessionLimitExceededException e) {         // e.errorCode() == 71
 *     socket.close();
 * }
 * }</pre>
 *
 * <p>The model (see the package documentation): a session is keyed by (remote computer, user); all
 * connections of a key share its session and only a new session counts against the limit, so a connection
 * joining an existing session is never refused. Each anonymous connection is a null session of its own.
 * Sessions idle longer than AutoDisconnect, and null sessions idle longer than their own timeout, are
 * ended and their connections closed through the callback each registered. The last connection to close
 * ends its session.
 *
 * <p>Thread-safe. The session table is guarded by one {@link ReentrantLock} (not {@code synchronized}, so
 * virtual threads never pin): admitting, authenticating, closing and the idle checks each take it briefly;
 * {@link SessionConnection#touch()} does not. Disconnect callbacks, listeners, logging and JFR run after
 * the lock is released, on the calling thread (the scheduler's thread for idle timeouts).
 */
public final class InboundSessionLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(InboundSessionLimiter.class);

    /** Table order: by computer, then user name, then null sessions in the order they opened. */
    private static final Comparator<Session> TABLE_ORDER = Comparator
            .comparing((Session session) -> session.key.computerKey())
            .thenComparing(session -> session.key.userKey())
            .thenComparingLong(session -> session.key.nullSessionSerial());

    private final int maxSessions;
    private final String limitSource;
    private final long autoDisconnectNanos;
    private final long nullSessionIdleNanos;
    private final boolean restrictAnonymous;
    private final Predicate<ConnectionInfo> exemption;
    private final SessionListener listener;
    private final RefusalReporter refusals;
    private final Ticker ticker;
    private final Scheduler scheduler;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<SessionKey, Session> sessions = new HashMap<>(); // guarded by lock
    private long nullSessionSerial;                                    // guarded by lock
    private int countedSessions;                                       // guarded by lock
    private int nullSessions;                                          // guarded by lock
    private int exemptSessions;                                        // guarded by lock
    private int openConnections;                                       // guarded by lock
    private int peakSessions;                                          // guarded by lock
    private long refused;                                              // guarded by lock
    private long refusedAnonymous;                                     // guarded by lock
    private long autoDisconnected;                                     // guarded by lock
    private long expiredNullSessions;                                  // guarded by lock
    private long disconnected;                                         // guarded by lock

    InboundSessionLimiter(final InboundSessionLimiterBuilder builder) {
        this.maxSessions = builder.maxSessions;
        this.limitSource = builder.limitSource;
        this.autoDisconnectNanos = builder.autoDisconnectNanos;
        this.nullSessionIdleNanos = builder.nullSessionIdleNanos;
        this.restrictAnonymous = builder.restrictAnonymous;
        this.exemption = builder.exemption;
        this.listener = builder.listener;
        this.refusals = new RefusalReporter(builder.listener);
        this.ticker = builder.ticker;
        this.scheduler = builder.scheduler;
    }

    /**
     * Returns a builder with XP Professional SP2's defaults.
     *
     * @return a new builder
     */
    public static InboundSessionLimiterBuilder builder() {
        return new InboundSessionLimiterBuilder();
    }

    /**
     * Returns a limiter with the inbound session limit of {@code profile} and Windows' defaults otherwise,
     * on system time.
     *
     * @param profile the Windows version; never null
     * @return a new limiter
     */
    public static InboundSessionLimiter forProfile(final WindowsProfile profile) {
        return builder().profile(profile).build();
    }

    /**
     * Returns a limiter like Windows XP Professional: 10 sessions.
     *
     * @return a new limiter
     */
    public static InboundSessionLimiter xpProfessional() {
        return forProfile(WindowsProfile.XP_PRO_SP2);
    }

    /**
     * Returns a limiter like Windows XP Home Edition: 5 sessions.
     *
     * @return a new limiter
     */
    public static InboundSessionLimiter xpHome() {
        return forProfile(WindowsProfile.XP_HOME_SP2);
    }

    /**
     * Admits a connection from {@code remote} into its computer's default session, with no disconnect
     * callback (the limiter can then end the connection but not close it).
     *
     * @param remote the remote socket address; never null
     * @return the admitted connection
     * @throws SessionLimitExceededException if it would open a session past the limit (error 71)
     */
    public SessionConnection admit(final InetSocketAddress remote) {
        return admit(ConnectionInfo.from(remote), () -> { });
    }

    /**
     * Admits a connection: it joins the session of its (computer, user), or opens a new one if the limit
     * allows; an anonymous connection always opens a null session of its own.
     *
     * @param info         what the protocol knows about the connection; never null
     * @param onDisconnect closes the real connection when the limiter ends it (AutoDisconnect, null-session
     *                     expiry, {@link #disconnect(String)}); runs at most once, outside the lock; never
     *                     null
     * @return the admitted connection
     * @throws SessionLimitExceededException     if it would open a session past the limit (error 71)
     * @throws AnonymousSessionRefusedException if it is anonymous and anonymous access is restricted
     */
    public SessionConnection admit(final ConnectionInfo info, final Runnable onDisconnect) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(onDisconnect, "onDisconnect");
        final boolean exempt = exemption.test(info);
        final List<Runnable> after = new ArrayList<>(1);
        final SessionConnection connection = new SessionConnection(this, info, onDisconnect);
        final SessionRefusedException refusal;
        final int sessionsAtRefusal;
        lock.lock();
        try {
            sessionsAtRefusal = countedSessions;
            if (info.anonymous() && restrictAnonymous) {
                refusedAnonymous++;
                refusal = new AnonymousSessionRefusedException(info.computer());
            } else {
                Session session = info.anonymous() ? null : sessions.get(SessionKey.of(info));
                if (session == null && !exempt && countedSessions >= maxSessions) {
                    refused++;
                    refusal = new SessionLimitExceededException(info.computer(), info.userName(), maxSessions,
                            countedSessions, limitSource);
                } else {
                    if (session == null) {
                        session = open(info, exempt, after);
                    }
                    join(connection, session, info);
                    refusal = null;
                }
            }
        } finally {
            lock.unlock();
        }
        runAll(after);
        if (refusal != null) {
            refusals.report(refusal, maxSessions, sessionsAtRefusal);
            throw refusal;
        }
        return connection;
    }

    /**
     * Admits a connection described by {@code info}, with no disconnect callback.
     *
     * @param info what the protocol knows about the connection; never null
     * @return the admitted connection
     * @throws SessionRefusedException if refused (error 71, or 5 for restricted anonymous access)
     */
    public SessionConnection admit(final ConnectionInfo info) {
        return admit(info, () -> { });
    }

    /**
     * Ends every session of {@code computer} and closes its connections, like
     * {@code net session /delete \\computer}.
     *
     * @param computer the computer name, with or without a leading {@code \\}, compared ignoring case
     * @return how many sessions ended; 0 if the computer had none
     */
    public int disconnect(final String computer) {
        final String key = ComputerNames.key(ComputerNames.normalize(computer, "computer"));
        final List<Runnable> after = new ArrayList<>();
        int ended = 0;
        lock.lock();
        try {
            for (final Session session : new ArrayList<>(sessions.values())) {
                if (session.key.computerKey().equals(key)) {
                    disconnected++;
                    endWithConnections(session, SessionEndReason.DISCONNECTED, after);
                    ended++;
                }
            }
        } finally {
            lock.unlock();
        }
        runAll(after);
        return ended;
    }

    /**
     * Returns a snapshot of the session table, ordered by computer, then user name, then null sessions in
     * the order they opened; render it with
     * {@link SessionTable#render()} to get {@code net session}'s output.
     *
     * @return the session table now
     */
    public SessionTable sessions() {
        lock.lock();
        try {
            final long now = ticker.nanoTime();
            final List<Session> ordered = new ArrayList<>(sessions.values());
            ordered.sort(TABLE_ORDER);
            final List<SessionInfo> rows = new ArrayList<>(ordered.size());
            for (final Session session : ordered) {
                rows.add(session.info(now));
            }
            return new SessionTable(rows);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns a snapshot of the counters.
     *
     * @return the statistics now
     */
    public SessionStats stats() {
        lock.lock();
        try {
            return new SessionStats(sessions.size(), nullSessions, exemptSessions, openConnections, peakSessions,
                    refused, refusedAnonymous, autoDisconnected, expiredNullSessions, disconnected);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the session limit: how many sessions may count against it at once.
     *
     * @return the limit, or {@link WindowsProfile#UNLIMITED}
     */
    public int maxSessions() {
        return maxSessions;
    }

    /**
     * Returns where the limit comes from: a profile's display name (marked "(unconfirmed)" where it is),
     * "custom limit" or "unlimited".
     *
     * @return the limit's source
     */
    public String limitSource() {
        return limitSource;
    }

    @Override
    public String toString() {
        return "InboundSessionLimiter[limit " + maxSessions + " (" + limitSource + "), " + stats() + "]";
    }

    long nowNanos() {
        return ticker.nanoTime();
    }

    void authenticate(final SessionConnection connection, final ConnectionInfo newInfo) {
        final boolean exempt = exemption.test(newInfo);
        final SessionKey key = SessionKey.of(newInfo);
        final List<Runnable> after = new ArrayList<>(2);
        SessionRefusedException refusal = null;
        int sessionsAtRefusal = 0;
        lock.lock();
        try {
            final Session current = connection.session();
            if (current == null) {
                throw new IllegalStateException("connection already ended: " + connection);
            }
            if (current.key.equals(key)) {
                current.clientType = newInfo.clientType();
                connection.joined(current, newInfo);
                current.touch(ticker.nanoTime());
                return;
            }
            Session target = sessions.get(key);
            final boolean freesCurrent = current.connections.size() == 1 && !current.exempt;
            if (target == null && !exempt && countedSessions - (freesCurrent ? 1 : 0) >= maxSessions) {
                refused++;
                sessionsAtRefusal = countedSessions;
                refusal = new SessionLimitExceededException(newInfo.computer(), newInfo.userName(), maxSessions,
                        countedSessions, limitSource);
            } else {
                leave(connection, current, after);
                if (target == null) {
                    target = open(newInfo, exempt, after);
                }
                join(connection, target, newInfo);
            }
        } finally {
            lock.unlock();
        }
        runAll(after);
        if (refusal != null) {
            refusals.report(refusal, maxSessions, sessionsAtRefusal);
            throw refusal;
        }
    }

    void release(final SessionConnection connection) {
        final List<Runnable> after = new ArrayList<>(1);
        lock.lock();
        try {
            final Session session = connection.session();
            if (session != null) {
                leave(connection, session, after);
                connection.ended();
            }
        } finally {
            lock.unlock();
        }
        runAll(after);
    }

    // ---- the table; every method below runs under the lock ----

    private Session open(final ConnectionInfo info, final boolean exempt, final List<Runnable> after) {
        final long now = ticker.nanoTime();
        final SessionKey key = info.anonymous() ? SessionKey.nullSession(info, ++nullSessionSerial) : SessionKey.of(info);
        long idleTimeout = autoDisconnectNanos;
        SessionEndReason idleReason = SessionEndReason.AUTO_DISCONNECTED;
        if (info.anonymous() && (idleTimeout < 0 || nullSessionIdleNanos <= idleTimeout)) {
            idleTimeout = nullSessionIdleNanos;
            idleReason = SessionEndReason.NULL_SESSION_EXPIRED;
        }
        final Session session = new Session(key, info, exempt, idleTimeout, idleReason, now);
        sessions.put(key, session);
        if (exempt) {
            exemptSessions++;
        } else {
            countedSessions++;
        }
        if (session.nullSession) {
            nullSessions++;
        }
        peakSessions = Math.max(peakSessions, sessions.size());
        armIdleCheck(session, idleTimeout);
        final SessionInfo opened = session.info(now);
        after.add(() -> notifyOpened(opened));
        return session;
    }

    private void join(final SessionConnection connection, final Session session, final ConnectionInfo info) {
        session.connections.add(connection);
        session.touch(ticker.nanoTime());
        openConnections++;
        connection.joined(session, info);
    }

    /** Takes a connection out of its session, ending the session if it was the last connection. */
    private void leave(final SessionConnection connection, final Session session, final List<Runnable> after) {
        if (session.connections.remove(connection)) {
            openConnections--;
        }
        if (session.connections.isEmpty()) {
            end(session, SessionEndReason.CLOSED, after);
        }
    }

    /** Ends a session and all its connections, running their disconnect callbacks after the lock. */
    private void endWithConnections(final Session session, final SessionEndReason reason, final List<Runnable> after) {
        final SessionInfo last = session.info(ticker.nanoTime());
        for (final SessionConnection connection : session.connectionsSnapshot()) {
            session.connections.remove(connection);
            openConnections--;
            connection.ended();
            after.add(() -> runCallback(connection));
        }
        end(session, reason, last, after);
    }

    private void end(final Session session, final SessionEndReason reason, final List<Runnable> after) {
        end(session, reason, session.info(ticker.nanoTime()), after);
    }

    private void end(final Session session, final SessionEndReason reason, final SessionInfo last,
                     final List<Runnable> after) {
        if (session.ended) {
            return;
        }
        session.ended = true;
        session.idleCheck.cancel();
        sessions.remove(session.key);
        if (session.exempt) {
            exemptSessions--;
        } else {
            countedSessions--;
        }
        if (session.nullSession) {
            nullSessions--;
        }
        after.add(() -> notifyEnded(last, reason));
    }

    private void armIdleCheck(final Session session, final long delayNanos) {
        if (delayNanos >= 0) {
            session.idleCheck = scheduler.schedule(() -> checkIdle(session), delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void checkIdle(final Session session) {
        final List<Runnable> after = new ArrayList<>();
        lock.lock();
        try {
            if (session.ended) {
                return;
            }
            final long idle = session.idleNanos(ticker.nanoTime());
            if (idle < session.idleTimeoutNanos) {
                armIdleCheck(session, session.idleTimeoutNanos - idle);
                return;
            }
            if (session.idleReason == SessionEndReason.NULL_SESSION_EXPIRED) {
                expiredNullSessions++;
            } else {
                autoDisconnected++;
            }
            endWithConnections(session, session.idleReason, after);
        } finally {
            lock.unlock();
        }
        runAll(after);
    }

    // ---- outside the lock ----

    private static void runAll(final List<Runnable> actions) {
        for (final Runnable action : actions) {
            action.run();
        }
    }

    private static void runCallback(final SessionConnection connection) {
        try {
            connection.onDisconnect().run();
        } catch (final RuntimeException e) {
            LOG.warn("disconnect callback of {} threw; ignored", connection, e);
        }
    }

    private void notifyOpened(final SessionInfo session) {
        try {
            listener.sessionOpened(session);
        } catch (final RuntimeException e) {
            LOG.warn("SessionListener.sessionOpened threw; ignored", e);
        }
    }

    private void notifyEnded(final SessionInfo session, final SessionEndReason reason) {
        if (reason == SessionEndReason.AUTO_DISCONNECTED || reason == SessionEndReason.NULL_SESSION_EXPIRED) {
            LOG.info("session of \\\\{} user '{}' ended: {} after {} idle", session.computer(), session.userName(),
                    reason, session.idleTime());
        }
        try {
            listener.sessionEnded(session, reason);
        } catch (final RuntimeException e) {
            LOG.warn("SessionListener.sessionEnded threw; ignored", e);
        }
    }
}
