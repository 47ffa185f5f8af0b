package io.halfopen.sim.trace;

import io.halfopen.sim.net.Answer;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Zeek's {@code conn.log}, the connection log network researchers already have, in its two formats: the
 * default TSV (with its {@code #separator}, {@code #fields} and {@code #unset_field} header lines) and JSON (one
 * object per line, {@code LogAscii::use_json}; {@code ts} as epoch seconds or an ISO-8601 string).
 *
 * <p>Every TCP connection is one outbound connect attempt of the simulated host, at {@code ts}, to
 * {@code id.resp_h}:{@code id.resp_p}. {@code conn_state} S0 (a SYN, no answer) is a drop; REJ (a SYN answered by
 * a reset) a refusal after the recorded {@code duration}; every other state an accept after the recorded
 * duration (Zeek records the whole connection's duration, not the handshake's: an upper bound of the RTT). UDP
 * and ICMP lines are counted and left out, as the limit never counts them. Filter the log to one originator
 * first ({@code zeek-cut}, {@code jq}) to simulate one host. Lines come sorted by {@code ts}; Zeek writes them
 * when connections end, not in time order.
 */
public final class ZeekConnLog {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ZeekConnLog() {
    }

    /**
     * Reads a TSV conn.log.
     *
     * @param file the file
     * @return the trace
     * @throws IOException          if it cannot be read
     * @throws TraceFormatException for the first line that is wrong
     */
    public static Trace readTsv(final Path file) throws IOException {
        final String source = file.toString();
        final Collector collector = new Collector(source);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String separator = "\t";
            String unset = "-";
            List<String> fields = null;
            long line = 0;
            String text;
            while ((text = in.readLine()) != null) {
                line++;
                if (text.isEmpty()) {
                    continue;
                }
                if (text.startsWith("#")) {
                    if (text.startsWith("#separator")) {
                        separator = unescape(text.substring("#separator".length()).strip());
                        if (separator.isEmpty()) {
                            throw new TraceFormatException(source, line, "#separator names no separator");
                        }
                    } else if (text.startsWith("#unset_field")) {
                        unset = text.substring("#unset_field".length() + 1);
                    } else if (text.startsWith("#fields")) {
                        fields = Arrays.asList(text.split(java.util.regex.Pattern.quote(separator), -1));
                        fields = fields.subList(1, fields.size());
                        for (final String required : List.of("ts", "id.resp_h", "id.resp_p", "proto", "duration",
                                "conn_state")) {
                            if (!fields.contains(required)) {
                                throw new TraceFormatException(source, line, "#fields has no '" + required
                                        + "' column; a conn.log needs ts, id.resp_h, id.resp_p, proto, duration, conn_state");
                            }
                        }
                    }
                    continue;
                }
                if (fields == null) {
                    throw new TraceFormatException(source, line, "a data line before the #fields line; is this a"
                            + " Zeek TSV log? (for JSON logs use zeek-json)");
                }
                final String[] values = text.split(java.util.regex.Pattern.quote(separator), -1);
                if (values.length != fields.size()) {
                    throw new TraceFormatException(source, line, "expected " + fields.size() + " fields as #fields"
                            + " says, found " + values.length);
                }
                final String u = unset;
                final List<String> f = fields;
                collector.add(line, name -> {
                    final String v = values[f.indexOf(name)];
                    return v.equals(u) ? null : v;
                }, false);
            }
        }
        return collector.trace();
    }

    /**
     * Reads a JSON conn.log (one object per line).
     *
     * @param file the file
     * @return the trace
     * @throws IOException          if it cannot be read
     * @throws TraceFormatException for the first line that is wrong
     */
    public static Trace readJson(final Path file) throws IOException {
        final String source = file.toString();
        final Collector collector = new Collector(source);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long line = 0;
            String text;
            while ((text = in.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                final JsonNode node;
                try {
                    node = JSON.readTree(text);
                } catch (final JacksonException e) {
                    throw new TraceFormatException(source, line, "not JSON: " + e.getOriginalMessage());
                }
                if (!node.isObject()) {
                    throw new TraceFormatException(source, line, "not a JSON object");
                }
                collector.add(line, name -> {
                    final JsonNode v = node.get(name);
                    return v == null || v.isNull() ? null : v.isString() ? v.asString() : v.toString();
                }, true);
            }
        }
        return collector.trace();
    }

    /** Turns lines into records; the same rules for both formats. */
    private static final class Collector {
        private final String source;
        private final List<TraceRecord> records = new ArrayList<>();
        private long nonTcp;
        private long withoutDuration;
        private BigDecimal first;

        Collector(final String source) {
            this.source = source;
        }

        void add(final long line, final java.util.function.Function<String, String> field, final boolean isoTs) {
            final String proto = require(line, field, "proto");
            if (!proto.equals("tcp")) {
                if (proto.equals("udp") || proto.equals("icmp") || proto.equals("unknown_transport")) {
                    nonTcp++;
                    return;
                }
                throw new TraceFormatException(source, line, "proto '" + proto + "' is none of tcp, udp, icmp");
            }
            final BigDecimal ts = timestamp(line, require(line, field, "ts"), isoTs);
            final InetSocketAddress remote = new InetSocketAddress(
                    Fields.address(source, line, "id.resp_h", require(line, field, "id.resp_h")),
                    Fields.port(source, line, "id.resp_p", require(line, field, "id.resp_p")));
            final String state = require(line, field, "conn_state");
            final Answer outcome = switch (state) {
                case "S0" -> Answer.DROP;
                case "REJ" -> Answer.REFUSE;
                case "S1", "S2", "S3", "SF", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH" -> Answer.ACCEPT;
                default -> throw new TraceFormatException(source, line, "conn_state '" + state
                        + "' is not one of Zeek's (S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH)");
            };
            final String duration = field.apply("duration");
            long rtt = 0;
            if (outcome != Answer.DROP) {
                if (duration == null) {
                    withoutDuration++;
                } else {
                    rtt = Fields.seconds(source, line, "duration", duration);
                }
            }
            if (first == null || ts.compareTo(first) < 0) {
                first = ts;
            }
            records.add(new TraceRecord(ts.movePointRight(9).longValue(), remote, outcome, rtt, line));
        }

        private String require(final long line, final java.util.function.Function<String, String> field,
                final String name) {
            final String v = field.apply(name);
            if (v == null || v.isEmpty()) {
                throw new TraceFormatException(source, line, "'" + name + "' is missing");
            }
            return v;
        }

        private BigDecimal timestamp(final long line, final String text, final boolean isoAllowed) {
            try {
                return new BigDecimal(text.strip());
            } catch (final NumberFormatException notANumber) {
                if (isoAllowed) {
                    try {
                        final Instant t = Instant.parse(text.strip());
                        return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9));
                    } catch (final DateTimeParseException e) {
                        // fall through to the error
                    }
                }
                throw new TraceFormatException(source, line, "ts '" + text + "' is not a timestamp (epoch seconds"
                        + (isoAllowed ? " or ISO-8601" : "") + ")");
            }
        }

        Trace trace() {
            final long origin = first == null ? 0 : first.movePointRight(9).longValue();
            final List<TraceRecord> shifted = new ArrayList<>(records.size());
            for (final TraceRecord r : records) {
                shifted.add(new TraceRecord(r.timeNanos() - origin, r.remote(), r.outcome(), r.rttNanos(), r.line()));
            }
            shifted.sort((a, b) -> Long.compare(a.timeNanos(), b.timeNanos()));
            return new Trace(source, shifted, nonTcp, withoutDuration);
        }
    }

    private static String unescape(final String text) {
        if (text.startsWith("\\x") && text.length() == 4) {
            return String.valueOf((char) Integer.parseInt(text.substring(2), 16));
        }
        return text;
    }
}
