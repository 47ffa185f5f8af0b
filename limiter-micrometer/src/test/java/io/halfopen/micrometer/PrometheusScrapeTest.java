package io.halfopen.micrometer;

import static io.halfopen.micrometer.HalfOpenLimiterMetricsTest.remote;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.SessionConnection;
import io.halfopen.session.SessionLimitExceededException;
import io.halfopen.time.VirtualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@DisplayName("What a Prometheus server scrapes: the series an operator queries, with their names, tags and values")
class PrometheusScrapeTest {

    private final VirtualClock clock = new VirtualClock();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private static void assertHasLines(final String scrape, final String... lines) {
        for (final String line : lines) {
            assertTrue(scrape.lines().anyMatch(line::equals), () -> "no line '" + line + "' in:\n" + scrape);
        }
    }

    @Test
    void theHalfOpenLimitersSeriesWithAPercentileHistogramOfTheQueueWait() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").maxHalfOpen(1).clock(clock).build();
        new HalfOpenLimiterMetrics(limiter).bindTo(registry);
        final ConnectAttempt first = limiter.newAttempt(remote(1), new Owner());
        final ConnectAttempt second = limiter.newAttempt(remote(2), new Owner());
        clock.advance(Duration.ofMillis(300));
        first.established();
        second.refused();
        final String scrape = registry.scrape();
        assertHasLines(scrape,
                "# TYPE halfopen_half_open gauge",
                "halfopen_half_open{limiter=\"mx\"} 0.0",
                "halfopen_half_open_limit{limiter=\"mx\"} 1.0",
                "halfopen_queued_peak{limiter=\"mx\"} 1.0",
                "# TYPE halfopen_attempts_ended_total counter",
                "halfopen_attempts_ended_total{limiter=\"mx\",outcome=\"established\"} 1.0",
                "halfopen_attempts_ended_total{limiter=\"mx\",outcome=\"refused\"} 1.0",
                "halfopen_attempts_ended_total{limiter=\"mx\",outcome=\"timed_out\"} 0.0",
                "halfopen_attempts_throttled_total{limiter=\"mx\"} 1.0",
                "halfopen_limit_reached_total{limiter=\"mx\"} 1.0",
                "# TYPE halfopen_queue_wait_seconds histogram",
                "halfopen_queue_wait_seconds_count{limiter=\"mx\"} 2",
                "halfopen_queue_wait_seconds_sum{limiter=\"mx\"} 0.3",
                "halfopen_queue_wait_seconds_bucket{limiter=\"mx\",le=\"+Inf\"} 2",
                "halfopen_half_open_duration_seconds_count{limiter=\"mx\",outcome=\"established\"} 1");
        assertTrue(scrape.lines().filter(l -> l.startsWith("halfopen_queue_wait_seconds_bucket{")).count() > 10,
                "a percentile histogram: many buckets, for histogram_quantile()");
    }

    @Test
    void theSessionLimitersSeriesWithError71Refusals() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().maxSessions(1).clock(clock).build();
        new InboundSessionLimiterMetrics(limiter, "smb").bindTo(registry);
        final SessionConnection first = limiter.admit(new InetSocketAddress("127.0.0.2", 50_000));
        final Executable second = () -> limiter.admit(new InetSocketAddress("127.0.0.3", 50_000));
        org.junit.jupiter.api.Assertions.assertThrows(SessionLimitExceededException.class, second);
        final String open = registry.scrape();
        first.close();
        final String scrape = registry.scrape();
        assertHasLines(open, "halfopen_sessions{limiter=\"smb\"} 1.0");
        assertHasLines(scrape,
                "halfopen_sessions{limiter=\"smb\"} 0.0",
                "halfopen_sessions_limit{limiter=\"smb\"} 1.0",
                "halfopen_sessions_peak{limiter=\"smb\"} 1.0",
                "halfopen_sessions_opened_total{limiter=\"smb\"} 1.0",
                "halfopen_sessions_ended_total{limiter=\"smb\",reason=\"closed\"} 1.0",
                "halfopen_sessions_refused_total{error=\"71\",limiter=\"smb\"} 1.0",
                "halfopen_sessions_refused_total{error=\"5\",limiter=\"smb\"} 0.0");
    }
}
