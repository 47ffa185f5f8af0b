package io.halfopen.session;

/**
 * An immutable snapshot of an {@link InboundSessionLimiter}'s counters, taken by
 * {@link InboundSessionLimiter#stats()}. Thread-safe.
 *
 * @param sessions            sessions open now, null and exempt sessions included
 * @param nullSessions        null (anonymous) sessions open now
 * @param exemptSessions      sessions open now that do not count against the limit
 * @param openConnections     connections open now, across all sessions
 * @param openHandles         files and pipes open now, across all sessions (the sum of the Opens column)
 * @param peakSessions        the most sessions ever open at once, null and exempt sessions included
 * @param refused             new sessions refused with error 71 since the limiter was built
 * @param refusedAnonymous    anonymous sessions refused with error 5 ({@code restrictAnonymous})
 * @param autoDisconnected    sessions ended by AutoDisconnect for being idle
 * @param expiredNullSessions null sessions ended by their own idle time
 * @param disconnected        sessions ended by {@link InboundSessionLimiter#disconnect(String)}
 */
public record SessionStats(int sessions, int nullSessions, int exemptSessions, int openConnections,
                           int openHandles, int peakSessions, long refused, long refusedAnonymous,
                           long autoDisconnected, long expiredNullSessions, long disconnected) {
}
