package io.halfopen.junit;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.time.VirtualClock;
import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link BehaveLikeXp}; register it through the annotation. Each test's parts live in that
 * test's {@link ExtensionContext.Store} and are made when the test first asks for one, so a test that asks for
 * nothing costs nothing and is not checked.
 *
 * <p>Thread-safe as JUnit requires: the parts of one test are made under the store's lock; tests running in
 * parallel have separate parts.
 */
public final class XpExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback,
        TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(XpExtension.class);

    static final String NETTY_HANDLER = "io.halfopen.netty.HalfOpenLimitHandler";
    static final String SOCKET_FACTORY = "io.halfopen.jdk.HalfOpenSocketFactory";
    private static final Set<String> PARTS = Set.of(HalfOpenLimiter.class.getName(),
            InboundSessionLimiter.class.getName(), VirtualClock.class.getName(), NETTY_HANDLER, SOCKET_FACTORY);

    /** Made by JUnit, through {@link BehaveLikeXp}. */
    public XpExtension() {
    }

    /**
     * Supports the parts listed in {@link BehaveLikeXp}, in methods run for a test (not in constructors or
     * {@code @BeforeAll} methods: the parts are each test's own).
     *
     * @param parameter the parameter
     * @param context   the context
     * @return whether this extension supplies it
     */
    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return context.getTestMethod().isPresent() && PARTS.contains(parameter.getParameter().getType().getName());
    }

    /**
     * Supplies this test's part of the parameter's type, making it on first use.
     *
     * @param parameter the parameter
     * @param context   the context
     * @return the part
     * @throws ParameterResolutionException if the test asks for a {@code VirtualClock} without
     *                                      {@link BehaveLikeXp#virtualTime()}, or a method is annotated
     *                                      {@code parts = PER_CLASS}
     */
    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        final String type = parameter.getParameter().getType().getName();
        try {
            return parts(context).get(type);
        } catch (final IllegalStateException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    /**
     * Fails the test if it left an attempt half-open or queued, or a socket in SYN_SENT; closes its parts either
     * way, unless the class shares them ({@link BehaveLikeXp.Parts#PER_CLASS}).
     *
     * @param context the test's context
     */
    @Override
    public void afterEach(final ExtensionContext context) {
        final XpParts own = context.getStore(NAMESPACE).remove(XpParts.class, XpParts.class);
        final XpParts parts = own != null ? own : classStore(context).get(XpParts.class, XpParts.class);
        if (parts == null) {
            return;
        }
        final Optional<String> problem;
        try {
            problem = parts.leftBehind();
        } finally {
            if (own != null) {
                own.close();
            }
        }
        if (problem.isPresent()) {
            throw new AssertionError(problem.get());
        }
    }

    /**
     * Closes the parts the class's tests shared, if they did.
     *
     * @param context the class's context
     */
    @Override
    public void afterAll(final ExtensionContext context) {
        final XpParts shared = context.getStore(NAMESPACE).remove(XpParts.class, XpParts.class);
        if (shared != null) {
            shared.close();
        }
    }

    /**
     * Adds the limiter's stats to the failure of a test that asked for a limiter, as a suppressed exception, and
     * rethrows it.
     *
     * @param context   the test's context
     * @param throwable what the test threw
     * @throws Throwable {@code throwable}, always
     */
    @Override
    public void handleTestExecutionException(final ExtensionContext context, final Throwable throwable)
            throws Throwable {
        XpParts parts = context.getStore(NAMESPACE).get(XpParts.class, XpParts.class);
        if (parts == null) {
            parts = classStore(context).get(XpParts.class, XpParts.class);
        }
        if (parts != null) {
            parts.describe().ifPresent(stats -> throwable.addSuppressed(new LimiterStatsAtFailure(stats)));
        }
        throw throwable;
    }

    private static XpParts parts(final ExtensionContext context) {
        final BehaveLikeXp settings = settings(context);
        if (settings.parts() == BehaveLikeXp.Parts.PER_CLASS) {
            if (AnnotationSupport.findAnnotation(context.getTestMethod().orElseThrow(), BehaveLikeXp.class)
                    .isPresent()) {
                throw new IllegalStateException("@BehaveLikeXp(parts = PER_CLASS) belongs on the class, not on "
                        + context.getDisplayName() + ": a method's parts are its own");
            }
            final ExtensionContext owner = context.getParent().orElseThrow();
            return classStore(context).getOrComputeIfAbsent(XpParts.class,
                    key -> new XpParts(settings, owner.getDisplayName()), XpParts.class);
        }
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(XpParts.class,
                key -> new XpParts(settings, context.getDisplayName()), XpParts.class);
    }

    /** The store of the class whose test this is: shared parts live there. */
    private static ExtensionContext.Store classStore(final ExtensionContext context) {
        return context.getParent().orElseThrow().getStore(NAMESPACE);
    }

    private static BehaveLikeXp settings(final ExtensionContext context) {
        return find(context.getTestMethod().orElseThrow())
                .or(() -> context.getTestClass().flatMap(XpExtension::find))
                .orElseThrow(() -> new IllegalStateException("XpExtension is registered through @BehaveLikeXp;"
                        + " none on " + context.getUniqueId()));
    }

    private static Optional<BehaveLikeXp> find(final AnnotatedElement element) {
        Optional<BehaveLikeXp> found = AnnotationSupport.findAnnotation(element, BehaveLikeXp.class);
        if (found.isEmpty() && element instanceof Class<?> type && type.getEnclosingClass() != null) {
            found = find(type.getEnclosingClass());   // a @Nested class inherits its outer class's setting
        }
        return found;
    }
}
