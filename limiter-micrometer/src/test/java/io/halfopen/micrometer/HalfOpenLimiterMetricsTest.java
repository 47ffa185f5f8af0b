package io.halfopen.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.time.VirtualClock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("HalfOpenLimiterMetrics: the limiter's gauges, counters and timers in a Micrometer registry")
class HalfOpenLimiterMetricsTest {

    private final VirtualClock clock = new VirtualClock();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    /** A documentation address (TEST-NET-3, RFC 5737), never connected to: the limiter only counts. */
    static InetSocketAddress remote(final int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 7}), port);
        } catch (final UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private double gauge(final String name) {
        return registry.get(name).tag("limiter", "mx").gauge().value();
    }

    private double counter(final String name, final String... tags) {
        return registry.get(name).tag("limiter", "mx").tags(tags).functionCounter().count();
    }

    private Timer timer(final String name, final String... tags) {
        return registry.get(name).tag("limiter", "mx").tags(tags).timer();
    }

    @Test
    void gaugesShowHalfOpenAndQueuedAttemptsAndTheLimitAsTheyAreNow() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").maxHalfOpen(2).clock(clock).build();
        new HalfOpenLimiterMetrics(limiter).bindTo(registry);
        final ConnectAttempt first = limiter.newAttempt(remote(1), new Owner());
        limiter.newAttempt(remote(2), new Owner());
        limiter.newAttempt(remote(3), new Owner());
        assertEquals(2, gauge("halfopen.half_open"));
        assertEquals(1, gauge("halfopen.queued"));
        assertEquals(2, gauge("halfopen.half_open.limit"));
        first.established();
        assertEquals(2, gauge("halfopen.half_open"), "the queued attempt took the freed slot");
        assertEquals(0, gauge("halfopen.queued"));
        assertEquals(2, gauge("halfopen.half_open.peak"));
        assertEquals(1, gauge("halfopen.queued.peak"));
    }

    @Test
    void timersRecordEachGrantedAttemptsQueueWaitAndHalfOpenTimeByOutcome() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").maxHalfOpen(2).clock(clock).build();
        new HalfOpenLimiterMetrics(limiter).bindTo(registry);
        final ConnectAttempt a = limiter.newAttempt(remote(1), new Owner());
        final ConnectAttempt b = limiter.newAttempt(remote(2), new Owner());
        final ConnectAttempt c = limiter.newAttempt(remote(3), new Owner());   // queued: event 4226
        clock.advance(Duration.ofSeconds(3));
        a.established();                                                      // c granted after 3 s
        clock.advance(Duration.ofSeconds(1));
        b.refused();
        c.cancel();

        final Timer queueWait = timer("halfopen.queue.wait");
        assertEquals(3, queueWait.count(), "every granted attempt, the two granted at once included");
        assertEquals(3.0, queueWait.totalTime(TimeUnit.SECONDS));
        assertEquals(3.0, queueWait.max(TimeUnit.SECONDS));
        assertEquals(3.0, timer("halfopen.half_open.duration", "outcome", "established").totalTime(TimeUnit.SECONDS));
        assertEquals(4.0, timer("halfopen.half_open.duration", "outcome", "refused").totalTime(TimeUnit.SECONDS));
        assertEquals(1.0, timer("halfopen.half_open.duration", "outcome", "cancelled").totalTime(TimeUnit.SECONDS),
                "the attempt that waited held its slot from its grant, not from its arrival");
        assertEquals(0, timer("halfopen.half_open.duration", "outcome", "timed_out").count());
        assertEquals(1, counter("halfopen.limit_reached"));
        assertEquals(1, counter("halfopen.attempts.throttled"));
        assertEquals(3, counter("halfopen.attempts.granted"));
        assertEquals(1, counter("halfopen.attempts.ended", "outcome", "established"));
        assertEquals(1, counter("halfopen.attempts.ended", "outcome", "refused"));
        assertEquals(1, counter("halfopen.attempts.ended", "outcome", "cancelled"));
    }

    @Test
    void attemptsThatNeverGotASlotAreCountedButNotTimed() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").maxHalfOpen(1).maxQueued(1)
                .queueTimeout(Duration.ofSeconds(5)).clock(clock).build();
        new HalfOpenLimiterMetrics(limiter).bindTo(registry);
        final ConnectAttempt first = limiter.newAttempt(remote(1), new Owner());
        limiter.newAttempt(remote(2), new Owner());               // queued
        limiter.newAttempt(remote(3), new Owner());               // the queue is full: rejected
        clock.advance(Duration.ofSeconds(5));                     // the queued one times out in the queue
        first.established();
        assertEquals(1, counter("halfopen.attempts.ended", "outcome", "rejected"));
        assertEquals(1, counter("halfopen.attempts.ended", "outcome", "queue_timeout"));
        assertEquals(1, timer("halfopen.queue.wait").count(), "only the attempt granted at once");
        assertEquals(0.0, timer("halfopen.queue.wait").totalTime(TimeUnit.SECONDS));
    }

    @Test
    void aHalfOpenTimeoutIsCountedAndTimedAtTheLimitersTimeout() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").clock(clock).build();
        new HalfOpenLimiterMetrics(limiter).bindTo(registry);
        limiter.newAttempt(remote(1), new Owner());
        clock.advance(HalfOpenLimiter.XP_HALF_OPEN_TIMEOUT);
        assertEquals(1, counter("halfopen.half_open.timeouts"));
        assertEquals(1, counter("halfopen.attempts.ended", "outcome", "timed_out"));
        final Timer timedOut = timer("halfopen.half_open.duration", "outcome", "timed_out");
        assertEquals(1, timedOut.count());
        assertEquals(21.0, timedOut.totalTime(TimeUnit.SECONDS), "XP's 21 s");
    }

    /** What LimiterStats has, the registry has: adding a field to the stats fails here until it has a meter. */
    @Test
    void everyFieldOfTheLimitersStatsHasAMeterThatReadsTheSameValue() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").maxHalfOpen(1).maxQueued(1)
                .clock(clock).build();
        new HalfOpenLimiterMetrics(limiter).bindTo(registry);
        final ConnectAttempt first = limiter.newAttempt(remote(1), new Owner());
        limiter.newAttempt(remote(2), new Owner());
        limiter.newAttempt(remote(3), new Owner());
        first.failed(new java.io.IOException("unreachable"));
        clock.advance(HalfOpenLimiter.XP_HALF_OPEN_TIMEOUT);
        final Map<String, ToLongFunction<MeterRegistry>> meters = new TreeMap<>(Map.ofEntries(
                Map.entry("maxHalfOpen", r -> (long) gauge("halfopen.half_open.limit")),
                Map.entry("halfOpen", r -> (long) gauge("halfopen.half_open")),
                Map.entry("queued", r -> (long) gauge("halfopen.queued")),
                Map.entry("peakHalfOpen", r -> (long) gauge("halfopen.half_open.peak")),
                Map.entry("peakQueued", r -> (long) gauge("halfopen.queued.peak")),
                Map.entry("granted", r -> (long) counter("halfopen.attempts.granted")),
                Map.entry("throttled", r -> (long) counter("halfopen.attempts.throttled")),
                Map.entry("queueTimeouts", r -> (long) counter("halfopen.attempts.ended", "outcome", "queue_timeout")),
                Map.entry("halfOpenTimeouts", r -> (long) counter("halfopen.half_open.timeouts")),
                Map.entry("rejected", r -> (long) counter("halfopen.attempts.ended", "outcome", "rejected")),
                Map.entry("cancelled", r -> (long) counter("halfopen.attempts.ended", "outcome", "cancelled")),
                Map.entry("established", r -> (long) counter("halfopen.attempts.ended", "outcome", "established")),
                Map.entry("refused", r -> (long) counter("halfopen.attempts.ended", "outcome", "refused")),
                Map.entry("failed", r -> (long) counter("halfopen.attempts.ended", "outcome", "failed")),
                Map.entry("timedOut", r -> (long) counter("halfopen.attempts.ended", "outcome", "timed_out")),
                Map.entry("limitReachedEvents", r -> (long) counter("halfopen.limit_reached"))));
        assertEquals(Arrays.stream(LimiterStats.class.getRecordComponents()).map(c -> c.getName())
                .collect(Collectors.toCollection(java.util.TreeSet::new)), meters.keySet());
        final LimiterStats stats = limiter.stats();
        for (final var component : LimiterStats.class.getRecordComponents()) {
            final long expected;
            try {
                expected = ((Number) component.getAccessor().invoke(stats)).longValue();
            } catch (final ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            assertEquals(expected, meters.get(component.getName()).applyAsLong(registry), component.getName());
        }
        assertEquals(1, stats.failed(), "the workload reached more than zeros");
        assertEquals(1, stats.rejected());
        assertEquals(1, stats.timedOut());
    }

    @Test
    void aLimiterWithoutALimitHasNoLimitGauge() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").maxHalfOpen(Integer.MAX_VALUE)
                .clock(clock).build();
        new HalfOpenLimiterMetrics(limiter).bindTo(registry);
        assertEquals(null, registry.find("halfopen.half_open.limit").gauge());
        assertEquals(0, gauge("halfopen.half_open"));
    }

    @Test
    void inShadowModeTheMetersShowWhatThePolicyWouldHaveDone() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").maxHalfOpen(1).shadow(true)
                .clock(clock).build();
        new HalfOpenLimiterMetrics(limiter).bindTo(registry);
        final ConnectAttempt first = limiter.newAttempt(remote(1), new Owner());
        final ConnectAttempt second = limiter.newAttempt(remote(2), new Owner());
        assertEquals(2, gauge("halfopen.half_open"), "both admitted at once: nothing is enforced");
        assertEquals(0, gauge("halfopen.queued"));
        assertEquals(null, registry.find("halfopen.half_open.limit").gauge(), "no limit is in force");
        assertEquals(1, gauge("halfopen.shadow.half_open"));
        assertEquals(1, gauge("halfopen.shadow.queued"));
        assertEquals(1, gauge("halfopen.shadow.half_open.limit"));
        assertEquals(1, counter("halfopen.shadow.would_have_queued"));
        assertEquals(1, counter("halfopen.shadow.limit_reached"));
        assertEquals(0, counter("halfopen.limit_reached"), "the real limiter raised no 4226");
        clock.advance(Duration.ofSeconds(2));
        first.established();
        second.established();
        final Timer shadowWait = timer("halfopen.shadow.wait");
        assertEquals(2, shadowWait.count(), "every attempt the policy took, the one granted at once included");
        assertEquals(2.0, shadowWait.max(TimeUnit.SECONDS), "the second would have waited for the first");
        assertEquals(0.0, timer("halfopen.queue.wait").totalTime(TimeUnit.SECONDS), "nobody really waited");
    }

    @Test
    void aLimiterNotInShadowModeHasNoShadowMeters() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").clock(clock).build();
        new HalfOpenLimiterMetrics(limiter).bindTo(registry);
        assertTrue(registry.getMeters().stream().noneMatch(m -> m.getId().getName().startsWith("halfopen.shadow")));
    }

    @Test
    void everyMeterIsTaggedWithTheLimitersNameAndTheGivenTags() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").clock(clock).build();
        new HalfOpenLimiterMetrics(limiter, Tags.of("pool", "outbound-smtp")).bindTo(registry);
        assertTrue(registry.getMeters().size() > 10);
        registry.getMeters().forEach(meter -> {
            assertEquals("mx", meter.getId().getTag("limiter"), meter.getId().toString());
            assertEquals("outbound-smtp", meter.getId().getTag("pool"), meter.getId().toString());
        });
    }

    @Test
    void twoLimitersInOneRegistryAreToldApartByTheirNames() {
        final HalfOpenLimiter mx = HalfOpenLimiter.builder().name("mx").clock(clock).build();
        final HalfOpenLimiter crawler = HalfOpenLimiter.builder().name("crawler").clock(clock).build();
        new HalfOpenLimiterMetrics(mx).bindTo(registry);
        new HalfOpenLimiterMetrics(crawler).bindTo(registry);
        crawler.newAttempt(remote(1), new Owner());
        assertEquals(0, gauge("halfopen.half_open"));
        assertEquals(1, registry.get("halfopen.half_open").tag("limiter", "crawler").gauge().value());
    }

    @Test
    void aTagNamedLimiterIsRefusedNamingTheLimitersName() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").clock(clock).build();
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HalfOpenLimiterMetrics(limiter, Tags.of("limiter", "other")));
        assertTrue(e.getMessage().contains("'mx'") && e.getMessage().contains("limiter=other"), e.getMessage());
    }

    @Test
    void bindingToTwoRegistriesFeedsBoth() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").clock(clock).build();
        final MeterRegistry other = new SimpleMeterRegistry();
        final HalfOpenLimiterMetrics metrics = new HalfOpenLimiterMetrics(limiter);
        metrics.bindTo(registry);
        metrics.bindTo(other);
        limiter.newAttempt(remote(1), new Owner()).established();
        assertEquals(1, timer("halfopen.queue.wait").count());
        assertEquals(1, other.get("halfopen.queue.wait").timer().count());
    }

    @Test
    void closeStopsFeedingAndRemovesEveryMeterItRegistered() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").clock(clock).build();
        final Gauge unrelated = Gauge.builder("app.unrelated", () -> 1).register(registry);
        final HalfOpenLimiterMetrics metrics = new HalfOpenLimiterMetrics(limiter);
        metrics.bindTo(registry);
        final Timer queueWait = timer("halfopen.queue.wait");
        metrics.close();
        limiter.newAttempt(remote(1), new Owner()).established();
        assertEquals(0, queueWait.count(), "the listener was removed from the limiter");
        assertEquals(java.util.List.of(unrelated), registry.getMeters(), "only the meter we did not register");
        metrics.close();
        assertThrows(IllegalStateException.class, () -> metrics.bindTo(registry));
    }
}
