package io.halfopen.testkit.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ring buffer's sub-buffer ("page") header and event header, as {@code events/header_page} and
 * {@code events/header_event} describe them. This reader knows one layout, the one of every 64-bit kernel since
 * 2.6.30: an 8-byte timestamp at 0, an 8-byte commit word at 8 (data length, with the missed-events flags in bits
 * 31 and 30), data from 16; event headers of a 5-bit type_len and a 27-bit time delta. Anything else is refused,
 * never guessed at.
 *
 * <p>Immutable.
 *
 * @param dataOffset where a page's records start
 */
public record PageLayout(int dataOffset) {

    /** type_len of padding (a discarded record, or the rest of the page when its delta is 0). */
    static final int PADDING = 29;
    /** type_len of a time extension: the delta's upper bits in the next word. */
    static final int TIME_EXTEND = 30;
    /** type_len of an absolute timestamp. */
    static final int TIME_STAMP = 31;
    /** Bits of a time delta in an event header. */
    static final int TS_SHIFT = 27;
    /** The commit word's flag: events were lost before this page (overwritten while unread). */
    static final long MISSED_EVENTS = 1L << 31;
    /** The commit word's flag: the number of lost events is stored after the page's data. */
    static final long MISSED_STORED = 1L << 30;

    private static final Pattern FIELD = Pattern.compile("field:\\s*([^;]*?)\\s+(\\w+);\\s*offset:(\\d+);\\s*"
            + "size:(\\d+);");

    /**
     * Checks the two header descriptions against the layout this reader knows.
     *
     * @param headerPage  {@code events/header_page}
     * @param headerEvent {@code events/header_event}
     * @return the layout
     * @throws IllegalArgumentException if either differs from it
     */
    public static PageLayout parse(final String headerPage, final String headerEvent) {
        int timestamp = -1;
        int commit = -1;
        int commitSize = -1;
        int data = -1;
        final Matcher field = FIELD.matcher(headerPage);
        while (field.find()) {
            final int offset = Integer.parseInt(field.group(3));
            switch (field.group(2)) {
                case "timestamp" -> timestamp = offset;
                case "commit" -> {
                    commit = offset;
                    commitSize = Integer.parseInt(field.group(4));
                }
                case "data" -> data = offset;
                default -> { } // "overwrite" shares the commit word
            }
        }
        if (timestamp != 0 || commit != 8 || commitSize != 8 || data != 16) {
            throw new IllegalArgumentException("events/header_page: timestamp at " + timestamp + ", commit at "
                    + commit + " (" + commitSize + " bytes), data at " + data + "; expected 0, 8 (8 bytes), 16:\n"
                    + headerPage);
        }
        final String compact = headerEvent.replaceAll("\\s+", " ");
        if (!compact.contains("type_len : 5 bits") || !compact.contains("time_delta : 27 bits")
                || !compact.contains("padding : type == 29") || !compact.contains("time_extend : type == 30")
                || !compact.contains("time_stamp : type == 31")) {
            throw new IllegalArgumentException("events/header_event is not the 5/27-bit layout with padding 29,"
                    + " time_extend 30, time_stamp 31:\n" + headerEvent);
        }
        return new PageLayout(data);
    }
}
