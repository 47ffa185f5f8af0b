package io.halfopen.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the {@link PolicyRegistry} knows of one policy: its name in the syntax, what it is, where it comes from,
 * what it limits, its parameters with their types and defaults, and how to make it from their values. Each
 * policy declares its own, next to its code, in one expression:
 * <pre>{@code
 * static final PolicyDescriptor DESCRIPTOR = PolicyDescriptor.builder("halfOpenCap")
 *         .summary("XP SP2's cap: at most maxHalfOpen attempts half-open, the rest wait in FIFO order")
 *         .source("Windows XP SP2 (Microsoft, Changes to Functionality in Windows XP SP2)")
 *         .limits("half-open attempts at once")
 *         .integer("maxHalfOpen", 10, Origin.SOURCE, "the most attempts half-open at once")
 *         .build(args -> AdmissionPolicy.halfOpenCap(args.integer("maxHalfOpen")));
 * }</pre>
 * and describes itself back with {@link #write(Object...)} from {@link AdmissionPolicy#spec()}. Immutable.
 */
public final class PolicyDescriptor {

    private final String name;
    private final String summary;
    private final String source;
    private final String limits;
    private final List<PolicyParameter> parameters;
    private final Map<String, PolicyParameter> byName;
    private final Function<PolicyArguments, AdmissionPolicy> factory;

    private PolicyDescriptor(final Builder b, final Function<PolicyArguments, AdmissionPolicy> factory) {
        this.name = b.name;
        this.summary = Objects.requireNonNull(b.summary, () -> b.name + ": summary(...) is missing");
        this.source = Objects.requireNonNull(b.source, () -> b.name + ": source(...) is missing");
        this.limits = Objects.requireNonNull(b.limits, () -> b.name + ": limits(...) is missing");
        this.parameters = List.copyOf(b.parameters);
        final Map<String, PolicyParameter> map = new LinkedHashMap<>();
        for (final PolicyParameter p : parameters) {
            map.put(p.name(), p);
        }
        this.byName = map;
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * Starts a descriptor.
     *
     * @param name the policy's name in the syntax: a letter, then letters, digits or {@code _}
     * @return a builder
     */
    public static Builder builder(final String name) {
        return new Builder(PolicySyntax.checkIdentifier(name, "policy name"));
    }

    /**
     * Returns the name in the syntax, such as {@code williamson}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns what the policy does, in one line.
     *
     * @return the summary
     */
    public String summary() {
        return summary;
    }

    /**
     * Returns where it comes from: the paper and section, the product, the operating system.
     *
     * @return the source
     */
    public String source() {
        return source;
    }

    /**
     * Returns what it limits, in a few words ("half-open attempts at once", "new destinations per second").
     *
     * @return what it limits
     */
    public String limits() {
        return limits;
    }

    /**
     * Returns the parameters, in the order positional values bind to them.
     *
     * @return the parameters
     */
    public List<PolicyParameter> parameters() {
        return parameters;
    }

    /**
     * Returns one parameter.
     *
     * @param parameter its name
     * @return the parameter, if the policy has it
     */
    public Optional<PolicyParameter> parameter(final String parameter) {
        return Optional.ofNullable(byName.get(parameter));
    }

    String parameterNames() {
        return parameters.isEmpty() ? "no parameters"
                : parameters.stream().map(PolicyParameter::name).collect(Collectors.joining(", "));
    }

    /**
     * Creates the policy from values by name; the others take their defaults.
     *
     * @param values values by parameter name, of the parameters' types ({@link Integer}, {@link Double},
     *               {@link Duration}, {@link Boolean}, {@link AdmissionPolicy})
     * @return the policy
     * @throws IllegalArgumentException if a name is unknown or a value of the wrong type
     * @throws PolicyParameterException if the policy's factory refuses a value
     */
    public AdmissionPolicy create(final Map<String, ?> values) {
        final Map<String, Object> all = new LinkedHashMap<>();
        for (final PolicyParameter p : parameters) {
            all.put(p.name(), p.defaultValue());
        }
        for (final Map.Entry<String, ?> e : values.entrySet()) {
            final PolicyParameter p = parameter(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    name + " has no parameter " + e.getKey() + "; it has " + parameterNames()));
            all.put(p.name(), ValueSyntax.checkType(p.name(), p.type(), e.getValue()));
        }
        return create(new PolicyArguments(this, all));
    }

    AdmissionPolicy create(final PolicyArguments arguments) {
        return Objects.requireNonNull(factory.apply(arguments), () -> name + "'s factory returned null");
    }

    /**
     * Writes a policy of this kind in the registry's syntax, every parameter named, in declared order:
     * {@code williamson(workingSet=5, release=1s, ...)}. What a policy's {@link AdmissionPolicy#spec()} returns.
     *
     * @param values one value per parameter, in declared order, of the parameters' types
     * @return the text; empty if a nested policy cannot describe itself
     * @throws IllegalArgumentException if the number or the types of the values do not match the parameters
     */
    public Optional<String> write(final Object... values) {
        if (values.length != parameters.size()) {
            throw new IllegalArgumentException(name + " has " + parameters.size() + " parameters ("
                    + parameterNames() + "), " + values.length + " values were given");
        }
        if (values.length == 0) {
            return Optional.of(name);
        }
        final StringBuilder out = new StringBuilder(name).append('(');
        for (int i = 0; i < values.length; i++) {
            final PolicyParameter p = parameters.get(i);
            final Optional<String> value = ValueSyntax.write(p.type(), ValueSyntax.checkType(p.name(), p.type(),
                    values[i]));
            if (value.isEmpty()) {
                return Optional.empty();
            }
            out.append(i == 0 ? "" : ", ").append(p.name()).append('=').append(value.get());
        }
        return Optional.of(out.append(')').toString());
    }

    @Override
    public String toString() {
        return name + parameters;
    }

    /** Builds a {@link PolicyDescriptor}: what it is, then its parameters in order, then its factory. */
    public static final class Builder {
        private final String name;
        private final List<PolicyParameter> parameters = new ArrayList<>();
        private String summary;
        private String source;
        private String limits;

        private Builder(final String name) {
            this.name = name;
        }

        /**
         * Says what the policy does, in one line.
         *
         * @param summary the line
         * @return this builder
         */
        public Builder summary(final String summary) {
            this.summary = Objects.requireNonNull(summary, "summary");
            return this;
        }

        /**
         * Says where the policy comes from.
         *
         * @param source the paper and section, the product, or "beyond XP" for this project's own
         * @return this builder
         */
        public Builder source(final String source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Says what the policy limits, in a few words.
         *
         * @param limits what it limits
         * @return this builder
         */
        public Builder limits(final String limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        private Builder add(final String parameter, final ParameterType type, final Object defaultValue,
                final PolicyParameter.Origin origin, final String description) {
            for (final PolicyParameter p : parameters) {
                if (p.name().equals(parameter)) {
                    throw new IllegalArgumentException(name + " declares parameter " + parameter + " twice");
                }
            }
            parameters.add(new PolicyParameter(parameter, type, defaultValue, origin, description));
            return this;
        }

        /**
         * Declares an integer parameter.
         *
         * @param parameter   its name
         * @param defaultValue its default
         * @param origin      whether the default is the source's or ours
         * @param description what it means
         * @return this builder
         */
        public Builder integer(final String parameter, final int defaultValue, final PolicyParameter.Origin origin,
                final String description) {
            return add(parameter, ParameterType.INTEGER, defaultValue, origin, description);
        }

        /**
         * Declares a decimal parameter.
         *
         * @param parameter   its name
         * @param defaultValue its default
         * @param origin      whether the default is the source's or ours
         * @param description what it means
         * @return this builder
         */
        public Builder decimal(final String parameter, final double defaultValue, final PolicyParameter.Origin origin,
                final String description) {
            return add(parameter, ParameterType.DECIMAL, defaultValue, origin, description);
        }

        /**
         * Declares a duration parameter.
         *
         * @param parameter   its name
         * @param defaultValue its default
         * @param origin      whether the default is the source's or ours
         * @param description what it means
         * @return this builder
         */
        public Builder duration(final String parameter, final Duration defaultValue,
                final PolicyParameter.Origin origin, final String description) {
            return add(parameter, ParameterType.DURATION, defaultValue, origin, description);
        }

        /**
         * Declares a boolean parameter.
         *
         * @param parameter   its name
         * @param defaultValue its default
         * @param origin      whether the default is the source's or ours
         * @param description what it means
         * @return this builder
         */
        public Builder bool(final String parameter, final boolean defaultValue, final PolicyParameter.Origin origin,
                final String description) {
            return add(parameter, ParameterType.BOOLEAN, defaultValue, origin, description);
        }

        /**
         * Declares a nested-policy parameter, such as the cap a policy works {@code within}.
         *
         * @param parameter   its name
         * @param defaultValue its default
         * @param origin      whether the default is the source's or ours
         * @param description what it means
         * @return this builder
         */
        public Builder policy(final String parameter, final AdmissionPolicy defaultValue,
                final PolicyParameter.Origin origin, final String description) {
            return add(parameter, ParameterType.POLICY, defaultValue, origin, description);
        }

        /**
         * Finishes the descriptor.
         *
         * @param factory makes the policy from its arguments, through the policy's static factory (which
         *                validates them and throws {@link PolicyParameterException} naming a bad one)
         * @return the descriptor
         */
        public PolicyDescriptor build(final Function<PolicyArguments, AdmissionPolicy> factory) {
            return new PolicyDescriptor(this, factory);
        }
    }
}
