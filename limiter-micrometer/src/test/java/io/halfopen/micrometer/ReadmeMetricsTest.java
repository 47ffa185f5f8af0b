package io.halfopen.micrometer;

import static io.halfopen.micrometer.HalfOpenLimiterMetricsTest.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.session.InboundSessionLimiter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * README's "Watching it" section, held to the code: its snippet, as written there, and every Prometheus series it
 * names, which must be in the scrape of the limiters it binds (the shadow ones from a limiter in shadow mode).
 */
@DisplayName("README: the metrics section names only series the binders publish")
class ReadmeMetricsTest {

    private static final Pattern SERIES = Pattern.compile("`(halfopen_[a-z_0-9]+)");

    @Test
    void everySeriesTheReadmeNamesIsScraped() throws IOException {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // the README's snippet:
        HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("mx").build();
        new HalfOpenLimiterMetrics(limiter).bindTo(registry);                  // tagged limiter="mx"
        new InboundSessionLimiterMetrics(InboundSessionLimiter.xpProfessional(), "smb").bindTo(registry);
        // and its shadow mode's:
        final HalfOpenLimiter trial = HalfOpenLimiter.builder().name("crawler").maxHalfOpen(10).shadow(true).build();
        new HalfOpenLimiterMetrics(trial).bindTo(registry);
        limiter.newAttempt(remote(1), new Owner()).established();
        final String scrape = registry.scrape();

        final String readme = Files.readString(Path.of("..", "README.md"));
        final String section = readme.substring(readme.indexOf("### Watching it"),
                readme.indexOf("### Test suites that behave like XP"));
        final Set<String> named = new TreeSet<>();
        final Matcher matcher = SERIES.matcher(section);
        while (matcher.find()) {
            named.add(matcher.group(1));
        }
        assertTrue(named.size() >= 15, "the section names the series (18 when written): " + named);
        final Set<String> missing = new TreeSet<>();
        for (final String series : named) {
            if (scrape.lines().noneMatch(line -> line.startsWith(series + "{") || line.startsWith(series + "_bucket{")
                    || line.startsWith(series + "_count{"))) {
                missing.add(series);
            }
        }
        assertEquals(Set.of(), missing, "named in the README but not scraped");
        limiter.close();
        trial.close();
    }
}
