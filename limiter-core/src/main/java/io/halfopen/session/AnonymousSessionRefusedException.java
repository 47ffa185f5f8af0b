package io.halfopen.session;

/**
 * A connection declared anonymous, refused because the limiter restricts anonymous access
 * ({@code restrictAnonymous}): Windows' system error 5, "Access is denied."
 *
 * <p>Immutable and thread-safe; no stack trace.
 */
public final class AnonymousSessionRefusedException extends SessionRefusedException {

    /** The Windows system error code: ERROR_ACCESS_DENIED. */
    public static final int ERROR_CODE = 5;

    /** Windows' text for error 5. */
    public static final String ERROR_TEXT = "Access is denied.";

    /**
     * Creates a refusal.
     *
     * @param computer the refused computer
     */
    public AnonymousSessionRefusedException(final String computer) {
        super(ERROR_CODE, "System error " + ERROR_CODE + " has occurred. " + ERROR_TEXT
                + " (refused an anonymous connection from \\\\" + computer + ": anonymous access is restricted)",
                computer, "");
    }

    @Override
    public String errorText() {
        return ERROR_TEXT;
    }
}
