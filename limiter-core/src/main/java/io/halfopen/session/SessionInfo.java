package io.halfopen.session;

import java.time.Duration;
import java.util.Objects;

/**
 * One row of the session table, as {@code net session} shows it: the remote computer, the user name, the
 * client type, how many connections it has open, and how long it has been idle.
 *
 * <p>An immutable snapshot, thread-safe.
 *
 * @param computer    the remote computer, without a leading {@code \\}
 * @param userName    the user name; empty for a default or null session
 * @param clientType  the client software named by the protocol; may be empty
 * @param opens       the connections open in the session, at least 1 while it lives
 * @param idleTime    the time since the session's last activity
 * @param nullSession whether it is an anonymous null session
 * @param exempt      whether it is exempt from the limit (an administrative client)
 */
public record SessionInfo(String computer, String userName, String clientType, int opens, Duration idleTime,
                          boolean nullSession, boolean exempt) {

    /**
     * Validates the components.
     *
     * @param computer    the remote computer
     * @param userName    the user name
     * @param clientType  the client type
     * @param opens       the open connections
     * @param idleTime    the idle time
     * @param nullSession whether it is a null session
     * @param exempt      whether it is exempt from the limit
     * @throws NullPointerException     if a text or the idle time is null
     * @throws IllegalArgumentException if {@code opens} or the idle time is negative
     */
    public SessionInfo {
        Objects.requireNonNull(computer, "computer");
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(clientType, "clientType");
        Objects.requireNonNull(idleTime, "idleTime");
        if (opens < 0) {
            throw new IllegalArgumentException("opens must be >= 0, was " + opens);
        }
        if (idleTime.isNegative()) {
            throw new IllegalArgumentException("idleTime must be >= 0, was " + idleTime);
        }
    }
}
