package io.halfopen.agent;

import io.halfopen.agent.bootstrap.HalfOpenHooks;
import io.halfopen.agent.jdk.JdkInternals;
import io.halfopen.agent.limit.AgentHooks;
import io.halfopen.agent.log.AgentLog;
import io.halfopen.agent.weave.ConnectPath;
import io.halfopen.agent.weave.Weaver;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenLimiterBuilder;
import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.session.InboundSessionLimiter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Starts the agent: checks the options, builds the one host-wide limiter, resolves the JDK internals, installs
 * the hooks, weaves the JDK, registers the MBean, and logs what it limits. A bad option or an unusable JDK never
 * stops the application: the agent logs why it did nothing and the JVM runs unthrottled; with
 * {@code strict=true} the JVM exits instead (an attach fails instead).
 */
final class AgentStartup {

    /** The first line of the start-up report, for tests and for people grepping logs. */
    static final String BANNER = "halfopen agent:";

    private AgentStartup() {
    }

    static void start(final String args, final Instrumentation inst, final boolean attached) {
        final AgentOptions options = AgentOptions.parse(args);
        routeLog(options);
        if (!options.valid()) {
            refuse(options, "bad option" + (options.errors.size() == 1 ? "" : "s") + ": "
                    + String.join("; ", options.errors), attached);
            return;
        }
        try {
            openJavaBase(inst);
        } catch (final RuntimeException e) {
            refuse(options, "cannot open java.base's internals to the agent: " + e, attached);
            return;
        }
        final JdkInternals internals = JdkInternals.resolve();
        final Map<ConnectPath, String> limited = new EnumMap<>(ConnectPath.class);
        final Map<ConnectPath, String> counted = new EnumMap<>(ConnectPath.class);
        final Map<ConnectPath, String> off = new EnumMap<>(ConnectPath.class);
        if (internals.net == null) {
            refuse(options, "this JDK's sun.nio.ch.Net is not the one the agent knows (" + internals.problems + ")",
                    attached);
            return;
        }
        for (final ConnectPath path : ConnectPath.values()) {
            final String missing = switch (path) {
                case SOCKET -> internals.sockets == null ? internals.problems : null;
                case CHANNEL_BLOCKING, CHANNEL_ADAPTOR, CHANNEL_NON_BLOCKING ->
                        internals.channels == null ? internals.problems : null;
                case ASYNC -> null;
            };
            if (missing == null) {
                limited.put(path, path.description());
            } else {
                off.put(path, path.description() + ": " + missing);
            }
        }

        final HalfOpenLimiter limiter = buildLimiter(options, "agent");
        final HalfOpenLimiter counting = HalfOpenLimiter.builder().name("agent-counted")
                .policy(AdmissionPolicy.unlimited()).limitEvents(io.halfopen.limiter.LimitEventMode.NEVER).build();
        final InboundSessionLimiter sessions = options.sessionLimit()
                .map(n -> (options.sessionsFromProfile ? InboundSessionLimiter.builder().profile(options.profile)
                        : InboundSessionLimiter.builder().maxSessions(n)).autoDisconnectMinutes(-1).build())
                .orElse(null);
        final AgentHooks hooks = new AgentHooks(
                pick(ConnectPath.SOCKET, limited, counted, limiter, counting),
                pick(ConnectPath.CHANNEL_NON_BLOCKING, limited, counted, limiter, counting),
                pick(ConnectPath.ASYNC, limited, counted, limiter, counting),
                sessions, internals);
        if (!HalfOpenHooks.install(hooks)) {
            refuse(options, "an agent is already installed in this JVM; this one does nothing", attached);
            return;
        }
        final Weaver.Result result = new Weaver().install(inst, sessions != null);
        for (final ConnectPath path : ConnectPath.values()) {
            final Throwable failed = result.errors().get(path.jdkClass());
            if (failed != null) {
                limited.remove(path);
                counted.remove(path);
                off.put(path, path.description() + ": weaving failed: " + failed);
            }
        }
        final String mbean = AgentMBean.register(limiter, counting, sessions, hooks, limited.keySet(),
                counted.keySet(), options);
        report(options, limited, counted, off, result, sessions, mbean, attached);
    }

    private static HalfOpenLimiter pick(final ConnectPath path, final Map<ConnectPath, String> limited,
            final Map<ConnectPath, String> counted, final HalfOpenLimiter limiter, final HalfOpenLimiter counting) {
        return limited.containsKey(path) ? limiter : counting;
    }

    static HalfOpenLimiter buildLimiter(final AgentOptions options, final String name) {
        final HalfOpenLimiterBuilder b = HalfOpenLimiter.builder().name(name);
        if (options.policy != null) {
            b.policy(PolicyNames.resolve(options.policy, options.effectiveMaxHalfOpen()));
        } else if (options.maxHalfOpen != null) {
            b.maxHalfOpen(options.maxHalfOpen);
        } else {
            b.profile(options.profile);
        }
        if (options.halfOpenTimeout != null) {
            b.halfOpenTimeout(options.halfOpenTimeout);
        }
        if (options.queueTimeout != null) {
            b.queueTimeout(options.queueTimeout);
        }
        return b.exemptLoopback(options.exemptLoopback).limitEvents(options.limitEvents).build();
    }

    /** Lets the agent's module (the application class loader's unnamed module) reach the JDK internals it uses,
     * and java.base read the bootstrap loader's unnamed module, where the bridge classes are. */
    private static void openJavaBase(final Instrumentation inst) {
        final Module javaBase = Object.class.getModule();
        final Module agent = AgentStartup.class.getModule();
        final Module bridge = HalfOpenHooks.class.getModule();
        inst.redefineModule(javaBase, Set.of(bridge), Map.of(),
                Map.of("sun.nio.ch", Set.of(agent), "java.net", Set.of(agent),
                        "java.nio.channels.spi", Set.of(agent)),
                Set.of(), Map.of());
    }

    private static void routeLog(final AgentOptions options) {
        try {
            switch (options.log) {
                case STDERR -> AgentLog.toStderr();
                case FILE -> AgentLog.toFile(options.logFile);
                default -> AgentLog.toSystemLogger();
            }
        } catch (final IOException e) {
            AgentLog.toSystemLogger();
            AgentLog.log(Level.WARNING, BANNER + " cannot write its log to " + options.logFile + " (" + e
                    + "); logging through System.Logger instead");
        }
    }

    private static void refuse(final AgentOptions options, final String why, final boolean attached) {
        final String message = BANNER + " " + why + ". The agent does nothing: this JVM's connects are not"
                + " limited" + (options.strict ? "" : " (strict=true makes this an error that stops the JVM)");
        if (options.strict) {
            System.err.println(BANNER + " " + why + "; strict=true, so the JVM stops");
            AgentLog.log(Level.ERROR, message);
            AgentLog.drainToStderr();
            if (attached) {
                throw new IllegalArgumentException(why);
            }
            System.exit(1);
        }
        AgentLog.log(Level.ERROR, message);
    }

    private static void report(final AgentOptions options, final Map<ConnectPath, String> limited,
            final Map<ConnectPath, String> counted, final Map<ConnectPath, String> off, final Weaver.Result result,
            final InboundSessionLimiter sessions, final String mbean, final boolean attached) {
        AgentLog.log(Level.INFO, BANNER + " " + (attached ? "attached; " : "") + "outbound TCP connects of this JVM"
                + " go through one limiter, as on " + options.profile.displayName() + ": " + options.describe());
        AgentLog.log(Level.INFO, BANNER + " limited paths: " + ids(limited));
        AgentLog.log(Level.INFO, BANNER + " counted-only paths: " + ids(counted));
        if (!off.isEmpty()) {
            AgentLog.log(Level.WARNING, BANNER + " paths not instrumented: " + String.join("; ", off.values()));
        }
        for (final Map.Entry<ConnectPath, String> e : limited.entrySet()) {
            AgentLog.log(Level.INFO, BANNER + "   limited: " + e.getKey().id() + " = " + e.getValue());
        }
        AgentLog.log(Level.INFO, BANNER + " not seen (they bypass the JDK's sockets): connects from native code"
                + " (Netty's Epoll, KQueue and io_uring transports, JNI libraries), and sockets of a custom"
                + " SocketImplFactory. Inbound connections and UDP are never delayed.");
        if (sessions != null) {
            AgentLog.log(Level.INFO, BANNER + " inbound session limit: " + sessions.maxSessions()
                    + " remote computers on accepted ServerSocket and ServerSocketChannel connections; one more is"
                    + " closed at once (system error 71)");
        }
        final List<String> other = new ArrayList<>();
        for (final Map.Entry<String, Throwable> e : result.errors().entrySet()) {
            other.add(e.getKey() + ": " + e.getValue());
        }
        if (!other.isEmpty()) {
            AgentLog.log(Level.WARNING, BANNER + " weaving problems: " + String.join("; ", other));
        }
        AgentLog.log(Level.INFO, BANNER + " stats in JMX as " + mbean + "; event 4226 and refusals in this log and"
                + " as JFR events io.halfopen.LimitReached and io.halfopen.SessionRefused");
    }

    private static String ids(final Map<ConnectPath, String> paths) {
        return paths.isEmpty() ? "none" : paths.keySet().stream().map(ConnectPath::id).collect(Collectors.joining(", "));
    }
}
