package io.halfopen.sim.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's PNG charts, drawn with XChart: latency CDFs per policy (one host); infection curves per policy
 * and coverage, and the slowdown against coverage per policy (a population). Headless: no display is needed.
 */
public final class Charts {

    private static final int WIDTH = 1120;
    private static final int HEIGHT = 640;
    /** Okabe and Ito's palette, told apart with every common colour-vision deficiency; yellow left out (on white). */
    private static final java.awt.Color[] DISTINCT = {new java.awt.Color(0x0072B2), new java.awt.Color(0xD55E00),
        new java.awt.Color(0x009E73), new java.awt.Color(0xCC79A7), new java.awt.Color(0xE69F00),
        new java.awt.Color(0x56B4E9), java.awt.Color.BLACK};

    private Charts() {
    }

    /**
     * Returns the points of a latency CDF: x the latency in ms, y the share of attempts at or below it.
     *
     * @param latencyMicros a latency histogram in microseconds
     * @return the points, at most a few hundred
     */
    public static List<double[]> cdf(final Histogram latencyMicros) {
        final List<double[]> points = new ArrayList<>();
        final long total = latencyMicros.getTotalCount();
        if (total == 0) {
            return points;
        }
        // buckets 5 % wide on a log scale from 1 µs: a few hundred points, steps where the data has steps
        double before = 0;
        for (final HistogramIterationValue v : latencyMicros.logarithmicBucketValues(1, 1.05)) {
            if (v.getCountAddedInThisIterationStep() == 0) {
                continue;
            }
            final double ms = Math.max(0.001, v.getValueIteratedTo() / 1000.0);
            final double share = (double) v.getTotalCountToThisValue() / total;
            final double lowMs = Math.max(0.001, v.getValueIteratedFrom() / 1000.0);
            points.add(new double[] {lowMs, before});
            points.add(new double[] {ms, share});
            before = share;
        }
        return points;
    }

    /**
     * Draws latency CDFs, one line per series, with a logarithmic latency axis.
     *
     * @param file   the PNG to write
     * @param title  the chart's title
     * @param series by name, points from {@link #cdf}
     * @throws IOException if the file cannot be written
     */
    public static void latencyCdf(final Path file, final String title, final Map<String, List<double[]>> series)
            throws IOException {
        final XYChart chart = chart(title, "latency, queue wait included (ms, log scale)", "share of attempts");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#,##0.###");
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        add(chart, series);
        save(chart, file);
    }

    /**
     * Draws infection curves: the infected share against time, one line per series.
     *
     * @param file       the PNG to write
     * @param title      the chart's title
     * @param timeUnit   the x axis's unit, such as "hours"
     * @param series     by name, [time in that unit, share] points
     * @throws IOException if the file cannot be written
     */
    public static void infectionCurves(final Path file, final String title, final String timeUnit,
            final Map<String, List<double[]>> series) throws IOException {
        final XYChart chart = chart(title, "time (" + timeUnit + ")", "infected share of the vulnerable hosts");
        chart.getStyler().setXAxisDecimalPattern("#,##0.#");
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        double end = 0;
        for (final List<double[]> points : series.values()) {
            for (final double[] p : points) {
                end = Math.max(end, p[0]);
            }
        }
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(niceAbove(end));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        add(chart, series);
        save(chart, file);
    }

    /**
     * Draws the slowdown against deployment: the time until a share of the hosts is infected (logarithmic axis)
     * against the coverage, one line with markers per policy; a baseline (the unprotected population, run once) is a
     * dashed level line across the coverages drawn.
     *
     * @param file          the PNG to write
     * @param title         the chart's title
     * @param timeAxis      the y axis's title, such as "time to 90 % infected (hours, log scale)"
     * @param baselineLabel the baseline's name in the legend
     * @param baseline      the baseline's time, in the axis's unit, or NaN for none
     * @param series        by name, [coverage in %, time in the axis's unit] points in increasing coverage
     * @throws IOException if the file cannot be written
     */
    public static void slowdown(final Path file, final String title, final String timeAxis,
            final String baselineLabel, final double baseline, final Map<String, List<double[]>> series)
            throws IOException {
        final XYChart chart = chart(title, "coverage: share of the vulnerable hosts that run the policy (%)",
                timeAxis);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        double low = 100;
        double shortest = Double.isNaN(baseline) ? Double.POSITIVE_INFINITY : baseline;
        double longest = Double.isNaN(baseline) ? 0 : baseline;
        for (final List<double[]> points : series.values()) {
            for (final double[] p : points) {
                low = Math.min(low, p[0]);
                shortest = Math.min(shortest, p[1]);
                longest = Math.max(longest, p[1]);
            }
        }
        if (shortest > 0 && longest >= shortest) { // whole decades, so that the log axis labels at least two
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(shortest))));
            chart.getStyler().setYAxisMax(Math.pow(10, Math.max(Math.ceil(Math.log10(longest)),
                    Math.floor(Math.log10(shortest)) + 1)));
        }
        if (!Double.isNaN(baseline)) {
            final XYSeries level = chart.addSeries(baselineLabel, new double[] {low, 100}, new double[] {baseline,
                baseline});
            level.setMarker(SeriesMarkers.NONE);
            level.setLineStyle(SeriesLines.DASH_DASH);
            level.setLineColor(java.awt.Color.GRAY);
        }
        int n = 0;
        for (final Map.Entry<String, List<double[]>> e : series.entrySet()) {
            final XYSeries s = addPoints(chart, e.getKey(), e.getValue());
            if (s == null) {
                continue;
            }
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(SeriesLines.SOLID);
            final java.awt.Color color = DISTINCT[n++ % DISTINCT.length];
            s.setLineColor(color);
            s.setMarkerColor(color);
        }
        chart.getStyler().setMarkerSize(7);
        save(chart, file);
    }

    /** The least of 1, 2, 2.5 or 5 times a power of ten that is at least {@code x}: an axis end with round ticks. */
    static double niceAbove(final double x) {
        if (x <= 0) {
            return 1;
        }
        final double power = Math.pow(10, Math.floor(Math.log10(x)));
        for (final double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= x) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static XYChart chart(final String title, final String x, final String y) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setAntiAlias(true);
        chart.getStyler().setLegendBorderColor(java.awt.Color.LIGHT_GRAY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        return chart;
    }

    private static void add(final XYChart chart, final Map<String, List<double[]>> series) {
        int n = 0;
        for (final Map.Entry<String, List<double[]>> e : new LinkedHashMap<>(series).entrySet()) {
            final XYSeries s = addPoints(chart, e.getKey(), e.getValue());
            if (s == null) {
                continue;
            }
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(n++ < 8 ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
        }
    }

    /** Adds [x, y] points as a series; none (null) for no points, which XChart refuses. */
    private static XYSeries addPoints(final XYChart chart, final String name, final List<double[]> points) {
        if (points.isEmpty()) {
            return null;
        }
        final double[] xs = new double[points.size()];
        final double[] ys = new double[points.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = points.get(i)[0];
            ys[i] = points.get(i)[1];
        }
        return chart.addSeries(name, xs, ys);
    }

    private static void save(final XYChart chart, final Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
