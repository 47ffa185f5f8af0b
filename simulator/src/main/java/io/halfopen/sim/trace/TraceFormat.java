package io.halfopen.sim.trace;

import java.io.IOException;
import java.nio.file.Path;

/** The trace formats the simulator reads, by the name {@code --trace FORMAT:FILE} uses. */
public enum TraceFormat {
    /** The simulator's own CSV ({@link CsvTrace}). */
    CSV("csv"),
    /** Zeek's conn.log, TSV ({@link ZeekConnLog#readTsv}). */
    ZEEK_TSV("zeek-tsv"),
    /** Zeek's conn.log, JSON lines ({@link ZeekConnLog#readJson}). */
    ZEEK_JSON("zeek-json");

    private final String word;

    TraceFormat(final String word) {
        this.word = word;
    }

    /**
     * Returns the name.
     *
     * @return csv, zeek-tsv or zeek-json
     */
    public String word() {
        return word;
    }

    /**
     * Reads a name.
     *
     * @param word the name
     * @return the format
     */
    public static TraceFormat of(final String word) {
        for (final TraceFormat f : values()) {
            if (f.word.equals(word)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown trace format '" + word + "' (csv, zeek-tsv, zeek-json)");
    }

    /**
     * Reads a file in this format.
     *
     * @param file the file
     * @return the trace
     * @throws IOException          if it cannot be read
     * @throws TraceFormatException for a malformed line, with its number
     */
    public Trace read(final Path file) throws IOException {
        return switch (this) {
            case CSV -> CsvTrace.read(file);
            case ZEEK_TSV -> ZeekConnLog.readTsv(file);
            case ZEEK_JSON -> ZeekConnLog.readJson(file);
        };
    }
}
