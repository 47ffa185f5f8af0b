package io.halfopen.sim.trace;

import io.halfopen.sim.net.Answer;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
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
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(reader)) {
            boolean header = true;
            while (true) {
                final String[] row;
                final long line;
                try {
                    if (!rows.hasNextValue()) {
                        break;
                    }
                    row = rows.nextValue();
                    line = rows.currentLocation().getLineNr();
                } catch (final JacksonException e) {
                    throw new TraceFormatException(source, e.getLocation() == null ? -1 : e.getLocation().getLineNr(),
                            "not CSV: " + e.getOriginalMessage());
                }
                if (header) {
                    header = false;
                    if (!List.of(row).stream().map(String::strip).toList().equals(HEADER)) {
                        throw new TraceFormatException(source, line, "the header must be " + String.join(",", HEADER)
                                + ", was " + String.join(",", row));
                    }
                    continue;
                }
                if (row.length == 1 && row[0].isBlank()) {
                    continue; // an empty line
                }
                if (row.length != HEADER.size()) {
                    throw new TraceFormatException(source, line, "expected 4 fields (" + String.join(",", HEADER)
                            + "), found " + row.length);
                }
                records.add(record(source, line, row));
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
