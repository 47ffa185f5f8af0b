package io.halfopen.session;

/**
 * A new session refused because the remote computers already connected reached the limit: Windows' system
 * error 71, "This remote computer has reached its connection limit, you cannot connect at this time."
 * Connections that join an existing session are never refused.
 *
 * <p>Immutable and thread-safe; no stack trace.
 */
public final class SessionLimitExceededException extends SessionRefusedException {

    /** The Windows system error code: ERROR_REQ_NOT_ACCEP. */
    public static final int ERROR_CODE = 71;

    /** Windows XP's text for error 71, as {@code net use} prints it. */
    public static final String ERROR_TEXT =
            "This remote computer has reached its connection limit, you cannot connect at this time.";

    /** The limit in force. */
    private final int limit;
    /** Sessions counted against the limit at the refusal. */
    private final int sessions;
    /** Where the limit comes from. */
    private final String limitSource;

    /**
     * Creates a refusal.
     *
     * @param computer    the refused computer
     * @param userName    the refused user name, empty if none
     * @param limit       the session limit in force
     * @param sessions    how many sessions counted against the limit when the new one was refused
     * @param limitSource where the limit comes from, such as "Windows XP Professional SP2"
     */
    public SessionLimitExceededException(final String computer, final String userName, final int limit,
                                         final int sessions, final String limitSource) {
        super(ERROR_CODE, "System error " + ERROR_CODE + " has occurred. " + ERROR_TEXT + " (refused \\\\"
                + computer + (userName.isEmpty() ? "" : " user '" + userName + "'") + ": " + sessions
                + " sessions open, limit " + limit + " of " + limitSource + ")", computer, userName);
        this.limit = limit;
        this.sessions = sessions;
        this.limitSource = limitSource;
    }

    @Override
    public String errorText() {
        return ERROR_TEXT;
    }

    /**
     * Returns the session limit that refused the session.
     *
     * @return the limit
     */
    public int limit() {
        return limit;
    }

    /**
     * Returns how many sessions counted against the limit when this one was refused.
     *
     * @return the open sessions
     */
    public int sessions() {
        return sessions;
    }

    /**
     * Returns where the limit comes from: a profile's display name, or "custom".
     *
     * @return the limit's source
     */
    public String limitSource() {
        return limitSource;
    }
}
