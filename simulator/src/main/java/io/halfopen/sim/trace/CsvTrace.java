package io.halfopen.sim.trace;

import io.halfopen.sim.net.Answer;
import java.io.IOException;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

/**
 * The simulator's own trace format: CSV with the header {@code time,destination,outcome,rtt}; {@code time} in
 * seconds from the trace's start, {@code destination} as {@code 192.0.2.7:80} or {@code [2001:db8::1]:80},
 * {@code outcome} one of accepted, refused, dropped, unreachable, {@code rtt} in seconds (empty for dropped).
 * Read and written with Jackson's CSV module.
 */
public final class CsvTrace {

    /** The header line. */
    public static final List<String> HEADER = List.of("time", "destination", "outcome", "rtt");

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvReadFeature.WRAP_AS_ARRAY).build();

    private CsvTrace() {
    }

    /**
     * Reads a trace.
     *
     * @param file the file
     * @return the trace, sorted by time
     * @throws IOException          if it cannot be read
     * @throws TraceFormatException for the first line that is wrong
     */
    public static Trace read(final Path file) throws IOException {
        final String source = file.toString();
        final List<TraceRecord> records = new ArrayList<>();
        // line by line, each line parsed by Jackson's CSV reader: a record never spans lines, so the line
        // numbers in errors are exact
        final ObjectReader rows = CSV.readerFor(String[][].class); // WRAP_AS_ARRAY: a line is [[field, ...]]
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long line = 0;
            String text;
            while ((text = in.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                final String[] row;
                try {
                    final String[][] parsed = rows.readValue(text);
                    row = parsed.length == 0 ? new String[0] : parsed[0];
                } catch (final JacksonException e) {
                    throw new TraceFormatException(source, line, "not CSV: " + e.getOriginalMessage());
                }
                if (line == 1) {
                    if (!List.of(row).stream().map(String::strip).toList().equals(HEADER)) {
                        throw new TraceFormatException(source, line, "the header must be " + String.join(",", HEADER)
                                + ", was " + text);
                    }
                    continue;
                }
                if (row.length != HEADER.size()) {
                    throw new TraceFormatException(source, line, "expected 4 fields (" + String.join(",", HEADER)
                            + "), found " + row.length);
                }
                records.add(record(source, line, row));
            }
            if (line == 0) {
                throw new TraceFormatException(source, 1, "the file is empty; a trace starts with the header "
                        + String.join(",", HEADER));
            }
        }
        records.sort((a, b) -> Long.compare(a.timeNanos(), b.timeNanos()));
        return new Trace(source, records, 0, 0);
    }

    private static TraceRecord record(final String source, final long line, final String[] row) {
        final long time = Fields.seconds(source, line, "time", row[0]);
        final var remote = Fields.destination(source, line, row[1]);
        final Answer outcome;
        try {
            outcome = Answer.ofWord(row[2].strip());
        } catch (final IllegalArgumentException e) {
            throw new TraceFormatException(source, line, "outcome " + e.getMessage());
        }
        final long rtt;
        if (row[3].isBlank()) {
            if (outcome != Answer.DROP) {
                throw new TraceFormatException(source, line, "rtt is missing for an outcome of " + outcome.word());
            }
            rtt = 0;
        } else {
            rtt = Fields.seconds(source, line, "rtt", row[3]);
        }
        return new TraceRecord(time, remote, outcome, rtt, line);
    }
}
