package io.halfopen.session;

import io.halfopen.profile.WindowsProfile;
import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

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
 *     OpenHandle pipe = conn.open("\\PIPE\\spoolss");  // Opens in net session; keeps the session alive
 *     pipe.close();
 *     conn.close();                                   // when the socket closes
 * } catch (SessionLimitExceededException e) {         // e.errorCode() == 71
 *     socket.close();
 * }
 * }</pre>
 *
 * <p>The model (see the package documentation): all connections from one computer are one session, which
 * the first user to authenticate on it names; a second user from the same computer, and each anonymous
 * (null) session, is a session of its own. Only a new session counts against the limit, so a connection from
 * a computer that already holds a session joins it and is never refused. Sessions idle longer than
 * AutoDisconnect, and null sessions idle longer than their own timeout, are ended and their connections
 * closed through the callback each registered, unless a file or pipe is open on them. The last connection to
 * close ends its session.
 *
 * <p>Thread-safe. The session table is guarded by one {@link ReentrantLock} (not {@code synchronized}, so
 * virtual threads never pin): admitting, authenticating, opening and closing handles, closing and the idle
 * checks each take it briefly; {@link SessionConnection#touch()} does not. Disconnect callbacks and listener
 * calls are queued under the lock in the order the table changed and run after it is released, one at a time,
 * in that order ({@link SessionListener} states the guarantee); logging and JFR run outside the lock too. If a
 * listener or a callback throws an {@link Error}, the operation that delivered it rethrows it once the table is
 * consistent and every other queued event and callback ran; {@code admit} then closes the connection it was
 * admitting, so whatever {@code admit} throws, the caller holds no connection.
 */
public final class InboundSessionLimiter {

    /** Table order: by computer, then user name, then in the order sessions opened. */
    private static final Comparator<Session> TABLE_ORDER = Comparator
            .comparing((Session session) -> session.computerKey)
            .thenComparing(session -> session.userKey)
            .thenComparingLong(session -> session.id);

    private final int maxSessions;
    private final String limitSource;
    private final long autoDisconnectNanos;
    private final long nullSessionIdleNanos;
    private final boolean restrictAnonymous;
    private final Predicate<ConnectionInfo> exemption;
    private SessionListener listener;                          // guarded by lock; replaced by addListener
    private final Ticker ticker;
    private final Scheduler scheduler;

    private final ReentrantLock lock = new ReentrantLock();
    private final Outbox outbox = new Outbox(lock);
    private final SessionIndex sessions = new SessionIndex();   // guarded by lock
    private long lastSessionId;                                // guarded by lock
    private int countedSessions;                               // guarded by lock
    private int nullSessions;                                  // guarded by lock
    private int exemptSessions;                                // guarded by lock
    private int openConnections;                               // guarded by lock
    private int openHandles;                                   // guarded by lock
    private int peakSessions;                                  // guarded by lock
    private long refused;                                      // guarded by lock
    private long refusedAnonymous;                             // guarded by lock
    private long autoDisconnected;                             // guarded by lock
    private long expiredNullSessions;                          // guarded by lock
    private long disconnected;                                 // guarded by lock

    InboundSessionLimiter(final InboundSessionLimiterBuilder builder) {
        this.maxSessions = builder.maxSessions;
        this.limitSource = builder.limitSource;
        this.autoDisconnectNanos = builder.autoDisconnectNanos;
        this.nullSessionIdleNanos = builder.nullSessionIdleNanos;
        this.restrictAnonymous = builder.restrictAnonymous;
        this.exemption = builder.exemption;
        lock.lock(); // readers take the lock: publish the listener through it, whatever publishes the limiter
        try {
            this.listener = builder.listener;
        } finally {
            lock.unlock();
        }
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
     * Admits a connection from {@code remote} into its computer's session, with no disconnect callback (the
     * limiter can then end the connection but not close it).
     *
     * @param remote the remote socket address; never null
     * @return the admitted connection
     * @throws SessionLimitExceededException if it would open a session past the limit (error 71)
     */
    public SessionConnection admit(final InetSocketAddress remote) {
        return admit(ConnectionInfo.from(remote), () -> { });
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
     * Admits a connection. A connection from a computer that already holds a session joins it (the session
     * of the named user, if {@code info} names one and it exists) and is never refused; otherwise it opens a
     * new session if the limit allows. An anonymous connection always opens a null session of its own.
     *
     * @param info         what the protocol knows about the connection; never null
     * @param onDisconnect closes the real connection when the limiter ends it (AutoDisconnect, null-session
     *                     expiry, {@link #disconnect(String)}); runs at most once, outside the lock; never
     *                     null
     * @return the admitted connection
     * @throws SessionLimitExceededException     if it would open a session past the limit (error 71)
     * @throws AnonymousSessionRefusedException if it is anonymous and anonymous access is restricted
     * @throws Error                             what a listener threw while this call delivered events; the
     *                                           connection is closed again before it is thrown
     */
    public SessionConnection admit(final ConnectionInfo info, final Runnable onDisconnect) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(onDisconnect, "onDisconnect");
        final boolean exempt = exemption.test(info);
        final SessionConnection connection = new SessionConnection(this, info, onDisconnect);
        final SessionRefusedException refusal;
        final int countedAtDecision;
        final Outbox.Action first;
        lock.lock();
        try {
            countedAtDecision = countedSessions;
            refusal = admitLocked(connection, info, exempt);
            first = outbox.claim();
        } finally {
            lock.unlock();
        }
        finish(first, refusal, countedAtDecision, refusal == null ? connection : null);
        return connection;
    }

    /**
     * Ends every session of {@code computer} and closes its connections and handles, like
     * {@code net session /delete \\computer}.
     *
     * @param computer the computer name in any spelling: with or without a leading {@code \\}, any case, an
     *                 IPv6 address in any form, an IPv4-mapped address for its IPv4 computer
     * @return how many sessions ended; 0 if the computer had none
     * @throws IllegalArgumentException if {@code computer} names no computer
     * @throws Error                    what a listener or callback threw, once every session ended
     */
    public int disconnect(final String computer) {
        final String key = ComputerNames.key(ComputerNames.normalize(computer, "computer"));
        int ended = 0;
        final Outbox.Action first;
        lock.lock();
        try {
            for (final Session session : sessions.ofComputer(key)) {
                disconnected++;
                endWithConnections(session, SessionEndReason.DISCONNECTED);
                ended++;
            }
            first = outbox.claim();
        } finally {
            lock.unlock();
        }
        outbox.deliver(first);
        return ended;
    }

    /**
     * Adds a listener to this limiter, after the one given to the builder and any added before: for a metrics
     * binder or a test fixture that gets a limiter already built.
     *
     * <p>Ordering: the listener is registered under the table's lock, so it hears exactly the events of the
     * changes made after that (every table change takes the lock): it never hears half a session's life
     * without hearing the start of it, unless the session opened before this call. Its events arrive one at a
     * time, in table order, like every listener's ({@link SessionListener}); several listeners hear each event
     * in the order they were registered. One that throws a {@link RuntimeException} does not keep the others
     * from hearing the event.
     *
     * @param listener the listener; never null
     */
    public void addListener(final SessionListener listener) {
        Objects.requireNonNull(listener, "listener");
        lock.lock();
        try {
            this.listener = SessionListeners.with(this.listener, listener);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes a listener given to the builder or added with {@link #addListener} (its last registration, if it
     * was added more than once). It hears no event of a change made after this call; events already queued
     * for delivery may still reach it.
     *
     * @param listener the listener
     * @return whether it was registered
     */
    public boolean removeListener(final SessionListener listener) {
        lock.lock();
        try {
            final SessionListener next = SessionListeners.without(this.listener, listener);
            final boolean removed = next != this.listener;
            this.listener = next;
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns a snapshot of the session table, ordered by computer, then user name, then in the order sessions
     * opened; render it with {@link SessionTable#render()} to get {@code net session}'s output.
     *
     * @return the session table now
     */
    public SessionTable sessions() {
        lock.lock();
        try {
            final long now = ticker.nanoTime();
            final List<Session> ordered = sessions.all();
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
            return new SessionStats(sessions.size(), nullSessions, exemptSessions, openConnections, openHandles,
                    peakSessions, refused, refusedAnonymous, autoDisconnected, expiredNullSessions, disconnected);
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

    // ---- called by SessionConnection and OpenHandle ----

    long nowNanos() {
        return ticker.nanoTime();
    }

    void authenticate(final SessionConnection connection, final ConnectionInfo newInfo) {
        final boolean exempt = exemption.test(newInfo);
        final SessionRefusedException refusal;
        final int countedAtDecision;
        final Outbox.Action first;
        lock.lock();
        try {
            final Session current = sessionOf(connection);
            countedAtDecision = countedSessions;
            refusal = authenticateLocked(connection, current, newInfo, exempt);
            first = outbox.claim();
        } finally {
            lock.unlock();
        }
        finish(first, refusal, countedAtDecision, null);
    }

    void authenticateAnonymously(final SessionConnection connection) {
        final ConnectionInfo newInfo = connection.info().asAnonymous();
        final boolean exempt = exemption.test(newInfo);
        SessionRefusedException refusal = null;
        final int countedAtDecision;
        final Outbox.Action first;
        lock.lock();
        try {
            final Session current = sessionOf(connection);
            countedAtDecision = countedSessions;
            if (!current.nullSession) {
                if (restrictAnonymous) {
                    refusal = refuseAnonymous(newInfo);
                } else if (!hasRoom(slotsFreedByLeaving(current) + (exempt ? 0 : 1))) {
                    refusal = refuseLimit(newInfo);
                } else {
                    leave(connection, current);
                    openWith(connection, newInfo, exempt);
                }
            }
            first = outbox.claim();
        } finally {
            lock.unlock();
        }
        finish(first, refusal, countedAtDecision, null);
    }

    OpenHandle open(final SessionConnection connection, final String path) {
        lock.lock();
        try {
            final Session session = sessionOf(connection);
            connection.openHandles++;
            session.openHandles++;
            openHandles++;
            session.touch(ticker.nanoTime());
            return new OpenHandle(connection, path);
        } finally {
            lock.unlock();
        }
    }

    boolean isOpen(final OpenHandle handle) {
        lock.lock();
        try {
            return !handle.closed() && handle.connection().session() != null;
        } finally {
            lock.unlock();
        }
    }

    void close(final OpenHandle handle) {
        lock.lock();
        try {
            if (handle.closed()) {
                return;
            }
            handle.markClosed();
            final SessionConnection connection = handle.connection();
            final Session session = connection.session();
            if (session == null) {
                return; // the connection ended, and its handles with it
            }
            connection.openHandles--;
            session.openHandles--;
            openHandles--;
            session.touch(ticker.nanoTime());
            rearmIfHandlesClosed(session);
        } finally {
            lock.unlock();
        }
    }

    void release(final SessionConnection connection) {
        final Outbox.Action first;
        lock.lock();
        try {
            final Session session = connection.session();
            if (session != null) {
                leave(connection, session);
                connectionEnded(connection);
            }
            first = outbox.claim();
        } finally {
            lock.unlock();
        }
        outbox.deliver(first);
    }

    // ---- outside the lock ----

    /**
     * Reports a refusal, delivers what the operation queued, and throws: a listener's Error first (with the
     * refusal suppressed into it, or after closing {@code undo}, the connection a failed admit created), else
     * the refusal.
     */
    private void finish(final Outbox.Action first, final SessionRefusedException refusal, final int counted,
                        final SessionConnection undo) {
        if (refusal != null) {
            RefusalReporter.report(refusal, maxSessions, counted);
        }
        try {
            outbox.deliver(first);
        } catch (final Error listenerError) {
            if (refusal != null) {
                listenerError.addSuppressed(refusal);
            }
            if (undo != null) {
                try {
                    undo.close();
                } catch (final Error another) {
                    listenerError.addSuppressed(another);
                }
            }
            throw listenerError;
        }
        if (refusal != null) {
            throw refusal;
        }
    }

    // ---- the table; every method below runs under the lock ----

    private SessionRefusedException admitLocked(final SessionConnection connection, final ConnectionInfo info,
                                                final boolean exempt) {
        if (info.anonymous()) {
            if (restrictAnonymous) {
                return refuseAnonymous(info);
            }
            if (!hasRoom(exempt ? 0 : 1)) {
                return refuseLimit(info);
            }
            openWith(connection, info, exempt);
            return null;
        }
        final String computerKey = ComputerNames.key(info.computer());
        final Session computers = sessions.computersSession(computerKey);
        Session target = info.userName().isEmpty() ? computers
                : sessions.userSession(computerKey, ComputerNames.key(info.userName()));
        if (target == null && computers != null && computers.unnamed()) {
            if (!hasRoom(exemptionChange(computers, exempt))) {
                return refuseLimit(info);
            }
            name(computers, info, exempt);
            target = computers;
        }
        if (target == null) {
            if (!hasRoom(exempt ? 0 : 1)) {
                return refuseLimit(info);
            }
            openWith(connection, info, exempt);
            return null;
        }
        join(connection, target, info);
        return null;
    }

    private SessionRefusedException authenticateLocked(final SessionConnection connection, final Session current,
                                                       final ConnectionInfo newInfo, final boolean exempt) {
        final String userName = newInfo.userName();
        final Session computers = sessions.computersSession(current.computerKey);
        final Session target = userName.isEmpty() ? computers
                : sessions.userSession(current.computerKey, ComputerNames.key(userName));
        final long now = ticker.nanoTime();
        if (target == current) {
            current.clientType = newInfo.clientType();
            connection.joined(current, newInfo);
            current.touch(now);
            return null;
        }
        if (target == null && !userName.isEmpty() && computers != null && computers.unnamed()) {
            // The first user to authenticate names the computer's session, with every connection in it.
            final int freed = computers == current ? 0 : slotsFreedByLeaving(current);
            if (!hasRoom(exemptionChange(computers, exempt) + freed)) {
                return refuseLimit(newInfo);
            }
            if (computers != current) {
                leave(connection, current);
                join(connection, computers, newInfo);
            } else {
                connection.joined(current, newInfo);
            }
            name(computers, newInfo, exempt);
            return null;
        }
        if (target == null && !hasRoom(slotsFreedByLeaving(current) + (exempt ? 0 : 1))) {
            return refuseLimit(newInfo);
        }
        leave(connection, current);
        if (target != null) {
            join(connection, target, newInfo);
        } else {
            openWith(connection, newInfo, exempt);
        }
        return null;
    }

    private Session sessionOf(final SessionConnection connection) {
        final Session current = connection.session();
        if (current == null) {
            throw new IllegalStateException("connection already ended: " + connection);
        }
        return current;
    }

    /** Whether a change of {@code delta} counted sessions fits: a change that does not grow the count always does. */
    private boolean hasRoom(final int delta) {
        return delta <= 0 || (long) countedSessions + delta <= maxSessions;
    }

    /** -1 if the connection leaving {@code current} ends a counted session, else 0. */
    private static int slotsFreedByLeaving(final Session current) {
        return current.connections == 1 && !current.exempt ? -1 : 0;
    }

    /** How the counted sessions change when a session's exemption becomes {@code exempt}. */
    private static int exemptionChange(final Session session, final boolean exempt) {
        return session.exempt == exempt ? 0 : exempt ? -1 : 1;
    }

    private SessionLimitExceededException refuseLimit(final ConnectionInfo info) {
        refused++;
        final SessionLimitExceededException refusal = new SessionLimitExceededException(info.computer(),
                info.userName(), maxSessions, countedSessions, limitSource);
        outbox.add(Notifications.refused(listener, refusal));
        return refusal;
    }

    private AnonymousSessionRefusedException refuseAnonymous(final ConnectionInfo info) {
        refusedAnonymous++;
        final AnonymousSessionRefusedException refusal = new AnonymousSessionRefusedException(info.computer());
        outbox.add(Notifications.refused(listener, refusal));
        return refusal;
    }

    /** Opens a new session with {@code connection} as its first connection. */
    private void openWith(final SessionConnection connection, final ConnectionInfo info, final boolean exempt) {
        final long now = ticker.nanoTime();
        long idleTimeout = autoDisconnectNanos;
        SessionEndReason idleReason = SessionEndReason.AUTO_DISCONNECTED;
        if (info.anonymous() && (idleTimeout < 0 || nullSessionIdleNanos <= idleTimeout)) {
            idleTimeout = nullSessionIdleNanos;
            idleReason = SessionEndReason.NULL_SESSION_EXPIRED;
        }
        final Session session = new Session(this, ++lastSessionId, ComputerNames.key(info.computer()), info, exempt,
                idleTimeout, idleReason, now);
        sessions.add(session);
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
        join(connection, session, info);
        if (listener != SessionListener.NONE) { // nobody to tell: no snapshot of the session either
            outbox.add(Notifications.opened(listener, session.info(now)));
        }
    }

    /** The computer's unnamed session takes the name of the first user to authenticate on it. */
    private void name(final Session session, final ConnectionInfo info, final boolean exempt) {
        if (session.exempt != exempt) {
            exemptSessions += exempt ? 1 : -1;
            countedSessions += exempt ? -1 : 1;
            session.exempt = exempt;
        }
        session.named(info);
        final long now = ticker.nanoTime();
        session.touch(now);
        outbox.add(Notifications.authenticated(listener, session.info(now)));
    }

    private void join(final SessionConnection connection, final Session session, final ConnectionInfo info) {
        session.add(connection);
        session.touch(ticker.nanoTime());
        openConnections++;
        connection.joined(session, info);
    }

    /** Takes a connection out of its session, ending the session if it was the last connection. */
    private void leave(final SessionConnection connection, final Session session) {
        session.remove(connection);
        openConnections--;
        if (session.connections == 0) {
            end(session, SessionEndReason.CLOSED, null); // its snapshot is taken only if someone hears of it
        } else {
            rearmIfHandlesClosed(session);
        }
    }

    /** A connection has left its session for good: its handles close with it. */
    private void connectionEnded(final SessionConnection connection) {
        openHandles -= connection.openHandles;
        connection.openHandles = 0;
        connection.ended();
    }

    /** Ends a session and all its connections, queueing their disconnect callbacks before its end event. */
    private void endWithConnections(final Session session, final SessionEndReason reason) {
        final SessionInfo last = session.info(ticker.nanoTime());
        SessionConnection connection = session.firstConnection;
        while (connection != null) {
            final SessionConnection next = connection.nextInSession;
            session.remove(connection);
            openConnections--;
            connectionEnded(connection);
            outbox.add(Notifications.disconnect(connection));
            connection = next;
        }
        end(session, reason, last);
    }

    /**
     * Ends a session. {@code last} is its last snapshot, or {@code null} to take it here, and only if the end is
     * heard: by a listener, or by the log (an idle session's end is logged).
     */
    private void end(final Session session, final SessionEndReason reason, final SessionInfo last) {
        if (session.ended) {
            return;
        }
        session.ended = true;
        session.stopIdleCheck();
        sessions.remove(session);
        if (session.exempt) {
            exemptSessions--;
        } else {
            countedSessions--;
        }
        if (session.nullSession) {
            nullSessions--;
        }
        if (listener != SessionListener.NONE || reason != SessionEndReason.CLOSED) {
            outbox.add(Notifications.ended(listener, last != null ? last : session.info(ticker.nanoTime()), reason));
        }
    }

    private void armIdleCheck(final Session session, final long delayNanos) {
        if (delayNanos >= 0) {
            scheduler.arm(session, delayNanos, TimeUnit.NANOSECONDS); // the session is its own timer node
            session.idleCheckArmed = true;
        }
    }

    /** The idle timer stops while handles are open; once none is, it runs again from the session's idle time. */
    private void rearmIfHandlesClosed(final Session session) {
        if (!session.idleCheckArmed && session.openHandles == 0 && !session.ended && session.idleTimeoutNanos >= 0) {
            armIdleCheck(session, Math.max(0L, session.idleTimeoutNanos - session.idleNanos(ticker.nanoTime())));
        }
    }

    /** The session's idle timer fired (on the scheduler's thread): ends it if it has been idle long enough. */
    void checkIdle(final Session session) {
        final Outbox.Action first;
        lock.lock();
        try {
            if (session.ended) {
                return;
            }
            session.idleCheckArmed = false;
            if (session.openHandles > 0) {
                return; // an open file or pipe keeps the session (KB 328459); its last close re-arms the check
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
            endWithConnections(session, session.idleReason);
            first = outbox.claim();
        } finally {
            lock.unlock();
        }
        outbox.deliver(first);
    }
}
