package io.halfopen.sim.trace;

import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.HostRecorder;
import io.halfopen.sim.net.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * Writes the simulator's CSV trace format ({@link CsvTrace}): as a {@link HostRecorder} it writes every attempt
 * a workload submits, with the answer the network model gave it, so a synthetic workload can be kept, shared and
 * replayed as a trace. Not thread-safe.
 */
public final class TraceWriter implements HostRecorder, AutoCloseable {

    private static final CsvMapper CSV = new CsvMapper();

    private final Writer out;
    private final SequenceWriter rows;

    private TraceWriter(final Writer out) {
        this.out = out;
        final CsvSchema.Builder schema = CsvSchema.builder();
        CsvTrace.HEADER.forEach(schema::addColumn);
        this.rows = CSV.writer(schema.build().withHeader()).writeValues(out);
    }

    /**
     * Opens a trace file for writing, creating its directory.
     *
     * @param file the file
     * @return the writer
     * @throws IOException if it cannot be created
     */
    public static TraceWriter open(final Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        return new TraceWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /**
     * Writes one attempt.
     *
     * @param timeNanos when it was made
     * @param remote    where to
     * @param outcome   how it is answered
     * @param rttNanos  after how long (ignored for a drop)
     */
    public void write(final long timeNanos, final InetSocketAddress remote, final Answer outcome, final long rttNanos) {
        final String host = remote.getAddress() instanceof Inet6Address
                ? "[" + remote.getAddress().getHostAddress() + "]" : remote.getAddress().getHostAddress();
        rows.write(List.of(seconds(timeNanos), host + ":" + remote.getPort(), outcome.word(),
                outcome == Answer.DROP ? "" : seconds(rttNanos)));
    }

    @Override
    public void submitted(final Connect connect) {
        write(connect.submittedAt(), connect.remote(), connect.answer(), connect.rttNanos());
    }

    @Override
    public void close() {
        try {
            rows.close();
            out.close();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String seconds(final long nanos) {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }
}
