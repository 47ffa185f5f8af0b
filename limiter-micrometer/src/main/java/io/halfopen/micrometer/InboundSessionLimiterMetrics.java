package io.halfopen.micrometer;

import io.halfopen.profile.WindowsProfile;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.SessionEndReason;
import io.halfopen.session.SessionInfo;
import io.halfopen.session.SessionListener;
import io.halfopen.session.SessionStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds an {@link InboundSessionLimiter}'s metrics to a Micrometer {@link MeterRegistry}, tagged
 * {@code limiter=<the name given here>} and with any tags given here:
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>what</th></tr>
 * <tr><td>{@code halfopen.sessions}</td><td>gauge</td><td>sessions open now, null and exempt ones included</td></tr>
 * <tr><td>{@code halfopen.sessions.null}, {@code halfopen.sessions.exempt}</td><td>gauge</td><td>of those, the null
 *     (anonymous) and the exempt sessions</td></tr>
 * <tr><td>{@code halfopen.sessions.connections}, {@code halfopen.sessions.open_handles}</td><td>gauge</td><td>connections
 *     and open files or pipes, across all sessions</td></tr>
 * <tr><td>{@code halfopen.sessions.limit}</td><td>gauge</td><td>the session limit (not registered when
 *     unlimited)</td></tr>
 * <tr><td>{@code halfopen.sessions.peak}</td><td>gauge</td><td>the most sessions open at once</td></tr>
 * <tr><td>{@code halfopen.sessions.opened}</td><td>counter</td><td>sessions opened</td></tr>
 * <tr><td>{@code halfopen.sessions.ended}</td><td>counter</td><td>sessions ended, tagged {@code reason}:
 *     {@code closed}, {@code auto_disconnected}, {@code null_session_expired}, {@code disconnected}</td></tr>
 * <tr><td>{@code halfopen.sessions.refused}</td><td>counter</td><td>new sessions refused, tagged {@code error}:
 *     {@code 71} (the session limit) or {@code 5} (anonymous logons restricted)</td></tr>
 * </table>
 *
 * <p>Gauges and the refusal counters read {@link InboundSessionLimiter#stats()} when the registry polls them;
 * the opened and ended counters are fed by a {@link SessionListener} added to the limiter, so they count the
 * sessions that opened or ended after {@link #bindTo} (the ones already open are in the gauges).
 *
 * <p>Thread-safe. {@link #bindTo} may be called for several registries; {@link #close()} stops feeding and removes
 * every meter this binder registered, in every registry.
 */
public final class InboundSessionLimiterMetrics implements MeterBinder, AutoCloseable {

    private final InboundSessionLimiter limiter;
    private final Tags tags;
    private final Bindings bindings;                              // guarded by this

    /**
     * Metrics for {@code limiter}, tagged {@code limiter=<name>}.
     *
     * @param limiter the limiter
     * @param name    its name for the {@code limiter} tag (an inbound session limiter has no name of its own),
     *                e.g. {@code "smb"}
     */
    public InboundSessionLimiterMetrics(final InboundSessionLimiter limiter, final String name) {
        this(limiter, name, Tags.empty());
    }

    /**
     * Metrics for {@code limiter}, tagged {@code limiter=<name>} and with {@code tags}.
     *
     * @param limiter the limiter
     * @param name    its name for the {@code limiter} tag; not blank
     * @param tags    more tags for every meter
     * @throws IllegalArgumentException if {@code name} is blank, or {@code tags} has a tag named {@code limiter}
     */
    public InboundSessionLimiterMetrics(final InboundSessionLimiter limiter, final String name,
            final Iterable<Tag> tags) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
        }
        this.tags = Bindings.withLimiterTag(tags, name, "give the name here");
        this.bindings = new Bindings(toString());
    }

    /**
     * Registers the meters in {@code registry} and starts counting openings and ends.
     *
     * @param registry the registry
     * @throws IllegalStateException if this binder was closed
     */
    @Override
    public synchronized void bindTo(final MeterRegistry registry) {
        final BoundMeters meters = bindings.start(registry);
        gauge(meters, "halfopen.sessions", "sessions open now, null and exempt sessions included",
                SessionStats::sessions);
        gauge(meters, "halfopen.sessions.null", "null (anonymous) sessions open now", SessionStats::nullSessions);
        gauge(meters, "halfopen.sessions.exempt", "sessions open now that do not count against the limit",
                SessionStats::exemptSessions);
        gauge(meters, "halfopen.sessions.connections", "connections open now, across all sessions",
                SessionStats::openConnections);
        gauge(meters, "halfopen.sessions.open_handles", "files and pipes open now, across all sessions",
                SessionStats::openHandles);
        gauge(meters, "halfopen.sessions.peak", "the most sessions ever open at once", SessionStats::peakSessions);
        if (limiter.maxSessions() != WindowsProfile.UNLIMITED) {
            meters.add(Gauge.builder("halfopen.sessions.limit", limiter, InboundSessionLimiter::maxSessions)
                    .description("how many sessions may count against the limit at once").tags(tags)
                    .register(registry));
        }
        refusals(meters, "71", SessionStats::refused);
        refusals(meters, "5", SessionStats::refusedAnonymous);

        final Counter opened = meters.add(Counter.builder("halfopen.sessions.opened").description("sessions opened")
                .tags(tags).register(registry));
        final Map<SessionEndReason, Counter> ended = new EnumMap<>(SessionEndReason.class);
        for (final SessionEndReason reason : SessionEndReason.values()) {
            ended.put(reason, meters.add(Counter.builder("halfopen.sessions.ended").description("sessions ended")
                    .tags(tags).tag("reason", HalfOpenLimiterMetrics.tagValue(reason)).register(registry)));
        }
        final SessionListener counting = new SessionListener() {
            @Override
            public void sessionOpened(final SessionInfo session) {
                opened.increment();
            }

            @Override
            public void sessionEnded(final SessionInfo session, final SessionEndReason reason) {
                ended.get(reason).increment();
            }
        };
        limiter.addListener(counting);
        meters.listening(() -> limiter.removeListener(counting));
    }

    private void gauge(final BoundMeters meters, final String name, final String description,
            final ToDoubleFunction<SessionStats> value) {
        meters.add(Gauge.builder(name, limiter, l -> value.applyAsDouble(l.stats())).description(description)
                .tags(tags).register(meters.registry()));
    }

    private void refusals(final BoundMeters meters, final String error, final ToLongFunction<SessionStats> count) {
        meters.add(FunctionCounter.builder("halfopen.sessions.refused", limiter, l -> count.applyAsLong(l.stats()))
                .description("new sessions refused, by the Windows error they got").tags(tags).tag("error", error)
                .register(meters.registry()));
    }

    /**
     * Stops counting and removes every meter this binder registered, from every registry it was bound to.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        bindings.close();
    }

    @Override
    public String toString() {
        return "InboundSessionLimiterMetrics[" + tags + "]";
    }
}
