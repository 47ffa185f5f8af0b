package io.halfopen.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of the session table, taken by {@link InboundSessionLimiter#sessions()}, that
 * renders itself the way Windows XP's {@code net session} prints it:
 *
 * <pre>
 * Computer               User name            Client Type       Opens Idle time
 * -------------------------------------------------------------------------------
 * \\127.0.0.2                                                       1 00:16:05
 * \\127.0.0.3           alice                Windows 2002 Serv     0 00:00:05
 * The command completed successfully.
 * </pre>
 *
 * <p>Opens counts the files and pipes each session has open ({@link SessionConnection#open(String)}), as
 * Windows does, not its connections ({@link SessionInfo#connections()}).
 *
 * <p>Columns are 23, 21 and 18 characters wide; Opens is right-aligned under its header; the idle time is
 * {@code HH:MM:SS}. As on XP the client type is cut to 17 characters ("Windows 2002 Serv"); a computer or
 * user name too long for its column is kept whole and followed by one space. An empty table prints
 * "There are no entries in the list." Lines end with {@code \n}.
 *
 * <p>Thread-safe.
 *
 * @param rows the sessions, ordered by computer name, then user name, then in the order they opened
 */
public record SessionTable(List<SessionInfo> rows) {

    /** The column header of {@code net session}. */
    public static final String HEADER =
            "Computer               User name            Client Type       Opens Idle time";

    private static final String RULE = "-".repeat(79);
    private static final int COMPUTER_WIDTH = 23;
    private static final int USER_WIDTH = 21;
    private static final int CLIENT_TYPE_WIDTH = 18;
    private static final int OPENS_WIDTH = 5;

    /**
     * Copies the rows.
     *
     * @param rows the sessions
     * @throws NullPointerException if {@code rows} or a row is null
     */
    public SessionTable {
        rows = List.copyOf(rows);
    }

    /**
     * Returns the number of sessions in the snapshot.
     *
     * @return the row count
     */
    public int size() {
        return rows.size();
    }

    /**
     * Returns the first session of {@code computer}, named in any spelling
     * {@link InboundSessionLimiter#disconnect(String)} accepts.
     *
     * @param computer the computer name
     * @return its first row, or empty
     * @throws IllegalArgumentException if {@code computer} names no computer
     */
    public Optional<SessionInfo> find(final String computer) {
        final String key = ComputerNames.key(ComputerNames.normalize(computer, "computer"));
        return rows.stream().filter(row -> ComputerNames.key(row.computer()).equals(key)).findFirst();
    }

    /**
     * Renders the table as {@code net session} prints it.
     *
     * @return the rendered table, every line ending in {@code \n}
     */
    public String render() {
        final StringBuilder out = new StringBuilder();
        if (rows.isEmpty()) {
            return out.append("There are no entries in the list.\n").toString();
        }
        out.append(HEADER).append('\n').append(RULE).append('\n');
        for (final SessionInfo row : rows) {
            final String line = pad("\\\\" + row.computer(), COMPUTER_WIDTH)
                    + pad(row.userName(), USER_WIDTH)
                    + pad(cut(row.clientType(), CLIENT_TYPE_WIDTH - 1), CLIENT_TYPE_WIDTH)
                    + leftPad(Integer.toString(row.opens()), OPENS_WIDTH)
                    + ' ' + hhmmss(row.idleTime());
            out.append(line).append('\n');
        }
        return out.append("The command completed successfully.\n").toString();
    }

    @Override
    public String toString() {
        return render();
    }

    private static String pad(final String text, final int width) {
        return text.length() < width ? text + " ".repeat(width - text.length()) : text + ' ';
    }

    private static String leftPad(final String text, final int width) {
        return text.length() < width ? " ".repeat(width - text.length()) + text : text;
    }

    private static String cut(final String text, final int width) {
        return text.length() <= width ? text : text.substring(0, width);
    }

    private static String hhmmss(final Duration idle) {
        final long seconds = idle.getSeconds();
        return String.format("%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
