package io.halfopen.sim.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A named thing with parameters, as a user writes it: {@code williamson(workingSet=5, release=1s)},
 * {@code scanner(rate=100, liveShare=0.05)}, {@code lognormal(median=40ms, sigma=0.8)}, or a bare name such as
 * {@code unlimited}. Policies, workloads and distributions all use this one syntax.
 *
 * <p>Grammar: {@code name ( "(" [ param { "," param } ] ")" )?}, where {@code param} is {@code key=value} or a
 * bare {@code value} (positional), and a value may itself be a spec with parentheses. Whitespace around names,
 * keys and values is ignored. Names and keys are letters, digits, {@code -}, {@code _} and {@code .}.
 *
 * <p>Immutable; parameters keep the order they were written in, and {@link #toString()} writes the canonical
 * form ({@code name(k=v, k=v)}), which is also what reports print.
 */
public final class Spec {

    private final String name;
    private final Map<String, String> params;

    private Spec(final String name, final Map<String, String> params) {
        this.name = name;
        this.params = Collections.unmodifiableMap(params);
    }

    /**
     * Creates a spec without parameters.
     *
     * @param name the name
     * @return the spec
     */
    public static Spec of(final String name) {
        return new Spec(checkName(name, name, 0), new LinkedHashMap<>());
    }

    /**
     * Parses the syntax above.
     *
     * @param text what the user wrote
     * @return the spec
     * @throws IllegalArgumentException naming what is wrong and at which column (1-based)
     */
    public static Spec parse(final String text) {
        Objects.requireNonNull(text, "text");
        final int open = text.indexOf('(');
        if (open < 0) {
            return new Spec(checkName(text.strip(), text, 0), new LinkedHashMap<>());
        }
        final String name = checkName(text.substring(0, open).strip(), text, 0);
        final int close = matchingClose(text, open);
        if (close != text.length() - 1 && !text.substring(close + 1).isBlank()) {
            throw error(text, close + 1, "unexpected text after the closing ')'");
        }
        final Map<String, String> params = new LinkedHashMap<>();
        int start = open + 1;
        int depth = 0;
        int positional = 0;
        for (int i = open + 1; i <= close; i++) {
            final char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if ((c == ',' && depth == 0) || i == close) {
                final String part = text.substring(start, i);
                if (part.isBlank()) {
                    if (i == close && params.isEmpty() && positional == 0) {
                        break; // name()
                    }
                    throw error(text, start, "empty parameter");
                }
                final int eq = topLevelEquals(part);
                if (eq < 0) {
                    params.put(positionalKey(positional++), part.strip());
                } else {
                    final String key = part.substring(0, eq).strip();
                    final String value = part.substring(eq + 1).strip();
                    checkName(key, text, start);
                    if (value.isEmpty()) {
                        throw error(text, start + eq + 1, "no value for parameter '" + key + "'");
                    }
                    if (params.put(key, value) != null) {
                        throw error(text, start, "parameter '" + key + "' is given twice");
                    }
                }
                start = i + 1;
            }
        }
        return new Spec(name, params);
    }

    /**
     * The key under which the {@code index}th positional value is kept.
     *
     * @param index 0-based
     * @return the key
     */
    static String positionalKey(final int index) {
        return "#" + index;
    }

    /**
     * Returns the name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the parameters in the order written; positional ones under the keys {@code #0}, {@code #1}, ….
     *
     * @return an unmodifiable map
     */
    public Map<String, String> params() {
        return params;
    }

    /**
     * Returns a copy with one parameter set (replaced if present, appended otherwise).
     *
     * @param key   the parameter
     * @param value its value
     * @return the new spec
     */
    public Spec with(final String key, final String value) {
        final Map<String, String> copy = new LinkedHashMap<>(params);
        copy.put(key, value);
        return new Spec(name, copy);
    }

    /** Returns the canonical form: {@code name} or {@code name(k=v, k=v)}. */
    @Override
    public String toString() {
        if (params.isEmpty()) {
            return name;
        }
        final StringBuilder out = new StringBuilder(name).append('(');
        String separator = "";
        for (final Map.Entry<String, String> e : params.entrySet()) {
            out.append(separator);
            if (!e.getKey().startsWith("#")) {
                out.append(e.getKey()).append('=');
            }
            out.append(e.getValue());
            separator = ", ";
        }
        return out.append(')').toString();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Spec other && name.equals(other.name) && params.equals(other.params);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + params.hashCode();
    }

    private static int matchingClose(final String text, final int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        throw error(text, open, "'(' is never closed");
    }

    private static int topLevelEquals(final String part) {
        int depth = 0;
        for (int i = 0; i < part.length(); i++) {
            final char c = part.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '=' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String checkName(final String name, final String text, final int at) {
        if (name.isEmpty()) {
            throw error(text, at, "a name is missing");
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
                throw error(text, at, "'" + name + "' is not a name (letters, digits, '-', '_', '.')");
            }
        }
        return name;
    }

    private static IllegalArgumentException error(final String text, final int at, final String what) {
        return new IllegalArgumentException(what + " at column " + (at + 1) + " of \"" + text + "\"");
    }
}
