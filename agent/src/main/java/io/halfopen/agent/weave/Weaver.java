package io.halfopen.agent.weave;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import java.io.FileDescriptor;
import java.lang.instrument.Instrumentation;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves the agent's advice into the JDK's connect paths, with Byte Buddy, by retransformation only: advice is
 * inlined into existing methods and calls inside them are replaced, but no field or method is added and no
 * class changes shape, so the same weaving works at start-up ({@code -javaagent}) and on a running JVM (attach),
 * where classes are already loaded.
 *
 * <p>The JDK classes are loaded (not initialised) before the weaving is installed, so that every one is woven
 * during {@link #install}, by retransformation, and any failure is known then, for the start-up report.
 */
public final class Weaver {

    private static final String HOOKS = "io.halfopen.agent.bootstrap.HalfOpenHooks";
    private static final String[] JDK_CLASSES = {
        "sun.nio.ch.NioSocketImpl", "sun.nio.ch.SocketChannelImpl", "sun.nio.ch.SelectionKeyImpl",
        "sun.nio.ch.UnixAsynchronousSocketChannelImpl", "sun.nio.ch.ServerSocketChannelImpl",
    };

    private final Map<String, Throwable> errors = new ConcurrentHashMap<>();
    private final Set<String> woven = ConcurrentHashMap.newKeySet();

    /** Creates a weaver; {@link #install} does the work. */
    public Weaver() {
    }

    /**
     * The outcome of {@link #install}: which JDK classes were woven, which failed and why.
     *
     * @param woven  the binary names of the classes woven
     * @param errors the classes that failed, by name, with why
     */
    public record Result(Set<String> woven, Map<String, Throwable> errors) {
    }

    /**
     * Weaves every path; the hooks must be installed first.
     *
     * @param inst      the instrumentation
     * @param sessions  whether to weave the server sockets' accept too (the inbound session limit)
     * @return what was woven
     */
    public Result install(final Instrumentation inst, final boolean sessions) {
        final ClassLoader agentLoader = Weaver.class.getClassLoader();
        final ClassFileLocator advice = ClassFileLocator.ForClassLoader.of(agentLoader);
        final TypeDescription hooks = TypePool.Default.of(advice).describe(HOOKS).resolve();
        final MethodDescription.InDefinedShape netConnect = method(hooks, "netConnect");
        final MethodDescription.InDefinedShape pollConnectNow = method(hooks, "pollConnectNow");
        final MethodDescription.InDefinedShape netAccept = method(hooks, "netAccept");

        for (final String name : JDK_CLASSES) {
            try {
                Class.forName(name, false, null);
            } catch (final ClassNotFoundException e) {
                errors.put(name, e);
            }
        }

        final AsmVisitorWrapper connectCall = MemberSubstitution.relaxed()
                .method(named("connect").and(isStatic()).and(isDeclaredBy(named("sun.nio.ch.Net")))
                        .and(takesArguments(ProtocolFamily.class, FileDescriptor.class, SocketAddress.class)))
                .replaceWithChain(MemberSubstitution.Substitution.Chain.Step.ForDelegation.to(netConnect))
                .on(named("connect").or(named("blockingConnect")));
        final AsmVisitorWrapper pollCall = MemberSubstitution.relaxed()
                .method(named("pollConnectNow").and(isStatic()).and(isDeclaredBy(named("sun.nio.ch.Net"))))
                .replaceWithChain(MemberSubstitution.Substitution.Chain.Step.ForDelegation.to(pollConnectNow))
                .on(named("connect").or(named("finishConnect")).or(named("finishTimedConnect")));
        final MemberSubstitution.WithoutSpecification.ForMatchedMethod acceptCall = MemberSubstitution.relaxed()
                .method(named("accept").and(isStatic()).and(isDeclaredBy(named("sun.nio.ch.Net")))
                        .and(takesArguments(FileDescriptor.class, FileDescriptor.class, InetSocketAddress[].class)));

        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new Recorder())
                .ignore(none())
                .type(named("sun.nio.ch.NioSocketImpl"))
                .transform((b, type, loader, module, domain) -> {
                    DynamicType.Builder<?> out = b
                            .visit(Advice.to(SocketConnectAdvice.class, advice)
                                    .on(named("connect").and(takesArguments(SocketAddress.class, int.class))))
                            .visit(Advice.to(SocketCloseAdvice.class, advice).on(named("close").and(takesNoArguments())));
                    if (sessions) {
                        out = out.visit(acceptCall.replaceWithChain(
                                MemberSubstitution.Substitution.Chain.Step.ForDelegation.to(netAccept)).on(isMethod()));
                    }
                    return out;
                })
                .type(named("sun.nio.ch.SocketChannelImpl"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(ChannelConnectAdvice.class, advice)
                                .on(named("connect").and(takesArguments(SocketAddress.class))))
                        .visit(Advice.to(ChannelBlockingConnectAdvice.class, advice)
                                .on(named("blockingConnect").and(takesArguments(SocketAddress.class, long.class))))
                        .visit(Advice.to(FinishConnectAdvice.class, advice)
                                .on(named("finishConnect").and(takesNoArguments())))
                        .visit(Advice.to(ReadyOpsAdvice.class, advice)
                                .on(named("translateReadyOps").and(takesArguments(3))))
                        .visit(Advice.to(ChannelCloseAdvice.class, advice)
                                .on(named("implCloseSelectableChannel").and(takesNoArguments())))
                        .visit(Advice.to(ChannelKillAdvice.class, advice).on(named("kill").and(takesNoArguments())))
                        .visit(connectCall)
                        .visit(pollCall))
                .type(named("sun.nio.ch.SelectionKeyImpl"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(InterestEventsAdvice.class, advice)
                                .on(named("translateInterestOps").and(takesNoArguments()))))
                .type(named("sun.nio.ch.UnixAsynchronousSocketChannelImpl"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(AsyncConnectAdvice.class, advice)
                                .on(named("implConnect").and(takesArguments(3))
                                        .and(takesArgument(0, SocketAddress.class))))
                        .visit(Advice.to(AsyncCloseAdvice.class, advice)
                                .on(named("implClose").and(takesNoArguments()))));
        if (sessions) {
            builder = builder.type(named("sun.nio.ch.ServerSocketChannelImpl"))
                    .transform((b, type, loader, module, domain) -> b.visit(acceptCall.replaceWithChain(
                            MemberSubstitution.Substitution.Chain.Step.ForDelegation.to(netAccept)).on(isMethod())));
        }
        try {
            builder.installOn(inst);
        } catch (final RuntimeException e) {
            errors.put("(install)", e);
        }
        return new Result(Collections.unmodifiableSet(new java.util.TreeSet<>(woven)),
                Collections.unmodifiableMap(new LinkedHashMap<>(errors)));
    }

    private static MethodDescription.InDefinedShape method(final TypeDescription type, final String name) {
        final List<MethodDescription.InDefinedShape> found = new ArrayList<>(
                type.getDeclaredMethods().filter(named(name)));
        if (found.size() != 1) {
            throw new IllegalStateException(HOOKS + "." + name + " found " + found.size() + " times");
        }
        return found.get(0);
    }

    /** Records which classes were woven and which failed. */
    private final class Recorder extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(final TypeDescription typeDescription, final ClassLoader classLoader,
                final JavaModule module, final boolean loaded, final DynamicType dynamicType) {
            woven.add(typeDescription.getName());
        }

        @Override
        public void onError(final String typeName, final ClassLoader classLoader, final JavaModule module,
                final boolean loaded, final Throwable throwable) {
            errors.put(typeName, throwable);
        }
    }
}
