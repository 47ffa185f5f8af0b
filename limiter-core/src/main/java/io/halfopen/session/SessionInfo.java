package io.halfopen.session;

import java.time.Duration;
import java.util.Objects;

/**
 * One row of the session table, as {@code net session} shows it: the remote computer, the user name, the
 * client type, how many files and pipes the session has open, and how long it has been idle; plus what
 * {@code net session} does not show: the session's connections, whether it is a null or an exempt session,
 * and an id that tells sessions apart in listener events.
 *
 * <p>An immutable snapshot, thread-safe.
 *
 * @param id          the session's number, unique within its limiter and increasing in the order sessions
 *                    opened; events about one session carry its id
 * @param computer    the remote computer, in its canonical form, without a leading {@code \\}
 * @param userName    the user name; empty for a computer's session before anyone authenticated and for null
 *                    sessions
 * @param clientType  the client software named by the protocol; may be empty
 * @param opens       the files and pipes the session has open ({@link SessionConnection#open(String)}), as
 *                    {@code net session}'s Opens column counts them; 0 for a session that only holds
 *                    connections
 * @param connections the connections (sockets) in the session, at least 1 while it lives
 * @param idleTime    the time since the session's last activity
 * @param nullSession whether it is an anonymous null session
 * @param exempt      whether it is exempt from the limit (an administrative client)
 */
public record SessionInfo(long id, String computer, String userName, String clientType, int opens,
                          int connections, Duration idleTime, boolean nullSession, boolean exempt) {

    /**
     * Validates the components.
     *
     * @param id          the session's number
     * @param computer    the remote computer
     * @param userName    the user name
     * @param clientType  the client type
     * @param opens       the open files and pipes
     * @param connections the connections
     * @param idleTime    the idle time
     * @param nullSession whether it is a null session
     * @param exempt      whether it is exempt from the limit
     * @throws NullPointerException     if a text or the idle time is null
     * @throws IllegalArgumentException if {@code opens}, {@code connections} or the idle time is negative
     */
    public SessionInfo {
        Objects.requireNonNull(computer, "computer");
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(clientType, "clientType");
        Objects.requireNonNull(idleTime, "idleTime");
        if (opens < 0) {
            throw new IllegalArgumentException("opens must be >= 0, was " + opens);
        }
        if (connections < 0) {
            throw new IllegalArgumentException("connections must be >= 0, was " + connections);
        }
        if (idleTime.isNegative()) {
            throw new IllegalArgumentException("idleTime must be >= 0, was " + idleTime);
        }
    }
}
