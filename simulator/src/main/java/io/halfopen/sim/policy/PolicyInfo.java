package io.halfopen.sim.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link PolicyLookup} says about one policy: its name, its parameters with their defaults, and a line
 * on what it is.
 *
 * @param name        the name in spec syntax, such as {@code halfOpenCap}
 * @param parameters  each parameter's name and default, in order
 * @param description one line
 */
public record PolicyInfo(String name, Map<String, String> parameters, String description) {

    /**
     * Copies the map.
     *
     * @param name see the record's description
     * @param parameters see the record's description
     * @param description see the record's description
     */
    public PolicyInfo {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters)); // keeps their order
    }
}
