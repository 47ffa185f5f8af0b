/**
 * Windows' inbound session limit: how many other computers may be connected at once (10 on XP Professional,
 * NT 4.0 Workstation and 2000 Professional, 5 on XP Home), and what happens past it (system error 71).
 *
 * <h2>The model</h2>
 * <ul>
 *   <li><b>Computers.</b> A computer is named by the protocol (NAT, NetBIOS names) or by its remote IP address,
 *       in one canonical form: an IPv4-mapped IPv6 address is its IPv4 address, other IPv6 addresses are
 *       written as RFC 5952 says ({@code ::1}). Every method that takes a computer name accepts every spelling
 *       of it, with or without the leading {@code \\}, in any case.</li>
 *   <li><b>Sessions.</b> All connections from one computer are one session (KB 314882: the limit is "the
 *       number of simultaneous sessions from other computers"). A connection from a computer that already
 *       holds a session joins it, whoever authenticated on it; the first user to authenticate names the
 *       computer's session. Two exceptions count as extra sessions (KB 328459): a second user context from
 *       the same computer, once it authenticates, and each null session.</li>
 *   <li><b>Null sessions.</b> A connection declared anonymous, or logged on anonymously
 *       ({@link io.halfopen.session.SessionConnection#authenticateAnonymously()}), is a null session of its
 *       own: "multiple NULL sessions from one client count as multiple sessions" (KB 328459). Temporary null
 *       sessions expire after their own idle time (default 60 s; Windows documents 30–90 s).
 *       {@code restrictAnonymous} refuses them with system error 5, KB 328459's first resolution.</li>
 *   <li><b>Open handles.</b> A session's open files and pipes
 *       ({@link io.halfopen.session.SessionConnection#open(String)}) are what {@code net session}'s Opens
 *       counts. While one is open no idle timer ends the session, AutoDisconnect included: KB 328459's cause
 *       is an RPC {@code OpenPrinter} that stops answering and keeps {@code \PIPE\spoolss} open on an
 *       anonymous connection "that never closes", until the limit is exhausted. That the same holds for every
 *       open file is read from that case, not confirmed by a Microsoft text.</li>
 *   <li><b>The limit.</b> Only a new session counts: a connection joining an existing session is never
 *       refused. Past the limit the new session is refused with system error 71, "This remote computer has
 *       reached its connection limit, you cannot connect at this time."
 *       ({@link io.halfopen.session.SessionLimitExceededException}), reported by a WARN log line, the JFR
 *       event {@code io.halfopen.SessionRefused} and the {@link io.halfopen.session.SessionListener}.
 *       Administrative clients can be exempted (KB 314882: the limit "does not apply to the use of
 *       administrative tools").</li>
 *   <li><b>Idle time.</b> A session's idle time is the time since its last activity (admission,
 *       {@link io.halfopen.session.SessionConnection#touch()}, authentication, opening or closing a handle);
 *       an open handle is not activity, so a stuck one's idle time keeps growing. AutoDisconnect ends
 *       sessions idle longer than 15 minutes by default, open connections or not, closing them through the
 *       callback each connection registered, as Windows does. Its registry values work as on Windows: -1
 *       disables it, 0 means "within seconds" (here: 1 s). Idle checks are timers armed on a
 *       {@link io.halfopen.time.Scheduler} at each session's deadline, so virtual time
 *       ({@link io.halfopen.time.VirtualClock}) gives exact, deterministic tests; Windows' own scavenger looks
 *       about every 15 s instead.</li>
 *   <li><b>Administration.</b> {@link io.halfopen.session.InboundSessionLimiter#sessions()} is
 *       {@code net session}: Computer, User name, Client type, Opens, Idle time, rendered as XP prints it;
 *       {@link io.halfopen.session.InboundSessionLimiter#disconnect(String)} is
 *       {@code net session /delete \\computer}, which also closes the session's open files.
 *       {@link io.halfopen.session.InboundSessionLimiter#stats()} counts sessions, null sessions,
 *       connections, handles, refusals, disconnections and the peak.</li>
 * </ul>
 *
 * <h2>Lifecycle and threads</h2>
 * Every connection ends exactly once: by {@link io.halfopen.session.SessionConnection#close()} or by the
 * limiter (idle, disconnect), whichever comes first; the other is a no-op. Its handles close with it. The last
 * connection of a session to end ends the session. The limiter is thread-safe and guards its table with one
 * lock; listener calls and disconnect callbacks are queued under it in the order the table changed and run
 * after it is released, one at a time, in that order (the guarantee is stated in
 * {@link io.halfopen.session.SessionListener}); logging and JFR run outside it. Nothing a listener or a
 * callback throws leaves a session, a connection or an unclosed socket behind. This is not a hot path: a lock
 * per admission is cheap next to accepting a TCP connection. The Netty integration is
 * {@code io.halfopen.netty.InboundSessionLimitHandler} in module {@code limiter-netty}.
 */
package io.halfopen.session;
