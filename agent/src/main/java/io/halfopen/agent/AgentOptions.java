package io.halfopen.agent;

import io.halfopen.limiter.LimitEventMode;
import io.halfopen.profile.WindowsProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The agent's argument string, parsed and checked: {@code key=value} pairs separated by commas, as in
 * {@code -javaagent:halfopen-agent.jar=profile=XP_PRO_SP2,halfOpenTimeout=5s}. Every key and every value is
 * checked; {@link #parse} never throws, it collects one message per bad key or value, each naming what was given
 * and what would have been accepted. Immutable.
 */
final class AgentOptions {

    /** Where the agent's messages (event 4226 among them) go. */
    enum LogTarget {
        /** {@code System.Logger}, so the lines land wherever the application logs (java.util.logging by default). */
        SYSTEM_LOGGER,
        /** Standard error, one line each. */
        STDERR,
        /** A file, appended to, one line each. */
        FILE
    }

    static final String KEYS = "profile, maxHalfOpen, halfOpenTimeout, queueTimeout, exemptLoopback, limitEvents,"
            + " policy, log, sessions, strict";

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    final WindowsProfile profile;          // never null: XP_PRO_SP2 unless given
    final boolean profileGiven;
    final Integer maxHalfOpen;             // null: the profile's
    final Duration halfOpenTimeout;        // null: XP's 21 s
    final Duration queueTimeout;           // null: none (XP)
    final boolean exemptLoopback;
    final LimitEventMode limitEvents;
    final String policy;                   // null: the profile's cap
    final LogTarget log;
    final Path logFile;                    // for LogTarget.FILE
    final Integer sessions;                // null: the inbound session limit is off
    final boolean sessionsFromProfile;     // sessions=on: the profile's own limit
    final boolean strict;
    final List<String> errors;
    final String raw;

    private AgentOptions(final Builder b, final String raw) {
        this.profile = b.profile;
        this.profileGiven = b.profileGiven;
        this.maxHalfOpen = b.maxHalfOpen;
        this.halfOpenTimeout = b.halfOpenTimeout;
        this.queueTimeout = b.queueTimeout;
        this.exemptLoopback = b.exemptLoopback;
        this.limitEvents = b.limitEvents;
        this.policy = b.policy;
        this.log = b.log;
        this.logFile = b.logFile;
        this.sessions = b.sessions;
        this.sessionsFromProfile = b.sessionsFromProfile;
        this.strict = b.strict;
        this.errors = List.copyOf(b.errors);
        this.raw = raw;
    }

    /**
     * Parses an agent argument string ({@code null} or empty: every default, XP SP2).
     *
     * @param args what follows {@code =} after the jar in {@code -javaagent:}
     * @return the options, with {@link #errors} listing every bad part
     */
    static AgentOptions parse(final String args) {
        final Builder b = new Builder();
        final String raw = args == null ? "" : args.trim();
        if (!raw.isEmpty()) {
            final Map<String, String> seen = new LinkedHashMap<>();
            for (final String part : splitOptions(raw)) {
                final String item = part.trim();
                final int eq = item.indexOf('=');
                if (item.isEmpty()) {
                    b.errors.add("empty option in \"" + raw + "\" (options are key=value, separated by commas)");
                    continue;
                }
                if (eq <= 0) {
                    b.errors.add("option \"" + item + "\" has no value (write key=value; keys: " + KEYS + ")");
                    continue;
                }
                final String key = item.substring(0, eq).trim();
                final String value = item.substring(eq + 1).trim();
                if (seen.put(key, value) != null) {
                    b.errors.add("option " + key + " given twice");
                    continue;
                }
                b.set(key, value);
            }
        }
        b.crossCheck();
        return new AgentOptions(b, raw);
    }

    /** Splits at the commas outside parentheses: a registry policy's own commas stay in its value. */
    static List<String> splitOptions(final String raw) {
        final List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < raw.length(); i++) {
            final char c = raw.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(raw.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(raw.substring(from));
        return parts;
    }

    /** The inbound session limit to apply, if {@code sessions} was given. */
    Optional<Integer> sessionLimit() {
        return Optional.ofNullable(sessions);
    }

    /** The half-open limit in force: {@code maxHalfOpen} if given, else the profile's (unlimited: MAX_VALUE). */
    int effectiveMaxHalfOpen() {
        if (maxHalfOpen != null) {
            return maxHalfOpen;
        }
        if (policy != null && policy.equals(PolicyNames.UNLIMITED)) {
            return Integer.MAX_VALUE;
        }
        return profile.limitsHalfOpen() ? profile.maxHalfOpen() : Integer.MAX_VALUE;
    }

    boolean valid() {
        return errors.isEmpty();
    }

    /** One line that says what the agent runs with, for the start-up message. */
    String describe() {
        final int max = effectiveMaxHalfOpen();
        final StringBuilder sb = new StringBuilder();
        sb.append("profile ").append(profile.name()).append(" (").append(profile.displayName()).append(")");
        if (policy != null && !PolicyNames.isAgentName(policy)) {
            sb.append(", maxHalfOpen as the policy says");
        } else {
            sb.append(", maxHalfOpen ").append(max == Integer.MAX_VALUE ? "unlimited" : Integer.toString(max));
        }
        sb.append(", halfOpenTimeout ").append(format(halfOpenTimeout == null ? Duration.ofSeconds(21) : halfOpenTimeout));
        sb.append(", queueTimeout ").append(queueTimeout == null ? "none" : format(queueTimeout));
        sb.append(", exemptLoopback ").append(exemptLoopback);
        sb.append(", limitEvents ").append(limitEvents);
        if (policy != null) {
            sb.append(", policy ").append(policy);
        }
        sb.append(", sessions ").append(sessions == null ? "off" : sessions.toString());
        return sb.toString();
    }

    static String format(final Duration d) {
        final long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    /** Mutable state while parsing. */
    private static final class Builder {
        WindowsProfile profile = WindowsProfile.XP_PRO_SP2;
        boolean profileGiven;
        Integer maxHalfOpen;
        Duration halfOpenTimeout;
        Duration queueTimeout;
        boolean exemptLoopback;
        LimitEventMode limitEvents = LimitEventMode.ONCE_PER_EPISODE;
        String policy;
        LogTarget log = LogTarget.SYSTEM_LOGGER;
        Path logFile;
        String sessionsRaw;
        Integer sessions;
        boolean sessionsFromProfile;
        boolean strict;
        final List<String> errors = new ArrayList<>();

        void set(final String key, final String value) {
            switch (key) {
                case "profile" -> {
                    try {
                        profile = WindowsProfile.valueOf(value.toUpperCase(Locale.ROOT));
                        profileGiven = true;
                    } catch (final IllegalArgumentException e) {
                        errors.add("profile=" + value + " is not a Windows profile; one of "
                                + Arrays.stream(WindowsProfile.values()).map(Enum::name)
                                        .collect(Collectors.joining(", ")));
                    }
                }
                case "maxHalfOpen" -> maxHalfOpen = positiveInt(key, value);
                case "halfOpenTimeout" -> halfOpenTimeout = duration(key, value);
                case "queueTimeout" -> {
                    if (!value.equalsIgnoreCase("none")) {
                        queueTimeout = duration(key, value);
                    }
                }
                case "exemptLoopback" -> exemptLoopback = bool(key, value);
                case "strict" -> strict = bool(key, value);
                case "limitEvents" -> {
                    final String mode = value.toUpperCase(Locale.ROOT).replace('-', '_');
                    try {
                        limitEvents = LimitEventMode.valueOf(mode);
                    } catch (final IllegalArgumentException e) {
                        errors.add("limitEvents=" + value + " is not one of "
                                + Arrays.stream(LimitEventMode.values()).map(Enum::name)
                                        .collect(Collectors.joining(", ")));
                    }
                }
                case "policy" -> {
                    final String problem = PolicyNames.check(value);
                    if (problem == null) {
                        policy = value;
                    } else {
                        errors.add(problem);
                    }
                }
                case "log" -> {
                    if (value.equalsIgnoreCase("system")) {
                        log = LogTarget.SYSTEM_LOGGER;
                    } else if (value.equalsIgnoreCase("stderr")) {
                        log = LogTarget.STDERR;
                    } else if (value.startsWith("file:") && value.length() > "file:".length()) {
                        log = LogTarget.FILE;
                        logFile = Path.of(value.substring("file:".length()));
                    } else {
                        errors.add("log=" + value + " is not a log target: system (System.Logger, the default),"
                                + " stderr, or file:PATH");
                    }
                }
                case "sessions" -> sessionsRaw = value;
                default -> errors.add("unknown option \"" + key + "\" (keys: " + KEYS + ")");
            }
        }

        void crossCheck() {
            if (sessionsRaw != null) {
                if (sessionsRaw.equalsIgnoreCase("off")) {
                    sessions = null;
                } else if (sessionsRaw.equalsIgnoreCase("on") || sessionsRaw.equalsIgnoreCase("profile")) {
                    final int limit = profile.maxInboundSessions();
                    if (limit == WindowsProfile.UNLIMITED) {
                        errors.add("sessions=" + sessionsRaw + ": profile " + profile.name()
                                + " has no inbound session limit; give a number instead (sessions=10)");
                    } else {
                        sessions = limit;
                        sessionsFromProfile = true;
                    }
                } else {
                    sessions = positiveInt("sessions", sessionsRaw, " (or on: the profile's limit, or off)");
                }
            }
            if (policy != null && maxHalfOpen != null && policy.equals(PolicyNames.UNLIMITED)) {
                errors.add("policy=unlimited and maxHalfOpen=" + maxHalfOpen + " contradict each other: give one");
            } else if (policy != null && maxHalfOpen != null && !PolicyNames.isAgentName(policy)) {
                errors.add("policy=" + policy + " and maxHalfOpen=" + maxHalfOpen + ": a registry policy has its"
                        + " own cap; give it inside the policy (within=halfOpenCap(maxHalfOpen=" + maxHalfOpen
                        + ")), not both");
            }
        }

        private Integer positiveInt(final String key, final String value) {
            return positiveInt(key, value, "");
        }

        private Integer positiveInt(final String key, final String value, final String alternatives) {
            try {
                final int n = Integer.parseInt(value);
                if (n >= 1) {
                    return n;
                }
            } catch (final NumberFormatException e) {
                // reported below
            }
            errors.add(key + "=" + value + " must be a whole number of at least 1" + alternatives);
            return null;
        }

        private boolean bool(final String key, final String value) {
            if (value.equalsIgnoreCase("true")) {
                return true;
            }
            if (value.equalsIgnoreCase("false")) {
                return false;
            }
            errors.add(key + "=" + value + " must be true or false");
            return false;
        }

        private Duration duration(final String key, final String value) {
            final Matcher m = DURATION.matcher(value);
            Duration d = null;
            try {
                if (m.matches()) {
                    final long n = Long.parseLong(m.group(1));
                    d = switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    };
                } else if (value.startsWith("PT") || value.startsWith("pt")) {
                    d = Duration.parse(value);
                }
            } catch (final NumberFormatException | ArithmeticException | DateTimeParseException e) {
                d = null;
            }
            if (d == null || d.isNegative() || d.isZero()) {
                errors.add(key + "=" + value + " is not a positive duration (write 21s, 500ms, 2m, 1h or PT21S)");
                return null;
            }
            return d;
        }
    }
}
