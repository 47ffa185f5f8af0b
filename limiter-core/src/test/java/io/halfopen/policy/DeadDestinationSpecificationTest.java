package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.AttemptState;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.DeadDestinationException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Dead-destination fast fail, through the real limiter in virtual time: which outcomes count, the sliding
 * window, the TTL and the probe after it, the exception's message, the bounded negative cache, and the cap.
 */
@DisplayName("deadDestination: after f timeouts or unreachables within the window, attempts fail at once for the TTL")
class DeadDestinationSpecificationTest {

    private static final InetSocketAddress DEAD = Host.address(0, 7);
    private static final InetSocketAddress ALIVE = Host.address(0, 8);

    private static Host host(final DeadDestinationPolicy policy) {
        return new Host(policy);
    }

    private static void unreachable(final ConnectAttempt attempt) {
        assertTrue(attempt.failed(new NoRouteToHostException("No route to host")));
    }

    private static ConnectAttempt failUnreachable(final Host host, final InetSocketAddress remote) {
        final ConnectAttempt attempt = host.connect(remote);
        assertTrue(host.granted(attempt), "an attempt to a destination not marked goes");
        unreachable(attempt);
        return attempt;
    }

    @Test
    void threeHalfOpenTimeoutsWithinTheWindowMakeTheNextAttemptFailAtOnceSayingWhereHowOftenAndHowLong() {
        final Host host = host(AdmissionPolicy.deadDestination());
        final List<ConnectAttempt> first = List.of(host.connect(DEAD), host.connect(DEAD), host.connect(DEAD));
        host.advance(Duration.ofSeconds(21)); // XP's half-open timeout: the Host aborts them
        first.forEach(a -> assertEquals(AttemptState.TIMED_OUT, a.state()));

        final ConnectAttempt fourth = host.connect(DEAD);
        assertEquals(AttemptState.REJECTED, fourth.state(), "failed at once, without a slot");
        final DeadDestinationException e = assertInstanceOf(DeadDestinationException.class, host.failure(fourth));
        assertEquals(DEAD.getAddress(), e.destination());
        assertEquals(3, e.failures());
        assertEquals(Duration.ofMinutes(2), e.window());
        assertEquals(Duration.ofMinutes(5), e.ttl());
        assertEquals(Duration.ofMinutes(5), e.remaining());
        assertEquals("refused by the policy " + AdmissionPolicy.deadDestination().name() + ": destination 203.0.113.7"
                + " timed out or was unreachable 3 times within 120 s: attempts to it fail at once for 300 s (300 s"
                + " left) (remote /203.0.113.7:25, maxHalfOpen 10, 0 attempts waiting, waited 0 ms)", e.getMessage());
        assertEquals(0, host.halfOpen());
        assertEquals(1, host.events.size(), "one event for the mark: " + host.events);
        final DestinationMarkedDead marked = assertInstanceOf(DestinationMarkedDead.class, host.events.get(0));
        assertEquals(DEAD.getAddress(), marked.dead().destination());
        assertEquals(Duration.ofSeconds(21).toNanos(), marked.nanoTime());
    }

    @Test
    void icmpUnreachablesCountAndAResetOrAnEstablishedConnectionForgivesTheFailuresBeforeIt() {
        final Host host = host(AdmissionPolicy.deadDestination());
        failUnreachable(host, DEAD);
        failUnreachable(host, DEAD);
        assertTrue(host.connect(DEAD).refused(), "a reset: the host is there");
        failUnreachable(host, DEAD);
        failUnreachable(host, DEAD);
        assertTrue(host.connect(DEAD).established());
        failUnreachable(host, DEAD);
        failUnreachable(host, DEAD);
        assertTrue(host.granted(host.connect(DEAD)), "never three in a row");
        assertEquals(List.of(), host.events);
    }

    @Test
    void theWindowSlidesAndIncludesItsEnd() {
        final Host host = host(AdmissionPolicy.deadDestination().withWindow(Duration.ofSeconds(60)));
        failUnreachable(host, DEAD);               // 0 s
        host.advance(Duration.ofSeconds(50));
        failUnreachable(host, DEAD);               // 50 s
        host.advance(Duration.ofSeconds(50));
        failUnreachable(host, DEAD);               // 100 s: the oldest of the three is 100 s old
        host.advance(Duration.ofSeconds(10));
        failUnreachable(host, DEAD);               // 110 s: 50, 100, 110 lie within 60 s
        assertInstanceOf(DeadDestinationException.class, host.failure(host.connect(DEAD)));
    }

    @Test
    void afterTheTtlTheNextAttemptGoesAsAProbeAndTheSameCountMarksItAgain() {
        final Host host = host(AdmissionPolicy.deadDestination().withTtl(Duration.ofSeconds(30)));
        for (int i = 0; i < 3; i++) {
            failUnreachable(host, DEAD);
        }
        host.advance(Duration.ofSeconds(29));
        final DeadDestinationException late = assertInstanceOf(DeadDestinationException.class,
                host.failure(host.connect(DEAD)));
        assertEquals(Duration.ofSeconds(1), late.remaining());
        host.advance(Duration.ofSeconds(1));
        failUnreachable(host, DEAD); // the probe
        failUnreachable(host, DEAD);
        assertTrue(host.granted(host.connect(DEAD)), "two failures after the TTL are not three");
        // (that attempt is still half-open: report it as the third)
    }

    @Test
    void failuresOfAttemptsInFlightWhenItWasMarkedDoNotExtendTheMark() {
        final Host host = host(AdmissionPolicy.deadDestination().withTtl(Duration.ofSeconds(30)));
        final List<ConnectAttempt> inFlight = List.of(host.connect(DEAD), host.connect(DEAD), host.connect(DEAD),
                host.connect(DEAD), host.connect(DEAD));
        unreachable(inFlight.get(0));
        unreachable(inFlight.get(1));
        unreachable(inFlight.get(2)); // marked at 0 s
        host.advance(Duration.ofSeconds(20));
        unreachable(inFlight.get(3));
        unreachable(inFlight.get(4));
        host.advance(Duration.ofSeconds(10));
        assertTrue(host.granted(host.connect(DEAD)), "the mark ran out 30 s after it was made");
        assertEquals(1, host.events.size());
    }

    @Test
    void otherAddressesAreUnaffectedAndEveryPortOfADeadAddressIsDead() {
        final Host host = host(AdmissionPolicy.deadDestination());
        for (int i = 0; i < 3; i++) {
            failUnreachable(host, DEAD);
        }
        assertInstanceOf(DeadDestinationException.class, host.failure(host.connect(
                new InetSocketAddress(DEAD.getAddress(), 443))));
        assertTrue(host.granted(host.connect(ALIVE)));
    }

    @Test
    void localFailuresAndCancellationsTeachNothing() {
        final Host host = host(AdmissionPolicy.deadDestination().withFailures(2));
        for (int i = 0; i < 5; i++) {
            assertTrue(host.connect(DEAD).failed(new IOException("Too many open files")));
            assertTrue(host.connect(DEAD).cancel());
        }
        assertTrue(host.granted(host.connect(DEAD)));
    }

    @Test
    void theNegativeCacheIsBoundedAndForgetsTheDestinationTouchedLeastRecently() {
        final Host host = host(AdmissionPolicy.deadDestination().withCapacity(2));
        for (int i = 0; i < 3; i++) {
            failUnreachable(host, DEAD);
        }
        failUnreachable(host, Host.address(0, 20));
        failUnreachable(host, Host.address(0, 21)); // a third destination: the dead one, touched longest ago, goes
        final ConnectAttempt probe = host.connect(DEAD);
        assertTrue(host.granted(probe), "forgotten: the cache errs towards letting attempts go");
        assertNull(host.failure(probe));
    }

    @Test
    void anAttemptToADeadDestinationRefreshesItInTheCache() {
        final Host host = host(AdmissionPolicy.deadDestination().withCapacity(2));
        for (int i = 0; i < 3; i++) {
            failUnreachable(host, DEAD);
        }
        failUnreachable(host, Host.address(0, 20));
        assertInstanceOf(DeadDestinationException.class, host.failure(host.connect(DEAD))); // touched again
        failUnreachable(host, Host.address(0, 21)); // now 203.0.113.20 is the eldest
        assertInstanceOf(DeadDestinationException.class, host.failure(host.connect(DEAD)));
    }

    @Test
    void itNeverLetsMoreBeHalfOpenThanTheCapItIsWithin() {
        final Host host = host(AdmissionPolicy.deadDestination().within(AdmissionPolicy.halfOpenCap(2)));
        for (int i = 0; i < 6; i++) {
            host.connect(Host.address(0, 30 + i));
        }
        assertEquals(2, host.halfOpen());
        assertEquals(4, host.queued());
    }

    @Test
    void aBadParameterFailsAtOnceNamingIt() {
        final DeadDestinationPolicy policy = AdmissionPolicy.deadDestination();
        assertEquals("failures must be between 1 and 1000, was 0", assertThrows(PolicyParameterException.class,
                () -> policy.withFailures(0)).getMessage());
        assertEquals("window", assertThrows(PolicyParameterException.class,
                () -> policy.withWindow(Duration.ZERO)).parameter());
        assertEquals("ttl must be positive, was PT-1S", assertThrows(PolicyParameterException.class,
                () -> policy.withTtl(Duration.ofSeconds(-1))).getMessage());
        assertEquals("capacity", assertThrows(PolicyParameterException.class,
                () -> policy.withCapacity(0)).parameter());
        assertEquals("within", assertThrows(PolicyParameterException.class, () -> policy.within(null)).parameter());
    }

    @Test
    void itIsInTheRegistryWithItsDefaultsAndWritesItselfBack() {
        final PolicyRegistry registry = PolicyRegistry.builtIn();
        assertEquals(AdmissionPolicy.deadDestination(), registry.parse("deadDestination"));
        final AdmissionPolicy custom = AdmissionPolicy.deadDestination().withFailures(2).withTtl(Duration.ofMinutes(1))
                .within(AdmissionPolicy.halfOpenCap(4));
        assertEquals(custom, registry.parse("deadDestination(failures=2, ttl=1m, within=halfOpenCap(4))"));
        assertEquals(custom, registry.parse(custom.spec().orElseThrow()));
        assertEquals("deadDestination(failures=3, window=2m, ttl=5m, capacity=1024, within=halfOpenCap(maxHalfOpen=10))",
                AdmissionPolicy.deadDestination().name());
        final PolicySyntaxException bad = assertThrows(PolicySyntaxException.class,
                () -> registry.parse("deadDestination(failures=0)"));
        assertTrue(bad.getMessage().contains("failures must be between 1 and 1000, was 0"), bad.getMessage());
    }
}
