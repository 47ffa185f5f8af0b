package io.halfopen.testkit.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the fields of {@code sock:inet_sock_set_state} lie in one of its ring-buffer records, read from the
 * tracepoint's {@code format} file rather than assumed, so that a kernel that moves them is read right or refused.
 *
 * <p>Immutable.
 *
 * @param id        the event's type id ({@code common_type} of its records)
 * @param type      offset of {@code common_type} (2 bytes)
 * @param skaddr    offset of {@code skaddr}, the socket's kernel address (8 bytes)
 * @param oldstate  offset of {@code oldstate} (4 bytes)
 * @param newstate  offset of {@code newstate} (4 bytes)
 * @param sport     offset of {@code sport}, host order (2 bytes)
 * @param dport     offset of {@code dport}, host order (2 bytes)
 * @param protocol  offset of {@code protocol} (2 bytes)
 * @param daddrV6   offset of {@code daddr_v6}, network order, IPv4 destinations mapped (16 bytes)
 * @param size      the record's length up to the end of the last field read
 */
public record EventLayout(int id, int type, int skaddr, int oldstate, int newstate, int sport, int dport,
        int protocol, int daddrV6, int size) {

    private static final Pattern ID = Pattern.compile("(?m)^ID:\\s*(\\d+)");
    private static final Pattern FIELD = Pattern.compile(
            "field:([^;]*?)\\s+(\\w+)(\\[\\d+])?;\\s*offset:(\\d+);\\s*size:(\\d+);");

    /**
     * Parses a {@code format} file.
     *
     * @param format the file's text
     * @return the layout
     * @throws IllegalArgumentException if a field is missing or has an unexpected size
     */
    public static EventLayout parse(final String format) {
        final Matcher id = ID.matcher(format);
        if (!id.find()) {
            throw new IllegalArgumentException("no ID line in the format of sock:inet_sock_set_state");
        }
        final Map<String, int[]> fields = new HashMap<>();
        final Matcher field = FIELD.matcher(format);
        while (field.find()) {
            fields.put(field.group(2), new int[] {Integer.parseInt(field.group(4)), Integer.parseInt(field.group(5))});
        }
        int end = 0;
        final int[] offsets = new int[8];
        final String[] names = {"common_type", "skaddr", "oldstate", "newstate", "sport", "dport", "protocol",
            "daddr_v6"};
        final int[] sizes = {2, 8, 4, 4, 2, 2, 2, 16};
        for (int i = 0; i < names.length; i++) {
            final int[] offsetAndSize = fields.get(names[i]);
            if (offsetAndSize == null) {
                throw new IllegalArgumentException("sock:inet_sock_set_state has no field " + names[i]);
            }
            if (offsetAndSize[1] != sizes[i]) {
                throw new IllegalArgumentException("sock:inet_sock_set_state's field " + names[i] + " has "
                        + offsetAndSize[1] + " bytes, expected " + sizes[i]);
            }
            offsets[i] = offsetAndSize[0];
            end = Math.max(end, offsetAndSize[0] + offsetAndSize[1]);
        }
        return new EventLayout(Integer.parseInt(id.group(1)), offsets[0], offsets[1], offsets[2], offsets[3],
                offsets[4], offsets[5], offsets[6], offsets[7], end);
    }
}
