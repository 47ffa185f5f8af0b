package io.halfopen.session;

import java.util.Objects;

/**
 * An inbound connection {@link InboundSessionLimiter} would not admit, with the Windows system error that
 * says why. Subclasses: {@link SessionLimitExceededException} (error 71, the session limit) and
 * {@link AnonymousSessionRefusedException} (error 5, {@code restrictAnonymous}).
 *
 * <p>Refusals are expected events, so these exceptions carry no stack trace. Immutable and thread-safe.
 */
public abstract class SessionRefusedException extends RuntimeException {

    /** The Windows system error code. */
    private final int errorCode;
    /** The refused computer. */
    private final String computer;
    /** The refused user name. */
    private final String userName;

    /**
     * Creates a refusal.
     *
     * @param errorCode the Windows system error code
     * @param message   the full message
     * @param computer  the refused computer
     * @param userName  the refused user name, empty if none
     */
    protected SessionRefusedException(final int errorCode, final String message, final String computer,
                                      final String userName) {
        super(message, null, false, false);
        this.errorCode = errorCode;
        this.computer = Objects.requireNonNull(computer, "computer");
        this.userName = Objects.requireNonNull(userName, "userName");
    }

    /**
     * Returns the Windows system error code, as {@code net use} reports it.
     *
     * @return the error code, for example 71
     */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Returns the first line Windows prints, such as {@code "System error 71 has occurred."}.
     *
     * @return the system error line
     */
    public String systemErrorLine() {
        return "System error " + errorCode + " has occurred.";
    }

    /**
     * Returns Windows' text for the error, the second line it prints.
     *
     * @return the error text
     */
    public abstract String errorText();

    /**
     * Returns the computer that was refused, without a leading {@code \\}.
     *
     * @return the computer name
     */
    public String computer() {
        return computer;
    }

    /**
     * Returns the user name of the refused connection; empty for a default or null session.
     *
     * @return the user name, never null
     */
    public String userName() {
        return userName;
    }
}
