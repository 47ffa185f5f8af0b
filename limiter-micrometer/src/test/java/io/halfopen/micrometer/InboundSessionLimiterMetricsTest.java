package io.halfopen.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.SessionLimitExceededException;
import io.halfopen.time.VirtualClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("InboundSessionLimiterMetrics: XP's session table and error 71 in a Micrometer registry")
class InboundSessionLimiterMetricsTest {

    private final VirtualClock clock = new VirtualClock();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    private static InetSocketAddress computer(final int host) {
        return new InetSocketAddress("127.0.0." + host, 50_000);
    }

    private double gauge(final String name) {
        return registry.get(name).tag("limiter", "smb").gauge().value();
    }

    private double count(final String name, final String... tags) {
        return registry.get(name).tag("limiter", "smb").tags(tags).meter().measure().iterator().next().getValue();
    }

    @Test
    void xpHomesFiveSessionsThenError71() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().maxSessions(5).clock(clock).build();
        new InboundSessionLimiterMetrics(limiter, "smb").bindTo(registry);
        for (int host = 2; host <= 6; host++) {
            limiter.admit(computer(host));
        }
        assertThrows(SessionLimitExceededException.class, () -> limiter.admit(computer(7)));
        assertEquals(5, gauge("halfopen.sessions"));
        assertEquals(5, gauge("halfopen.sessions.limit"));
        assertEquals(5, gauge("halfopen.sessions.peak"));
        assertEquals(5, gauge("halfopen.sessions.connections"));
        assertEquals(5, count("halfopen.sessions.opened"));
        assertEquals(1, count("halfopen.sessions.refused", "error", "71"));
        assertEquals(0, count("halfopen.sessions.refused", "error", "5"));
    }

    @Test
    void endsAreCountedByReason() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock)
                .autoDisconnect(Duration.ofMinutes(15)).build();
        new InboundSessionLimiterMetrics(limiter, "smb").bindTo(registry);
        limiter.admit(computer(2)).close();
        limiter.admit(computer(3));
        limiter.admit(computer(4));
        limiter.disconnect("127.0.0.4");
        clock.advance(Duration.ofMinutes(16));
        assertEquals(1, count("halfopen.sessions.ended", "reason", "closed"));
        assertEquals(1, count("halfopen.sessions.ended", "reason", "disconnected"));
        assertEquals(1, count("halfopen.sessions.ended", "reason", "auto_disconnected"));
        assertEquals(0, count("halfopen.sessions.ended", "reason", "null_session_expired"));
        assertEquals(0, gauge("halfopen.sessions"));
    }

    @Test
    void anUnlimitedLimiterHasNoLimitGauge() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().unlimited().clock(clock).build();
        new InboundSessionLimiterMetrics(limiter, "smb").bindTo(registry);
        assertNull(registry.find("halfopen.sessions.limit").gauge());
    }

    @Test
    void closeStopsCountingAndRemovesTheMeters() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock).build();
        final InboundSessionLimiterMetrics metrics = new InboundSessionLimiterMetrics(limiter, "smb");
        metrics.bindTo(registry);
        final Counter opened = registry.get("halfopen.sessions.opened").counter();
        metrics.close();
        limiter.admit(computer(2));
        assertEquals(0, opened.count(), "the listener was removed from the limiter");
        assertTrue(registry.getMeters().isEmpty());
    }

    @Test
    void aTagNamedLimiterIsRefusedNamingTheNameGiven() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InboundSessionLimiterMetrics(InboundSessionLimiter.xpProfessional(), "smb",
                        io.micrometer.core.instrument.Tags.of("limiter", "other")));
        assertEquals("the tag 'limiter' is the limiter's name ('smb'); give the name here instead of tagging"
                + " limiter=other", e.getMessage());
    }

    @Test
    void aBlankNameIsRefused() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InboundSessionLimiterMetrics(InboundSessionLimiter.xpProfessional(), " "));
        assertEquals("name must not be blank, was ' '", e.getMessage());
    }
}
