package io.halfopen.sim.report;

import io.halfopen.sim.population.EpidemicResult;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The points of a slowdown chart ({@link Charts#slowdown}): per policy (and swept values), the time until a share of
 * the hosts was infected against the coverage, in increasing coverage; and the unprotected baseline ({@code
 * unlimited}, which runs once). A log axis has no place for a time of zero (the share was infected at the start)
 * and none for a share never reached: such a run gets no point, and its line's name says which coverages it lacks,
 * so nothing is left out silently.
 *
 * @param lines    by name, [coverage in %, time in the unit] points in increasing coverage
 * @param baseline the baseline's time in the unit, NaN if there is none or it has no point
 * @param points   how many points the lines and the baseline have, together
 */
public record SlowdownSeries(Map<String, List<double[]>> lines, double baseline, int points) {

    /**
     * Collects the points of results.
     *
     * @param results     the runs, in any order
     * @param share       the infected share, 0 to 1
     * @param unitSeconds the time unit, in seconds (3600 for hours)
     * @return the series
     */
    public static SlowdownSeries of(final List<EpidemicResult> results, final double share,
            final double unitSeconds) {
        final Map<String, TreeMap<Double, Double>> byName = new LinkedHashMap<>();
        final Map<String, TreeMap<Double, String>> missing = new LinkedHashMap<>();
        double baseline = Double.NaN;
        int points = 0;
        for (final EpidemicResult r : results) {
            final double t = r.secondsTo(share) / unitSeconds;
            final boolean drawable = t > 0; // false for NaN (not reached) and for 0 (infected at the start)
            if (r.run().policy().name().equals("unlimited")) {
                if (drawable) {
                    baseline = t;
                    points++;
                }
                continue;
            }
            final StringBuilder name = new StringBuilder(r.run().policy().toString());
            r.run().sweep().forEach((k, v) -> name.append(' ').append(k).append('=').append(v));
            final String key = name.toString();
            final double coverage = r.run().coverage() * 100;
            byName.computeIfAbsent(key, k -> new TreeMap<>());
            if (drawable) {
                byName.get(key).put(coverage, t);
                points++;
            } else {
                missing.computeIfAbsent(key, k -> new TreeMap<>()).put(coverage,
                        Double.isNaN(t) ? "not reached" : "at t = 0");
            }
        }
        final Map<String, List<double[]>> lines = new LinkedHashMap<>();
        byName.forEach((key, sorted) -> {
            final List<double[]> line = new ArrayList<>();
            sorted.forEach((coverage, t) -> line.add(new double[] {coverage, t}));
            lines.put(key + note(missing.get(key)), line);
        });
        return new SlowdownSeries(lines, baseline, points);
    }

    /** What a line lacks, such as " (coverage 100 %: not reached)", or nothing. */
    private static String note(final TreeMap<Double, String> missing) {
        if (missing == null) {
            return "";
        }
        final StringJoiner s = new StringJoiner("; ", " (", ")");
        missing.forEach((coverage, why) -> s.add("coverage " + percent(coverage) + ": " + why));
        return s.toString();
    }

    /**
     * A percentage as short as it is exact to a thousandth: 50 %, 99.5 %.
     *
     * @param percent the value, in percent
     * @return its text
     */
    public static String percent(final double percent) {
        return BigDecimal.valueOf(Math.round(percent * 1000) / 1000.0).stripTrailingZeros().toPlainString() + " %";
    }
}
