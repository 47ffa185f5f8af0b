package io.halfopen.session;

/**
 * The identity of a session: the computer and user keys (upper-cased, so compared ignoring case), plus a
 * serial number that makes every null session distinct (0 for all other sessions). Immutable.
 */
record SessionKey(String computerKey, String userKey, long nullSessionSerial) {

    static SessionKey of(final ConnectionInfo info) {
        return new SessionKey(ComputerNames.key(info.computer()), ComputerNames.key(info.userName()), 0L);
    }

    static SessionKey nullSession(final ConnectionInfo info, final long serial) {
        return new SessionKey(ComputerNames.key(info.computer()), "", serial);
    }
}
