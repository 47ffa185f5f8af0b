package io.halfopen.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the registry's syntax into a tree that remembers where everything was, so that the registry's errors
 * can point at a column. The grammar (whitespace is allowed around every token):
 * <pre>
 * policy   = name [ "(" [ argument { "," argument } ] ")" ]
 * argument = name "=" value | value                      (positional values come first)
 * value    = policy | literal                            (true and false are names, read as booleans)
 * name     = letter { letter | digit | "_" }
 * literal  = ( digit | "+" | "-" | "." ) { letter | digit | "." | "_" | "+" | "-" | "µ" }
 * </pre>
 * Composition is a nested policy as a parameter's value: {@code perDestination(k=2, within=halfOpenCap(10))}.
 * Stateless apart from one parse's position; not thread-safe (one instance per parse).
 */
final class PolicySyntax {

    /** A value in the tree: a nested policy or a literal. */
    sealed interface Value permits Call, Literal {
        /** Where the value starts, 0-based. */
        int at();
    }

    /** A policy with its arguments; {@code at} is where its name starts. */
    record Call(String name, int at, List<Argument> arguments) implements Value {
    }

    /** A number, a number with a unit; {@code at} is where it starts. */
    record Literal(String text, int at) implements Value {
    }

    /** One argument; {@code key} is null for a positional value, {@code at} is where the argument starts. */
    record Argument(String key, int at, Value value) {
    }

    private final String text;
    private int pos;

    private PolicySyntax(final String text) {
        this.text = text;
    }

    /**
     * Reads a whole text as one policy.
     *
     * @throws PolicySyntaxException at the first thing that does not fit the grammar
     */
    static Call parse(final String text) {
        final PolicySyntax syntax = new PolicySyntax(text);
        syntax.skipSpace();
        if (syntax.pos == text.length()) {
            throw syntax.error(syntax.pos, "expected a policy such as halfOpenCap(10), found nothing");
        }
        final Call call = syntax.call();
        syntax.skipSpace();
        if (syntax.pos < text.length()) {
            throw syntax.error(syntax.pos, "expected the end of the text after " + call.name() + "(...), found "
                    + syntax.found());
        }
        return call;
    }

    private Call call() {
        final int at = pos;
        final String name = name();
        skipSpace();
        final List<Argument> arguments = new ArrayList<>();
        if (peek() != '(') {
            return new Call(name, at, List.of());
        }
        pos++;
        skipSpace();
        if (peek() == ')') {
            pos++;
            return new Call(name, at, List.of());
        }
        while (true) {
            arguments.add(argument(name));
            skipSpace();
            final char c = peek();
            if (c == ',') {
                pos++;
                skipSpace();
                continue;
            }
            if (c == ')') {
                pos++;
                return new Call(name, at, List.copyOf(arguments));
            }
            throw error(pos, pos == text.length()
                    ? "expected ',' or ')' in the parameters of " + name + ", found the end of the text"
                    : "expected ',' or ')' in the parameters of " + name + ", found " + found());
        }
    }

    private Argument argument(final String policy) {
        final int at = pos;
        if (isNameStart(peek())) {
            final int nameAt = pos;
            final String name = name();
            skipSpace();
            if (peek() == '=') {
                pos++;
                skipSpace();
                return new Argument(name, at, value(policy, name));
            }
            pos = nameAt; // a positional nested policy or boolean: read it again as a value
        }
        if (peek() == '=' ) {
            throw error(pos, "expected a parameter name before '=' in the parameters of " + policy);
        }
        return new Argument(null, at, value(policy, null));
    }

    private Value value(final String policy, final String parameter) {
        final char c = peek();
        if (isNameStart(c)) {
            return call();
        }
        final int at = pos;
        while (pos < text.length() && isLiteralPart(text.charAt(pos))) {
            pos++;
        }
        if (pos == at) {
            final String of = parameter == null ? "in the parameters of " + policy : "for " + parameter;
            throw error(at, "expected a value " + of + ", found "
                    + (at == text.length() ? "the end of the text" : found()));
        }
        return new Literal(text.substring(at, pos), at);
    }

    private String name() {
        final int at = pos;
        if (!isNameStart(peek())) {
            throw error(at, "expected a name (a letter, then letters, digits or '_'), found "
                    + (at == text.length() ? "the end of the text" : found()));
        }
        while (pos < text.length() && isNamePart(text.charAt(pos))) {
            pos++;
        }
        return text.substring(at, pos);
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private String found() {
        return "'" + text.charAt(pos) + "'";
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private PolicySyntaxException error(final int at, final String reason) {
        return new PolicySyntaxException(text, at + 1, reason);
    }

    private static boolean isNameStart(final char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isNamePart(final char c) {
        return isNameStart(c) || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isLiteralPart(final char c) {
        return isNamePart(c) || c == '.' || c == '+' || c == '-' || c == 'µ';
    }

    /** Checks that a declared name (a policy's or a parameter's) can be written in the syntax. */
    static String checkIdentifier(final String name, final String what) {
        if (name == null || name.isEmpty() || !isNameStart(name.charAt(0))) {
            throw new IllegalArgumentException(what + " must start with a letter, was '" + name + "'");
        }
        for (int i = 1; i < name.length(); i++) {
            if (!isNamePart(name.charAt(i))) {
                throw new IllegalArgumentException(what + " may hold only letters, digits and '_', was '" + name
                        + "'");
            }
        }
        return name;
    }
}
