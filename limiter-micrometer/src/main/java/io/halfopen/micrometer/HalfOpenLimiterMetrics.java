package io.halfopen.micrometer;

import io.halfopen.limiter.AttemptState;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterListener;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.limiter.ShadowStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds a {@link HalfOpenLimiter}'s metrics to a Micrometer {@link MeterRegistry}, tagged
 * {@code limiter=<its name>} and with any tags given here:
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>what</th></tr>
 * <tr><td>{@code halfopen.half_open}</td><td>gauge</td><td>attempts holding a slot now</td></tr>
 * <tr><td>{@code halfopen.queued}</td><td>gauge</td><td>attempts waiting for a slot now</td></tr>
 * <tr><td>{@code halfopen.half_open.limit}</td><td>gauge</td><td>the limit in force (not registered for a limiter
 *     without one, nor in shadow mode)</td></tr>
 * <tr><td>{@code halfopen.half_open.peak}, {@code halfopen.queued.peak}</td><td>gauge</td><td>the most at
 *     once</td></tr>
 * <tr><td>{@code halfopen.attempts.granted}</td><td>counter</td><td>attempts that got a slot</td></tr>
 * <tr><td>{@code halfopen.attempts.throttled}</td><td>counter</td><td>attempts that had to wait</td></tr>
 * <tr><td>{@code halfopen.attempts.ended}</td><td>counter</td><td>ended attempts, tagged {@code outcome}:
 *     {@code established}, {@code refused}, {@code timed_out}, {@code failed}, {@code cancelled},
 *     {@code queue_timeout}, {@code rejected}</td></tr>
 * <tr><td>{@code halfopen.half_open.timeouts}</td><td>counter</td><td>half-open timeouts that told the owner to
 *     abort</td></tr>
 * <tr><td>{@code halfopen.limit_reached}</td><td>counter</td><td>event 4226 raised</td></tr>
 * <tr><td>{@code halfopen.queue.wait}</td><td>timer</td><td>how long each attempt that got a slot waited for it
 *     (zero when at once), recorded when the attempt ends, with a percentile histogram; an attempt that never
 *     got a slot is in {@code halfopen.attempts.ended} instead</td></tr>
 * <tr><td>{@code halfopen.half_open.duration}</td><td>timer</td><td>how long each granted attempt held its slot,
 *     tagged {@code outcome}, with a percentile histogram</td></tr>
 * </table>
 *
 * <p>In {@linkplain HalfOpenLimiter#isShadow() shadow mode} it also binds what the chosen policy would have done:
 * gauges {@code halfopen.shadow.half_open}, {@code halfopen.shadow.queued}, {@code halfopen.shadow.half_open.limit},
 * counters {@code halfopen.shadow.would_have_queued}, {@code halfopen.shadow.would_have_refused},
 * {@code halfopen.shadow.limit_reached}, and the timer {@code halfopen.shadow.wait} (every wait the policy would
 * have imposed, zero included).
 *
 * <p>Cost: gauges and counters read {@link HalfOpenLimiter#stats()} when the registry polls them; nothing is
 * recorded for them per attempt. The timers are fed by a {@link LimiterListener} that the limiter calls once per
 * attempt, after the attempt's slot is released, never on the acquire path.
 *
 * <p>The gauges and counters hold the limiter weakly, as Micrometer's own do: once the limiter is unreachable
 * they read {@code NaN}.
 *
 * <p>Thread-safe. {@link #bindTo} may be called for several registries; {@link #close()} stops feeding and removes
 * every meter this binder registered, in every registry.
 */
public final class HalfOpenLimiterMetrics implements MeterBinder, AutoCloseable {

    /** The ended outcomes, each with the stats counter that counts it. */
    private static final Map<AttemptState, ToLongFunction<LimiterStats>> ENDED = endedCounters();

    private final HalfOpenLimiter limiter;
    private final Tags tags;
    private final Bindings bindings;                              // guarded by this

    /**
     * Metrics for {@code limiter}, tagged with its name.
     *
     * @param limiter the limiter
     */
    public HalfOpenLimiterMetrics(final HalfOpenLimiter limiter) {
        this(limiter, Tags.empty());
    }

    /**
     * Metrics for {@code limiter}, tagged with its name and {@code tags}.
     *
     * @param limiter the limiter
     * @param tags    more tags for every meter, e.g. {@code Tags.of("pool", "mx")}
     * @throws IllegalArgumentException if {@code tags} has a tag named {@code limiter}
     */
    public HalfOpenLimiterMetrics(final HalfOpenLimiter limiter, final Iterable<Tag> tags) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.tags = Bindings.withLimiterTag(tags, limiter.name(), "name the limiter with HalfOpenLimiterBuilder.name");
        this.bindings = new Bindings(toString());
    }

    /**
     * Registers the meters in {@code registry} and starts feeding its timers.
     *
     * @param registry the registry
     * @throws IllegalStateException if this binder was closed
     */
    @Override
    public synchronized void bindTo(final MeterRegistry registry) {
        final BoundMeters meters = bindings.start(registry);
        gauge(meters, "halfopen.half_open", "attempts holding a slot now (SYN sent, no answer yet)",
                LimiterStats::halfOpen);
        gauge(meters, "halfopen.queued", "attempts waiting for a slot now", LimiterStats::queued);
        if (!limiter.isShadow() && limiter.maxHalfOpen() != Integer.MAX_VALUE) {
            gauge(meters, "halfopen.half_open.limit", "the most attempts that may be half-open at once",
                    LimiterStats::maxHalfOpen);
        }
        gauge(meters, "halfopen.half_open.peak", "the most attempts that held slots at once",
                LimiterStats::peakHalfOpen);
        gauge(meters, "halfopen.queued.peak", "the most attempts that waited at once", LimiterStats::peakQueued);
        counter(meters, "halfopen.attempts.granted", "attempts that got a slot, at once or after waiting",
                Tags.empty(), LimiterStats::granted);
        counter(meters, "halfopen.attempts.throttled", "attempts that had to wait for a slot", Tags.empty(),
                LimiterStats::throttled);
        ENDED.forEach((state, count) -> counter(meters, "halfopen.attempts.ended", "attempts that ended",
                Tags.of("outcome", tagValue(state)), count));
        counter(meters, "halfopen.half_open.timeouts",
                "half-open timeouts that fired and told the attempt's owner to abort", Tags.empty(),
                LimiterStats::halfOpenTimeouts);
        counter(meters, "halfopen.limit_reached",
                "event 4226: TCP/IP has reached the security limit imposed on the number of concurrent TCP connect"
                        + " attempts", Tags.empty(), LimiterStats::limitReachedEvents);

        final Timer queueWait = meters.add(Timer.builder("halfopen.queue.wait")
                .description("how long each attempt that got a slot waited for it").tags(tags)
                .publishPercentileHistogram().register(registry));
        final Map<AttemptState, Timer> halfOpen = new EnumMap<>(AttemptState.class);
        for (final AttemptState state : AttemptState.values()) {
            if (state.isTerminal() && state != AttemptState.QUEUE_TIMEOUT && state != AttemptState.REJECTED) {
                halfOpen.put(state, meters.add(Timer.builder("halfopen.half_open.duration")
                        .description("how long each granted attempt held its slot").tags(tags)
                        .tag("outcome", tagValue(state)).publishPercentileHistogram().register(registry)));
            }
        }
        final Timer shadowWait = limiter.isShadow() ? bindShadow(meters) : null;

        final Recorder recorder = new Recorder(queueWait, halfOpen, shadowWait);
        limiter.addListener(recorder);
        meters.listening(() -> limiter.removeListener(recorder));
    }

    private Timer bindShadow(final BoundMeters meters) {
        shadowGauge(meters, "halfopen.shadow.half_open", "shadow mode: attempts the policy would let be half-open now",
                ShadowStats::halfOpen);
        shadowGauge(meters, "halfopen.shadow.queued", "shadow mode: attempts the policy would keep waiting now",
                ShadowStats::queued);
        final int policyLimit = limiter.shadowStats().orElseThrow().maxHalfOpen();
        if (policyLimit != Integer.MAX_VALUE) {
            shadowGauge(meters, "halfopen.shadow.half_open.limit", "shadow mode: the chosen policy's limit, not"
                    + " enforced", ShadowStats::maxHalfOpen);
        }
        shadowCounter(meters, "halfopen.shadow.would_have_queued", "shadow mode: attempts the policy would have"
                + " made wait", ShadowStats::wouldHaveQueued);
        shadowCounter(meters, "halfopen.shadow.would_have_refused", "shadow mode: attempts the policy would have"
                + " refused", ShadowStats::wouldHaveRefused);
        shadowCounter(meters, "halfopen.shadow.limit_reached", "shadow mode: event 4226 where the policy would have"
                + " started throttling", ShadowStats::limitReachedEvents);
        return meters.add(Timer.builder("halfopen.shadow.wait")
                .description("shadow mode: how long the policy would have made each attempt wait").tags(tags)
                .publishPercentileHistogram().register(meters.registry()));
    }

    private void gauge(final BoundMeters meters, final String name, final String description,
            final ToDoubleFunction<LimiterStats> value) {
        meters.add(Gauge.builder(name, limiter, l -> value.applyAsDouble(l.stats())).description(description)
                .tags(tags).register(meters.registry()));
    }

    private void counter(final BoundMeters meters, final String name, final String description, final Tags more,
            final ToLongFunction<LimiterStats> count) {
        meters.add(FunctionCounter.builder(name, limiter, l -> count.applyAsLong(l.stats()))
                .description(description).tags(tags).tags(more).register(meters.registry()));
    }

    private void shadowGauge(final BoundMeters meters, final String name, final String description,
            final ToDoubleFunction<ShadowStats> value) {
        meters.add(Gauge.builder(name, limiter, l -> l.shadowStats().map(value::applyAsDouble).orElse(Double.NaN))
                .description(description).tags(tags).register(meters.registry()));
    }

    private void shadowCounter(final BoundMeters meters, final String name, final String description,
            final ToLongFunction<ShadowStats> count) {
        meters.add(FunctionCounter.builder(name, limiter,
                        l -> l.shadowStats().map(s -> (double) count.applyAsLong(s)).orElse(Double.NaN))
                .description(description).tags(tags).register(meters.registry()));
    }

    /**
     * Stops feeding the timers and removes every meter this binder registered, from every registry it was bound
     * to. Idempotent.
     */
    @Override
    public synchronized void close() {
        bindings.close();
    }

    @Override
    public String toString() {
        return "HalfOpenLimiterMetrics[" + limiter.name() + "]";
    }

    static String tagValue(final Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static Map<AttemptState, ToLongFunction<LimiterStats>> endedCounters() {
        final Map<AttemptState, ToLongFunction<LimiterStats>> ended = new EnumMap<>(AttemptState.class);
        ended.put(AttemptState.ESTABLISHED, LimiterStats::established);
        ended.put(AttemptState.REFUSED, LimiterStats::refused);
        ended.put(AttemptState.TIMED_OUT, LimiterStats::timedOut);
        ended.put(AttemptState.FAILED, LimiterStats::failed);
        ended.put(AttemptState.CANCELLED, LimiterStats::cancelled);
        ended.put(AttemptState.QUEUE_TIMEOUT, LimiterStats::queueTimeouts);
        ended.put(AttemptState.REJECTED, LimiterStats::rejected);
        return ended;
    }

    /** Feeds the timers, on the thread that ended the attempt, after its slot was released. */
    private static final class Recorder implements LimiterListener {

        private final Timer queueWait;
        private final Map<AttemptState, Timer> halfOpen;
        private final Timer shadowWait;

        Recorder(final Timer queueWait, final Map<AttemptState, Timer> halfOpen, final Timer shadowWait) {
            this.queueWait = queueWait;
            this.halfOpen = halfOpen;
            this.shadowWait = shadowWait;
        }

        @Override
        public void attemptEnded(final ConnectAttempt attempt, final Duration queued, final Duration heldSlot) {
            if (!attempt.wasGranted()) {
                return;
            }
            queueWait.record(queued);
            final Timer timer = halfOpen.get(attempt.state());
            if (timer != null) {
                timer.record(heldSlot);
            }
        }

        @Override
        public void wouldHaveWaited(final InetSocketAddress remote, final Duration wait) {
            if (shadowWait != null) {
                shadowWait.record(wait);
            }
        }
    }
}
