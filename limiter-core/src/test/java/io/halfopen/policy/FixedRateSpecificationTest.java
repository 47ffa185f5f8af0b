package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The fixed-rate release (XP's queue "resolved at a fixed rate"), through the real limiter in virtual time:
 * queued attempts leave no faster than one per interval and only into a free slot; attempts that find a free
 * slot and nobody waiting go at once; no timer runs while no slot is free.
 */
@DisplayName("fixedRate: queued attempts leave one per interval, only into a free slot")
class FixedRateSpecificationTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void attemptsThatFindAFreeSlotAndNobodyWaitingGoAtOnceUnpaced() {
        final Host host = new Host(AdmissionPolicy.fixedRate(SECOND).within(AdmissionPolicy.halfOpenCap(3)));
        final List<ConnectAttempt> three = host.connect(3, 1);
        assertEquals(List.of(0L, 0L, 0L), host.grantTimesMillis(three));
        three.forEach(ConnectAttempt::established);
        assertEquals(List.of(0L, 0L), host.grantTimesMillis(host.connect(2, 2)), "still unpaced: nobody waits");
    }

    @Test
    void queuedAttemptsLeaveNoFasterThanOnePerIntervalWhenSlotsAreFree() {
        final Host host = new Host(AdmissionPolicy.fixedRate(SECOND).within(AdmissionPolicy.halfOpenCap(2)));
        final List<ConnectAttempt> attempts = host.connect(6, 1);
        attempts.get(0).established();
        attempts.get(1).established(); // both slots free at 0 s, four waiting
        assertEquals(List.of(0L, 0L, 0L, -1L, -1L, -1L), host.grantTimesMillis(attempts),
                "the first release after a quiet interval goes at once, into the freed slot");
        host.advanceMillis(999);
        assertEquals(-1L, host.grantedAtMillis(attempts.get(3)), "not before the interval is over");
        host.advanceMillis(1);
        assertEquals(1000L, host.grantedAtMillis(attempts.get(3)));
        host.advanceMillis(5000);
        assertEquals(-1L, host.grantedAtMillis(attempts.get(4)), "no slot free: the rate gives no slot");
        assertEquals(2, host.halfOpen());
    }

    @Test
    void aSlotThatFreesAfterTheIntervalReleasesAtOnceAndNoTimerRunsWhileTheCapIsFull() {
        final Host host = new Host(AdmissionPolicy.fixedRate(SECOND).within(AdmissionPolicy.halfOpenCap(1)));
        final ConnectAttempt holder = host.connect(1);
        final ConnectAttempt waiting = host.connect(2);
        final ConnectAttempt next = host.connect(3);
        assertEquals(1, host.clock.pendingTasks(), "the holder's half-open timer and nothing else: the gate waits"
                + " for an exit, not for a tick");
        host.advanceMillis(3500);
        holder.refused();
        assertEquals(3500L, host.grantedAtMillis(waiting), "the last release is long ago: the freed slot is taken at"
                + " once, not at the next tick");
        waiting.established();
        assertEquals(-1L, host.grantedAtMillis(next), "a slot is free, but the last release was just now");
        host.advanceMillis(1000);
        assertEquals(4500L, host.grantedAtMillis(next));
    }

    @Test
    void ordersAreKeptFirstInFirstOut() {
        final Host host = new Host(AdmissionPolicy.fixedRate(Duration.ofMillis(100)).within(
                AdmissionPolicy.halfOpenCap(1)));
        final List<ConnectAttempt> attempts = host.connect(20, 7);
        for (int i = 0; i < attempts.size(); i++) {
            host.advanceMillis(100);
            attempts.get(i).established();
        }
        host.advanceMillis(100);
        assertEquals(attempts, host.grantOrder());
    }

    @Test
    void theXpProfileTakesTheRateAsAnOptionByNameAndInTheBuilder() {
        final PolicyRegistry registry = PolicyRegistry.builtIn();
        assertEquals(AdmissionPolicy.halfOpenCap(10), registry.parse("xp"));
        assertEquals(AdmissionPolicy.fixedRate(SECOND), registry.parse("xp(releaseInterval=1s)"));
        assertEquals(AdmissionPolicy.fixedRate(SECOND).within(AdmissionPolicy.halfOpenCap(4)),
                registry.parse("xp(4, 1s)"));
        assertEquals("fixedRate(interval=1s, within=halfOpenCap(maxHalfOpen=10))",
                AdmissionPolicy.fixedRate(SECOND).name());
        assertEquals("xp: releaseInterval must not be negative, was PT-1S", assertThrows(PolicySyntaxException.class,
                () -> registry.parse("xp(releaseInterval=-1s)")).reason());

        final Host host = new Host(AdmissionPolicy.halfOpenCap(1), b -> b.releaseAtFixedRate(SECOND));
        final ConnectAttempt holder = host.connect(1);
        final ConnectAttempt first = host.connect(2);
        final ConnectAttempt second = host.connect(3);
        holder.established();
        first.established();
        assertEquals(List.of(0L, 0L, -1L), host.grantTimesMillis(List.of(holder, first, second)));
        host.advance(SECOND);
        assertEquals(1000L, host.grantedAtMillis(second));
        assertEquals("releaseAtFixedRate must be positive, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> HalfOpenLimiter.builder().releaseAtFixedRate(Duration.ZERO)).getMessage());
    }

    @Test
    void aBadIntervalFailsAtOnceNamingIt() {
        final PolicyParameterException e = assertThrows(PolicyParameterException.class,
                () -> AdmissionPolicy.fixedRate(Duration.ofSeconds(-1)));
        assertEquals("interval", e.parameter());
        assertEquals("interval must be positive, was PT-1S", e.getMessage());
        assertEquals("within", assertThrows(PolicyParameterException.class,
                () -> AdmissionPolicy.fixedRate(SECOND).within(null)).parameter());
    }
}
