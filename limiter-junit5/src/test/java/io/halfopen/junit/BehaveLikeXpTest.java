package io.halfopen.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.halfopen.jdk.HalfOpenSocketFactory;
import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.AttemptState;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.netty.HalfOpenLimitHandler;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.SessionLimitExceededException;
import io.halfopen.time.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension as a suite sees it: each example suite below (a static nested class, which neither surefire nor
 * the Jupiter engine runs by itself) is run through JUnit's {@link EngineTestKit}, and its events are the
 * specification, the failures included.
 */
@DisplayName("@BehaveLikeXp: XP's limiters by parameter, and a failed test for anything left half-open")
class BehaveLikeXpTest {

    static InetSocketAddress remote(final int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 7}), port);
        } catch (final UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static final AttemptListener OWNER = new AttemptListener() {
        @Override
        public void granted(final ConnectAttempt attempt) {
        }

        @Override
        public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
        }

        @Override
        public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
            attempt.aborted();
        }
    };

    static final List<Object> SEEN = new CopyOnWriteArrayList<>();

    private static Events run(final Class<?> suite) {
        SEEN.clear();
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute().testEvents();
    }

    private static Throwable onlyFailure(final Events events) {
        events.assertStatistics(stats -> stats.started(1).failed(1));
        return events.failed().stream().findFirst().orElseThrow().getPayload(TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
    }

    // ------------------------------------------------------------------------------------------ the parts

    @BehaveLikeXp
    static class AsksForEveryPart {
        @Test
        void parts(final HalfOpenLimiter limiter, final InboundSessionLimiter sessions,
                final HalfOpenLimitHandler handler, final HalfOpenSocketFactory sockets) {
            SEEN.addAll(List.of(limiter, sessions, handler, sockets));
        }
    }

    @Test
    void aTestGetsXpSp2sLimitersAndTheAdaptersOnItsOwnLimiter() {
        run(AsksForEveryPart.class).assertStatistics(stats -> stats.succeeded(1));
        final HalfOpenLimiter limiter = (HalfOpenLimiter) SEEN.get(0);
        assertEquals(10, limiter.maxHalfOpen());
        assertEquals(HalfOpenLimiter.XP_HALF_OPEN_TIMEOUT, limiter.halfOpenTimeout());
        assertEquals("parts(HalfOpenLimiter, InboundSessionLimiter, HalfOpenLimitHandler, HalfOpenSocketFactory)",
                limiter.name(), "named after the test");
        assertEquals(10, ((InboundSessionLimiter) SEEN.get(1)).maxSessions());
        assertSame(limiter, ((HalfOpenLimitHandler) SEEN.get(2)).limiter());
        assertSame(limiter, ((HalfOpenSocketFactory) SEEN.get(3)).limiter());
        assertTrue(limiter.isClosed(), "closed after the test");
    }

    @BehaveLikeXp
    static class TwoTests {
        @Test
        void first(final HalfOpenLimiter limiter) {
            SEEN.add(limiter);
            limiter.newAttempt(remote(1), OWNER).established();
        }

        @Test
        void second(final HalfOpenLimiter limiter) {
            SEEN.add(limiter);
            SEEN.add(limiter.stats().granted());
        }
    }

    @Test
    void eachTestGetsAFreshLimiter() {
        run(TwoTests.class).assertStatistics(stats -> stats.succeeded(2));
        assertNotSame(SEEN.get(0), SEEN.get(SEEN.size() - 2));
        assertTrue(SEEN.contains(0L), "the second test to run saw no attempt of the first");
    }

    @BehaveLikeXp(maxHalfOpen = 2, maxSessions = 5)
    static class Configured {
        @Test
        void classLevel(final HalfOpenLimiter limiter, final InboundSessionLimiter sessions) {
            SEEN.add(limiter.maxHalfOpen());
            for (int host = 2; host <= 6; host++) {
                sessions.admit(new InetSocketAddress("127.0.0." + host, 50_000));
            }
            SEEN.add(assertThrows(SessionLimitExceededException.class,
                    () -> sessions.admit(new InetSocketAddress("127.0.0.7", 50_000))).errorCode());
        }

        @Test
        @BehaveLikeXp(maxHalfOpen = 3)
        void methodLevel(final HalfOpenLimiter limiter) {
            SEEN.add("method " + limiter.maxHalfOpen());
        }
    }

    @Test
    void theLimitsAreSetOnTheClassAndAMethodsAnnotationOverridesIt() {
        run(Configured.class).assertStatistics(stats -> stats.succeeded(2));
        assertTrue(SEEN.containsAll(List.of(2, 71, "method 3")), SEEN.toString());
    }

    @BehaveLikeXp(virtualTime = true, maxHalfOpen = 1)
    static class InVirtualTime {
        @Test
        void halfOpenTimeout(final HalfOpenLimiter limiter, final VirtualClock clock) {
            final ConnectAttempt attempt = limiter.newAttempt(remote(1), OWNER);
            clock.advance(HalfOpenLimiter.XP_HALF_OPEN_TIMEOUT);
            SEEN.add(attempt.state());
        }
    }

    @Test
    void withVirtualTimeTheLimitersRunOnTheInjectedClock() {
        run(InVirtualTime.class).assertStatistics(stats -> stats.succeeded(1));
        assertEquals(List.of(AttemptState.TIMED_OUT), SEEN);
    }

    @BehaveLikeXp
    static class ClockWithoutVirtualTime {
        @Test
        void clock(final VirtualClock clock) {
        }
    }

    @Test
    void aVirtualClockWithoutVirtualTimeIsRefusedSayingWhy() {
        final Throwable failure = onlyFailure(run(ClockWithoutVirtualTime.class));
        assertTrue(failure.getMessage().contains("needs @BehaveLikeXp(virtualTime = true)"), failure.getMessage());
    }

    @BehaveLikeXp(parts = BehaveLikeXp.Parts.PER_CLASS)
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
    static class SharedParts {
        @Test
        void a(final HalfOpenLimiter limiter) {
            SEEN.add(limiter);
            limiter.newAttempt(remote(1), OWNER).established();
        }

        @Test
        void b(final HalfOpenLimiter limiter) {
            SEEN.add(limiter);
            SEEN.add(limiter.stats().granted());
            limiter.newAttempt(remote(2), OWNER);            // left half-open: this test fails, the class goes on
        }

        @Test
        void c(final HalfOpenLimiter limiter) {
            SEEN.add(limiter.isClosed());
        }
    }

    @Test
    void withPartsPerClassTheTestsShareOneLimiterAndEachIsStillChecked() {
        final Events events = run(SharedParts.class);
        events.assertStatistics(stats -> stats.started(3).succeeded(1).failed(2));
        final HalfOpenLimiter limiter = (HalfOpenLimiter) SEEN.get(0);
        assertSame(limiter, SEEN.get(1), "one limiter for the class");
        assertEquals(1L, SEEN.get(2), "the second test saw the first one's attempt");
        assertEquals(false, SEEN.get(3), "still open for the third test");
        assertEquals("BehaveLikeXpTest$SharedParts", limiter.name(), "named after the class (its display name)");
        assertTrue(limiter.isClosed(), "closed after the class");
        assertEquals(2, events.failed().count(), "b left its attempt half-open, and c inherited it");
    }

    @BehaveLikeXp
    static class PerClassOnAMethod {
        @Test
        @BehaveLikeXp(parts = BehaveLikeXp.Parts.PER_CLASS)
        void misplaced(final HalfOpenLimiter limiter) {
        }
    }

    @Test
    void partsPerClassOnAMethodIsRefusedSayingWhereItBelongs() {
        final Throwable failure = onlyFailure(run(PerClassOnAMethod.class));
        assertTrue(failure.getMessage().startsWith("@BehaveLikeXp(parts = PER_CLASS) belongs on the class"),
                failure.getMessage());
    }

    // ------------------------------------------------------------------------------ tests that must fail

    @BehaveLikeXp
    static class LeavesAnAttemptHalfOpen {
        @Test
        void forgetsTheOutcome(final HalfOpenLimiter limiter) {
            limiter.newAttempt(remote(1), OWNER);
        }
    }

    @Test
    void aTestThatLeavesAnAttemptHalfOpenFailsWithTheLimitersStats() {
        final Throwable failure = onlyFailure(run(LeavesAnAttemptHalfOpen.class));
        assertTrue(failure instanceof AssertionError, failure.toString());
        assertTrue(failure.getMessage().startsWith("at the end of the test 1 attempt(s) were still half-open and 0"
                + " queued: an owner never reported an outcome"), failure.getMessage());
        assertTrue(failure.getMessage().contains("Limiter 'forgetsTheOutcome(HalfOpenLimiter)': LimiterStats["
                + "maxHalfOpen=10, halfOpen=1, queued=0"), failure.getMessage());
    }

    @BehaveLikeXp(maxHalfOpen = 1)
    static class LeavesAnAttemptQueued {
        @Test
        void queuesBehindItsOwnAttempt(final HalfOpenLimiter limiter) {
            limiter.newAttempt(remote(1), OWNER);
            limiter.newAttempt(remote(2), OWNER);
        }
    }

    @Test
    void aTestThatLeavesAnAttemptQueuedFails() {
        final Throwable failure = onlyFailure(run(LeavesAnAttemptQueued.class));
        assertTrue(failure.getMessage().contains("1 attempt(s) were still half-open and 1 queued"),
                failure.getMessage());
    }

    @BehaveLikeXp
    static class FailsItself {
        @Test
        void assertionFails(final HalfOpenLimiter limiter) {
            limiter.newAttempt(remote(1), OWNER).refused();
            assertEquals(1, limiter.stats().established(), "the test's own assertion");
        }
    }

    @Test
    void aFailingTestGetsTheLimitersStatsBesideItsOwnFailure() {
        final Throwable failure = onlyFailure(run(FailsItself.class));
        assertTrue(failure.getMessage().startsWith("the test's own assertion"), failure.getMessage());
        assertEquals(1, failure.getSuppressed().length);
        assertTrue(failure.getSuppressed()[0].getMessage().startsWith("halfopen limiter 'assertionFails(HalfOpenLimiter)'"
                + " at the failure: LimiterStats[maxHalfOpen=10, halfOpen=0, queued=0"),
                failure.getSuppressed()[0].getMessage());
        assertTrue(failure.getSuppressed()[0].getMessage().contains("refused=1"));
    }

    @BehaveLikeXp
    static class AsksForNothing {
        @Test
        void plain() {
        }
    }

    @Test
    void aTestThatAsksForNothingIsNotChecked() {
        run(AsksForNothing.class).assertStatistics(stats -> stats.succeeded(1));
    }
}
