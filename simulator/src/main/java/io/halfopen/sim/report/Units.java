package io.halfopen.sim.report;

import java.util.Locale;

/** Numbers as the console table prints them: the same text for the same value on every machine. */
final class Units {

    private Units() {
    }

    /** A duration given in milliseconds: 0.84 ms, 42.1 ms, 21.0 s, 1.51 h. */
    static String ms(final Double ms) {
        if (ms == null) {
            return "-";
        }
        final double s = ms / 1000;
        if (ms < 1) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        }
        if (ms < 1000) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        return String.format(Locale.ROOT, "%.2f h", s / 3600);
    }

    /** Seconds: 12.3 s, 4.56 h, 3.2 d. */
    static String seconds(final Double s) {
        if (s == null) {
            return "not reached";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        if (s < 86400 * 2) {
            return String.format(Locale.ROOT, "%.2f h", s / 3600);
        }
        return String.format(Locale.ROOT, "%.2f d", s / 86400);
    }

    /** A rate or a share with a sensible number of digits. */
    static String number(final double v) {
        if (v == 0) {
            return "0";
        }
        final double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
