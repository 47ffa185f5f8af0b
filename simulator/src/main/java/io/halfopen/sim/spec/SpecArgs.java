package io.halfopen.sim.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link Spec}'s parameters as typed values, in the order they are declared, and refuses what it does
 * not know: every read names the parameter, and {@link #done()} fails on any parameter that nobody read, with
 * the list of the ones that exist. Positional values bind to the parameters in the order they are read.
 *
 * <p>Not thread-safe; one use per spec.
 */
public final class SpecArgs {

    private final Spec spec;
    private final String kind;
    private final Map<String, String> left;
    private final List<String> known = new ArrayList<>();
    private int nextPositional;

    /**
     * Starts reading.
     *
     * @param spec the spec
     * @param kind what the spec names, for messages ("policy", "workload", ...)
     */
    public SpecArgs(final Spec spec, final String kind) {
        this.spec = spec;
        this.kind = kind;
        this.left = new LinkedHashMap<>(spec.params());
    }

    private String raw(final String key) {
        known.add(key);
        final String named = left.remove(key);
        if (named != null) {
            return named;
        }
        final String positional = Spec.positionalKey(nextPositional);
        final String value = left.remove(positional);
        if (value != null) {
            nextPositional++;
        }
        return value;
    }

    /**
     * Reads a string.
     *
     * @param key      the parameter
     * @param fallback its default
     * @return the value
     */
    public String string(final String key, final String fallback) {
        final String v = raw(key);
        return v == null ? fallback : v;
    }

    /**
     * Reads a nested spec, such as a distribution.
     *
     * @param key      the parameter
     * @param fallback its default, in spec syntax
     * @return the value
     */
    public Spec spec(final String key, final String fallback) {
        final String v = raw(key);
        try {
            return Spec.parse(v == null ? fallback : v);
        } catch (final IllegalArgumentException e) {
            throw bad(key, v, e.getMessage());
        }
    }

    /**
     * Reads an integer within bounds.
     *
     * @param key      the parameter
     * @param fallback its default
     * @param min      the least value allowed
     * @param max      the greatest value allowed
     * @return the value
     */
    public long integer(final String key, final long fallback, final long min, final long max) {
        final String v = raw(key);
        if (v == null) {
            return fallback;
        }
        final long value;
        try {
            value = Long.parseLong(v.replace("_", ""));
        } catch (final NumberFormatException e) {
            throw bad(key, v, "not an integer");
        }
        if (value < min || value > max) {
            throw bad(key, v, "must be between " + min + " and " + max);
        }
        return value;
    }

    /**
     * Reads a number within bounds (inclusive).
     *
     * @param key      the parameter
     * @param fallback its default
     * @param min      the least value allowed
     * @param max      the greatest value allowed
     * @return the value
     */
    public double number(final String key, final double fallback, final double min, final double max) {
        final String v = raw(key);
        if (v == null) {
            return fallback;
        }
        final double value;
        try {
            value = Double.parseDouble(v);
        } catch (final NumberFormatException e) {
            throw bad(key, v, "not a number");
        }
        if (!(value >= min && value <= max)) {
            throw bad(key, v, "must be between " + min + " and " + max);
        }
        return value;
    }

    /**
     * Reads a share, between 0 and 1.
     *
     * @param key      the parameter
     * @param fallback its default
     * @return the value
     */
    public double share(final String key, final double fallback) {
        return number(key, fallback, 0, 1);
    }

    /**
     * Reads a duration such as {@code 21s}, {@code 100ms}, {@code 1.5h}.
     *
     * @param key      the parameter
     * @param fallback its default
     * @param zeroOk   whether zero is allowed
     * @return the value
     */
    public Duration duration(final String key, final Duration fallback, final boolean zeroOk) {
        final String v = raw(key);
        if (v == null) {
            return fallback;
        }
        final Duration d;
        try {
            d = Durations.parse(v);
        } catch (final IllegalArgumentException e) {
            throw bad(key, v, e.getMessage());
        }
        if (d.isNegative() || (!zeroOk && d.isZero())) {
            throw bad(key, v, zeroOk ? "must not be negative" : "must be positive");
        }
        return d;
    }

    /**
     * Checks that every parameter given was read.
     *
     * @throws IllegalArgumentException naming the unknown ones and listing the known ones
     */
    public void done() {
        if (!left.isEmpty()) {
            final List<String> unknown = new ArrayList<>();
            for (final String key : left.keySet()) {
                unknown.add(key.startsWith("#") ? "positional value '" + left.get(key) + "'" : "'" + key + "'");
            }
            throw new IllegalArgumentException("unknown parameter" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown) + " for " + kind + " " + spec.name() + " in \"" + spec + "\"; it takes "
                    + (known.isEmpty() ? "no parameters" : String.join(", ", known)));
        }
    }

    private IllegalArgumentException bad(final String key, final String value, final String what) {
        return new IllegalArgumentException(kind + " " + spec.name() + ": parameter " + key + "=" + value + " is wrong: "
                + what);
    }
}
