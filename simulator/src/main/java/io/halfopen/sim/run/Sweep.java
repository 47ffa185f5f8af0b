package io.halfopen.sim.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parameter sweep: {@code --param maxHalfOpen=5,10,20,50 --param rate=10,100} gives every combination, in
 * the order written (the last parameter varies fastest). Values are split at top-level commas, so a value may
 * be a spec with commas inside parentheses ({@code rtt=uniform(10ms,50ms),constant(80ms)}).
 */
public final class Sweep {

    private Sweep() {
    }

    /**
     * Expands sweep parameters into combinations.
     *
     * @param params each {@code key=v1,v2,...}
     * @return the combinations, each an ordered map; one empty map without parameters
     * @throws IllegalArgumentException naming a malformed or repeated parameter
     */
    public static List<Map<String, String>> combinations(final List<String> params) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        final List<String> seen = new ArrayList<>();
        for (final String param : params) {
            final int eq = param.indexOf('=');
            if (eq <= 0 || eq == param.length() - 1) {
                throw new IllegalArgumentException("--param must be name=value1,value2,..., was '" + param + "'");
            }
            final String key = param.substring(0, eq).strip();
            if (seen.contains(key)) {
                throw new IllegalArgumentException("--param " + key + " is given twice");
            }
            seen.add(key);
            final List<String> values = splitTopLevel(param.substring(eq + 1));
            final List<Map<String, String>> next = new ArrayList<>();
            for (final Map<String, String> base : out) {
                for (final String value : values) {
                    final Map<String, String> m = new LinkedHashMap<>(base);
                    m.put(key, value);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /**
     * Splits at commas outside parentheses.
     *
     * @param text such as {@code 5,10,uniform(1ms,2ms)}
     * @return the parts, stripped
     */
    public static List<String> splitTopLevel(final String text) {
        final List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(text.substring(start).strip());
        for (final String p : parts) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("an empty value in '" + text + "'");
            }
        }
        return parts;
    }
}
