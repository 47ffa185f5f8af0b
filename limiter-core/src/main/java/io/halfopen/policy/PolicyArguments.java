package io.halfopen.policy;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The values of a policy's parameters, one for each parameter its {@link PolicyDescriptor} declares (the
 * default where the text gave none), already of the parameter's type: what a descriptor's factory reads to
 * call the policy's static factory. Immutable.
 */
public final class PolicyArguments {

    private final PolicyDescriptor descriptor;
    private final Map<String, Object> values;

    PolicyArguments(final PolicyDescriptor descriptor, final Map<String, Object> values) {
        this.descriptor = descriptor;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    private Object value(final String name, final ParameterType type) {
        final PolicyParameter parameter = descriptor.parameter(name).orElseThrow(() -> new IllegalArgumentException(
                descriptor.name() + " has no parameter " + name + "; it has " + descriptor.parameterNames()));
        if (parameter.type() != type) {
            throw new IllegalArgumentException(descriptor.name() + "'s parameter " + name + " is " + parameter.type()
                    + ", not " + type);
        }
        return Objects.requireNonNull(values.get(name), name);
    }

    /**
     * Returns an {@link ParameterType#INTEGER} parameter's value.
     *
     * @param name the parameter
     * @return its value
     * @throws IllegalArgumentException if the descriptor has no such parameter of that type
     */
    public int integer(final String name) {
        return (Integer) value(name, ParameterType.INTEGER);
    }

    /**
     * Returns a {@link ParameterType#DECIMAL} parameter's value.
     *
     * @param name the parameter
     * @return its value
     * @throws IllegalArgumentException if the descriptor has no such parameter of that type
     */
    public double decimal(final String name) {
        return (Double) value(name, ParameterType.DECIMAL);
    }

    /**
     * Returns a {@link ParameterType#DURATION} parameter's value.
     *
     * @param name the parameter
     * @return its value
     * @throws IllegalArgumentException if the descriptor has no such parameter of that type
     */
    public Duration duration(final String name) {
        return (Duration) value(name, ParameterType.DURATION);
    }

    /**
     * Returns a {@link ParameterType#BOOLEAN} parameter's value.
     *
     * @param name the parameter
     * @return its value
     * @throws IllegalArgumentException if the descriptor has no such parameter of that type
     */
    public boolean bool(final String name) {
        return (Boolean) value(name, ParameterType.BOOLEAN);
    }

    /**
     * Returns a {@link ParameterType#POLICY} parameter's value.
     *
     * @param name the parameter
     * @return its value
     * @throws IllegalArgumentException if the descriptor has no such parameter of that type
     */
    public AdmissionPolicy policy(final String name) {
        return (AdmissionPolicy) value(name, ParameterType.POLICY);
    }

    @Override
    public String toString() {
        return descriptor.name() + values;
    }
}
