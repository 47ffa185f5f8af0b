/**
 * Windows' inbound session limit: how many other computers may be connected at once (10 on XP Professional,
 * NT 4.0 Workstation and 2000 Professional, 5 on XP Home), and what happens past it (system error 71).
 *
 * <h2>The model</h2>
 * <ul>
 *   <li><b>Sessions.</b> A session is keyed by (remote computer, user). The computer is the remote IP
 *       address unless the protocol names it (NAT, NetBIOS names); an IPv4-mapped IPv6 address counts as
 *       its IPv4 address. All connections from one computer share its default session (empty user name);
 *       a second authenticated user from the same computer opens a second session.</li>
 *   <li><b>Null sessions.</b> A connection declared anonymous is a null session of its own, counted
 *       separately: "multiple NULL sessions from one client count as multiple sessions" (KB 328459). They
 *       expire after their own idle time (default 60 s; Windows documents 30–90 s).
 *       {@code restrictAnonymous} refuses them with system error 5.</li>
 *   <li><b>The limit.</b> Only a new session counts: a connection joining an existing session is never
 *       refused. Past the limit the new session is refused with system error 71, "This remote computer has
 *       reached its connection limit, you cannot connect at this time."
 *       ({@link io.halfopen.session.SessionLimitExceededException}), reported by a WARN log line, the JFR
 *       event {@code io.halfopen.SessionRefused} and the {@link io.halfopen.session.SessionListener}.
 *       Administrative clients can be exempted (KB 314882: the limit "does not apply to the use of
 *       administrative tools").</li>
 *   <li><b>Idle time.</b> A session's idle time is the time since its last activity (admission,
 *       {@link io.halfopen.session.SessionConnection#touch()}, authentication). AutoDisconnect ends
 *       sessions idle longer than 15 minutes by default, open connections or not, closing them through the
 *       callback each connection registered, as Windows does. Its registry values work as on Windows: -1
 *       disables it, 0 means "within seconds" (here: 1 s). Idle checks are timers armed on a
 *       {@link io.halfopen.time.Scheduler} at each session's deadline, so virtual time
 *       ({@link io.halfopen.time.VirtualClock}) gives exact, deterministic tests; Windows' own scavenger
 *       looks about every 15 s instead.</li>
 *   <li><b>Administration.</b> {@link io.halfopen.session.InboundSessionLimiter#sessions()} is
 *       {@code net session}: Computer, User name, Client type, Opens, Idle time, rendered as XP prints it;
 *       {@link io.halfopen.session.InboundSessionLimiter#disconnect(String)} is
 *       {@code net session /delete \\computer}. {@link io.halfopen.session.InboundSessionLimiter#stats()}
 *       counts sessions, null sessions, refusals, disconnections and the peak.</li>
 * </ul>
 *
 * <h2>Lifecycle and threads</h2>
 * Every connection ends exactly once: by {@link io.halfopen.session.SessionConnection#close()} or by the
 * limiter (idle, disconnect), whichever comes first; the other is a no-op. The last connection of a session
 * to end ends the session. The limiter is thread-safe and guards its table with one lock; callbacks,
 * listeners, logging and JFR run after the lock is released. This is not a hot path: a lock per
 * admission is cheap next to accepting a TCP connection. The Netty integration is
 * {@code io.halfopen.netty.InboundSessionLimitHandler} in module {@code limiter-netty}.
 */
package io.halfopen.session;
