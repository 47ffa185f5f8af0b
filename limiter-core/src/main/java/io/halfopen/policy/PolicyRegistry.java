package io.halfopen.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The policies by name, with their parameters, so that a builder, the simulator, the CLI and a configuration
 * file can name one in text: {@code williamson(workingSet=5, release=1s)}.
 *
 * <h2>The syntax</h2>
 * A policy is its name, optionally followed by parameters in parentheses, each {@code name=value}; values are
 * integers ({@code 5}, {@code 1_000}), decimals ({@code 0.9}), durations with a unit ({@code 1s},
 * {@code 250ms}, {@code 1.5m}; units {@code ns us ms s m h d}), booleans ({@code true}, {@code false}) and
 * nested policies. A parameter left out takes its default. Values may also be given by position, before any
 * named one, in the order the policy declares its parameters: {@code halfOpenCap(10)}. Whitespace is ignored
 * around every token.
 *
 * <p>Composition is a nested policy as a value: a policy that adds a rule on top of a cap takes the cap as its
 * {@code within} parameter, {@code perDestination(k=2, within=halfOpenCap(10))}, the text form of
 * {@code AdmissionPolicy.perDestination(2).within(AdmissionPolicy.halfOpenCap(10))}.
 *
 * <p>Every registered policy writes itself back in this syntax ({@link AdmissionPolicy#spec()}), every
 * parameter named, and reading that text gives an equal policy: {@link #describe(AdmissionPolicy)}.
 *
 * <h2>Errors</h2>
 * A text that does not parse, names an unknown policy or parameter, gives a value of the wrong form or one
 * the policy refuses fails with a {@link PolicySyntaxException} that says what is wrong, what was expected
 * (the known policies, the policy's parameters, the form of a value) and the column.
 *
 * <p>Immutable and thread-safe. {@link #builtIn()} lists the project's policies; {@link #with} adds your own.
 */
public final class PolicyRegistry {

    private final Map<String, PolicyDescriptor> descriptors;

    private PolicyRegistry(final Map<String, PolicyDescriptor> descriptors) {
        this.descriptors = descriptors;
    }

    /**
     * Returns a registry that knows no policy, to build one of your own with {@link #with}.
     *
     * @return the empty registry
     */
    public static PolicyRegistry empty() {
        return new PolicyRegistry(Map.of());
    }

    /**
     * Returns the registry of the policies built into halfopen: XP's cap, {@code unlimited}, and the
     * throttles and detectors of {@code io.halfopen.policy}, in a fixed order.
     *
     * @return the built-in registry
     */
    public static PolicyRegistry builtIn() {
        return BuiltInPolicies.REGISTRY;
    }

    /**
     * Returns a registry that also knows {@code descriptor}.
     *
     * @param descriptor the policy to add
     * @return a new registry, this one's policies first
     * @throws IllegalArgumentException if a policy of that name is already registered
     */
    public PolicyRegistry with(final PolicyDescriptor descriptor) {
        Objects.requireNonNull(descriptor, "descriptor");
        if (descriptors.containsKey(descriptor.name())) {
            throw new IllegalArgumentException("a policy named " + descriptor.name() + " is already registered");
        }
        final Map<String, PolicyDescriptor> copy = new LinkedHashMap<>(descriptors);
        copy.put(descriptor.name(), descriptor);
        return new PolicyRegistry(java.util.Collections.unmodifiableMap(copy));
    }

    /**
     * Lists the policies, in the order they were registered.
     *
     * @return the descriptors
     */
    public List<PolicyDescriptor> descriptors() {
        return List.copyOf(descriptors.values());
    }

    /**
     * Looks a policy up by name.
     *
     * @param name its name in the syntax
     * @return its descriptor, if registered
     */
    public Optional<PolicyDescriptor> descriptor(final String name) {
        return Optional.ofNullable(descriptors.get(name));
    }

    /**
     * Reads a policy from text, such as {@code williamson(workingSet=5, release=1s)}.
     *
     * @param text the policy in the syntax above
     * @return the policy
     * @throws PolicySyntaxException if the text is wrong, saying what, what was expected, and where
     */
    public AdmissionPolicy parse(final String text) {
        Objects.requireNonNull(text, "text");
        return bind(text, PolicySyntax.parse(text));
    }

    /**
     * Writes a policy in the syntax: the text {@link #parse} reads back into an equal policy.
     *
     * @param policy a policy of this registry
     * @return its text
     * @throws IllegalArgumentException if the policy (or a policy nested in it) cannot describe itself
     */
    public String describe(final AdmissionPolicy policy) {
        return policy.spec().orElseThrow(() -> new IllegalArgumentException("policy " + policy.name()
                + " cannot write itself in the registry's syntax (it, or a policy nested in it, is not registered)"));
    }

    private AdmissionPolicy bind(final String text, final PolicySyntax.Call call) {
        final PolicyDescriptor descriptor = descriptors.get(call.name());
        if (descriptor == null) {
            throw new PolicySyntaxException(text, call.at() + 1, "unknown policy '" + call.name() + "'"
                    + suggestion(call.name(), descriptors.keySet()) + "; known: " + String.join(", ", descriptors.keySet()));
        }
        final Map<String, Object> values = new LinkedHashMap<>();
        final Map<String, Integer> columns = new LinkedHashMap<>();
        for (final PolicyParameter p : descriptor.parameters()) {
            values.put(p.name(), p.defaultValue());
        }
        int positional = 0;
        boolean named = false;
        for (final PolicySyntax.Argument argument : call.arguments()) {
            final PolicyParameter parameter;
            if (argument.key() == null) {
                if (named) {
                    throw new PolicySyntaxException(text, argument.at() + 1, "a value without a name after a named"
                            + " one in the parameters of " + descriptor.name() + ": expected name=value ("
                            + descriptor.parameterNames() + ")");
                }
                if (positional >= descriptor.parameters().size()) {
                    throw new PolicySyntaxException(text, argument.at() + 1, "too many values for " + descriptor.name()
                            + ": it takes " + descriptor.parameters().size() + " (" + descriptor.parameterNames() + ")");
                }
                parameter = descriptor.parameters().get(positional++);
            } else {
                named = true;
                parameter = descriptor.parameter(argument.key()).orElseThrow(() -> new PolicySyntaxException(text,
                        argument.at() + 1, "unknown parameter '" + argument.key() + "' for " + descriptor.name()
                                + suggestion(argument.key(), descriptor.parameters().stream()
                                        .map(PolicyParameter::name).collect(Collectors.toList()))
                                + "; " + descriptor.name() + " takes " + descriptor.parameterNames()));
            }
            if (columns.containsKey(parameter.name())) {
                throw new PolicySyntaxException(text, argument.at() + 1, "parameter " + parameter.name() + " of "
                        + descriptor.name() + " is given twice");
            }
            columns.put(parameter.name(), argument.value().at() + 1);
            values.put(parameter.name(), value(text, descriptor, parameter, argument.value()));
        }
        try {
            return descriptor.create(new PolicyArguments(descriptor, values));
        } catch (final PolicyParameterException e) {
            final Integer column = columns.get(e.parameter());
            throw new PolicySyntaxException(text, column != null ? column : call.at() + 1,
                    descriptor.name() + ": " + e.getMessage());
        } catch (final IllegalArgumentException e) {
            if (e instanceof PolicySyntaxException) {
                throw e;
            }
            throw new PolicySyntaxException(text, call.at() + 1, descriptor.name() + ": " + e.getMessage());
        }
    }

    private Object value(final String text, final PolicyDescriptor descriptor, final PolicyParameter parameter,
            final PolicySyntax.Value value) {
        final String where = " for " + parameter.name() + " of " + descriptor.name();
        if (parameter.type() == ParameterType.POLICY) {
            if (value instanceof PolicySyntax.Call nested) {
                return bind(text, nested);
            }
            throw new PolicySyntaxException(text, value.at() + 1, "expected " + parameter.type().expected() + where
                    + ", found '" + ((PolicySyntax.Literal) value).text() + "'");
        }
        if (parameter.type() == ParameterType.BOOLEAN) {
            if (value instanceof PolicySyntax.Call word && word.arguments().isEmpty()
                    && (word.name().equals("true") || word.name().equals("false"))) {
                return Boolean.valueOf(word.name());
            }
            throw new PolicySyntaxException(text, value.at() + 1, "expected " + parameter.type().expected() + where
                    + ", found " + found(value));
        }
        if (value instanceof PolicySyntax.Call word) {
            throw new PolicySyntaxException(text, value.at() + 1, "expected " + parameter.type().expected() + where
                    + ", found " + found(word));
        }
        try {
            return ValueSyntax.readLiteral(parameter.type(), ((PolicySyntax.Literal) value).text());
        } catch (final IllegalArgumentException e) {
            throw new PolicySyntaxException(text, value.at() + 1, e.getMessage() + where);
        }
    }

    private static String found(final PolicySyntax.Value value) {
        if (value instanceof PolicySyntax.Literal literal) {
            return "'" + literal.text() + "'";
        }
        final PolicySyntax.Call call = (PolicySyntax.Call) value;
        return "'" + call.name() + (call.arguments().isEmpty() ? "" : "(...)") + "'";
    }

    /** ", did you mean 'x'?" for the known name nearest to a misspelt one (at most two edits away). */
    private static String suggestion(final String name, final Iterable<String> known) {
        String best = null;
        int bestDistance = 3;
        for (final String candidate : known) {
            final int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(final String a, final String b) {
        final int[] previous = new int[b.length() + 1];
        final int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            System.arraycopy(current, 0, previous, 0, current.length);
        }
        return previous[b.length()];
    }

    @Override
    public String toString() {
        final List<String> names = new ArrayList<>(descriptors.keySet());
        return "PolicyRegistry" + names;
    }
}
