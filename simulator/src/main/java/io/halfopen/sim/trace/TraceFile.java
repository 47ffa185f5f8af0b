package io.halfopen.sim.trace;

import io.halfopen.sim.workload.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --trace FORMAT:FILE}: reads a trace into a workload, once, for every policy to replay. */
public final class TraceFile {

    private TraceFile() {
    }

    /**
     * Reads {@code FORMAT:FILE}; prints nothing, the trace's {@link Trace#summary()} says what was left out.
     *
     * @param formatAndFile such as {@code zeek-tsv:conn.log}
     * @return the workload
     * @throws IllegalArgumentException if the format is unknown, the file missing, or a line malformed (with its
     *                                  number)
     */
    public static TraceWorkload workload(final String formatAndFile) {
        final int colon = formatAndFile.indexOf(':');
        if (colon <= 0 || colon == formatAndFile.length() - 1) {
            throw new IllegalArgumentException("--trace must be FORMAT:FILE (csv, zeek-tsv, zeek-json), was '"
                    + formatAndFile + "'");
        }
        final TraceFormat format = TraceFormat.of(formatAndFile.substring(0, colon));
        final Path file = Path.of(formatAndFile.substring(colon + 1));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--trace " + formatAndFile + ": no such file " + file);
        }
        try {
            return new TraceWorkload(format, format.read(file), true);
        } catch (final IOException e) {
            throw new UncheckedIOException("--trace " + formatAndFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether a workload replays a trace (its parameters cannot be swept).
     *
     * @param w the workload
     * @return {@code true} for a trace
     */
    public static boolean isTrace(final Workload w) {
        return w instanceof TraceWorkload;
    }
}
