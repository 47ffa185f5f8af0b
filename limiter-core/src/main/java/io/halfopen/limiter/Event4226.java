package io.halfopen.limiter;

/**
 * The Windows event halfopen reproduces when it starts throttling: event 4226, source Tcpip, type Warning,
 * code 0x80001082. The same id and text appear in the listener's {@link LimitReached}, the WARN log line and
 * the {@code io.halfopen.LimitReached} JFR event.
 */
public final class Event4226 {

    /** The event id. */
    public static final int ID = 4226;

    /** The event source. */
    public static final String SOURCE = "Tcpip";

    /** The event code, as Windows logs it. */
    public static final int CODE = 0x80001082;

    /** The event text, verbatim. */
    public static final String TEXT =
            "TCP/IP has reached the security limit imposed on the number of concurrent TCP connect attempts.";

    private Event4226() {
    }
}
