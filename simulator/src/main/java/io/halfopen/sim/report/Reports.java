package io.halfopen.sim.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * Renders rows: the console table, and CSV and JSON through Jackson (columns and fields in the rows' declared
 * order, so the same rows give the same bytes).
 */
public final class Reports {

    private Reports() {
    }

    /**
     * Renders the console table of a host report: one line per policy and swept value (whole host), with the
     * benign delay when the workload has benign traffic.
     *
     * @param rows the rows
     * @return the table
     */
    public static String hostTable(final List<HostRow> rows) {
        final boolean params = rows.stream().anyMatch(r -> !r.params().isEmpty());
        final boolean benign = rows.stream().anyMatch(r -> r.benignDelayP50Ms() != null);
        final List<String> header = new ArrayList<>(List.of("policy"));
        if (params) {
            header.add("params");
        }
        header.addAll(List.of("done/s", "p50", "p90", "p99", "p99.9", "max"));
        if (benign) {
            header.addAll(List.of("benign +p50", "+p99", "+max"));
        }
        header.addAll(List.of("new dst/s", "dead/s", "4226", "peak queue"));
        final Table table = new Table(header);
        for (final HostRow r : rows) {
            if (!r.stream().equals("all")) {
                continue;
            }
            final List<String> cells = new ArrayList<>(List.of(r.policy()));
            if (params) {
                cells.add(r.params());
            }
            cells.addAll(List.of(Units.number(r.completedPerSecond()), Units.ms(r.latencyP50Ms()),
                    Units.ms(r.latencyP90Ms()), Units.ms(r.latencyP99Ms()), Units.ms(r.latencyP999Ms()),
                    Units.ms(r.latencyMaxMs())));
            if (benign) {
                cells.addAll(List.of(Units.ms(r.benignDelayP50Ms()), Units.ms(r.benignDelayP99Ms()),
                        Units.ms(r.benignDelayMaxMs())));
            }
            cells.addAll(List.of(Units.number(r.newDestinationsPerSecond()), Units.number(r.deadAttemptsPerSecond()),
                    String.valueOf(r.events4226()), String.valueOf(r.peakQueue())));
            table.row(cells);
        }
        return table.render();
    }

    /**
     * Renders the console table of an epidemic report.
     *
     * @param rows the rows
     * @return the table
     */
    public static String epidemicTable(final List<EpidemicRow> rows) {
        final boolean params = rows.stream().anyMatch(r -> !r.params().isEmpty());
        final List<String> header = new ArrayList<>(List.of("policy"));
        if (params) {
            header.add("params");
        }
        header.addAll(List.of("coverage", "to 50 %", "to 90 %", "scans", "infected"));
        final Table table = new Table(header);
        for (final EpidemicRow r : rows) {
            final List<String> cells = new ArrayList<>(List.of(r.policy()));
            if (params) {
                cells.add(r.params());
            }
            cells.addAll(List.of(Units.number(r.coverage()), Units.seconds(r.secondsTo50()),
                    Units.seconds(r.secondsTo90()), String.valueOf(r.scans()), r.infected() + " of " + r.vulnerable()));
            table.row(cells);
        }
        return table.render();
    }

    /**
     * Writes rows as CSV with a header line.
     *
     * @param rows the rows
     * @param type their record type
     * @param <T>  the type
     * @return the CSV text
     */
    public static <T extends Record> String csv(final List<T> rows, final Class<T> type) {
        final CsvSchema schema = Mappers.CSV.schemaFor(type).withHeader();
        return Mappers.CSV.writer(schema).writeValueAsString(rows);
    }

    /**
     * Writes a value as indented JSON.
     *
     * @param value records, lists and maps
     * @return the JSON text
     */
    public static String json(final Object value) {
        return Mappers.JSON.writeValueAsString(value) + "\n";
    }

    /**
     * Writes text to a file, creating its directory.
     *
     * @param file the file
     * @param text the text
     * @throws IOException if it cannot be written
     */
    public static void write(final Path file, final String text) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, text);
    }

    /**
     * The JSON report: what was asked, the rows, and the curves behind the charts.
     *
     * @param command the command line's arguments, as given
     * @param rows    the rows
     * @param curves  by series name (in insertion order), lists of [x, y] points
     * @param <T>     the row type
     */
    public record Document<T>(List<String> command, List<T> rows, Map<String, List<double[]>> curves) {
    }

    /**
     * Jackson's mappers, built when a report is first written to a file: a run that only prints its table (the
     * timed commands of the README's Speed section) does not load Jackson's few hundred classes, about half a
     * second of a short run. Initialized once by the JVM's class initialization, so safe from any thread.
     */
    private static final class Mappers {
        static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        static final CsvMapper CSV = new CsvMapper();
    }
}
