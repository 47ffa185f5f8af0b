package io.halfopen.sim.report;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns, for the console. Numbers are right-aligned, text left-aligned. */
public final class Table {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    /**
     * Starts a table.
     *
     * @param header the column titles
     */
    public Table(final List<String> header) {
        this.header = List.copyOf(header);
    }

    /**
     * Adds a row.
     *
     * @param cells one per column
     * @return this table
     */
    public Table row(final List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("a row needs " + header.size() + " cells, had " + cells.size());
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    /**
     * Renders the table, a line per row under a header and a rule, each line ending in a newline.
     *
     * @return the text
     */
    public String render() {
        final int[] width = new int[header.size()];
        final boolean[] numeric = new boolean[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            numeric[c] = !rows.isEmpty();
            for (final List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
                numeric[c] &= looksNumeric(row.get(c));
            }
        }
        final StringBuilder out = new StringBuilder();
        line(out, header, width, numeric);
        int total = 0;
        for (final int w : width) {
            total += w;
        }
        out.append("-".repeat(total + 2 * (width.length - 1))).append('\n');
        for (final List<String> row : rows) {
            line(out, row, width, numeric);
        }
        return out.toString();
    }

    private static void line(final StringBuilder out, final List<String> cells, final int[] width,
            final boolean[] numeric) {
        final StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                line.append("  ");
            }
            final String cell = cells.get(c);
            final String pad = " ".repeat(width[c] - cell.length());
            line.append(numeric[c] ? pad + cell : cell + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static boolean looksNumeric(final String cell) {
        return cell.equals("-") || (!cell.isEmpty() && (Character.isDigit(cell.charAt(0)) || cell.charAt(0) == '-'));
    }
}
