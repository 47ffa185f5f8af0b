package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An owner's own scheduler for the half-open timer (newAttempt with halfOpenTimers)")
class OwnerHalfOpenTimersTest {

    private final VirtualClock limiterClock = new VirtualClock();
    private final VirtualClock ownerTimers = new VirtualClock();
    private final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(limiterClock).maxHalfOpen(1)
            .halfOpenTimeout(Duration.ofSeconds(2)).queueTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theHalfOpenTimerIsArmedOnTheOwnersSchedulerNotTheLimiters() {
        final RecordingListener owner = new RecordingListener();
        final ConnectAttempt attempt = limiter.newAttempt(remote(1), owner, ownerTimers);

        assertEquals(1, ownerTimers.pendingTasks(), "the half-open timer is the owner's");
        assertEquals(0, limiterClock.pendingTasks(), "the limiter's scheduler armed nothing");
        limiterClock.advance(Duration.ofSeconds(10));
        assertEquals(AttemptState.HALF_OPEN, attempt.state(), "the limiter's clock does not fire it");

        ownerTimers.advance(Duration.ofSeconds(2));
        assertEquals(AttemptState.ABORTING, attempt.state(), "the owner's scheduler fires it");
        assertTrue(attempt.aborted());
        assertEquals(0, limiter.stats().halfOpen());
    }

    @Test
    void anOutcomeCancelsTheTimerOnTheOwnersScheduler() {
        final ConnectAttempt attempt = limiter.newAttempt(remote(1), new RecordingListener(), ownerTimers);
        assertTrue(attempt.established());
        ownerTimers.advance(Duration.ofSeconds(3));
        assertEquals(AttemptState.ESTABLISHED, attempt.state());
        assertEquals(0, ownerTimers.pendingTasks(), "cancelled, and dropped");
    }

    @Test
    void aQueuedAttemptArmsItsHalfOpenTimerOnTheOwnersSchedulerWhenGrantedAndItsQueueTimerOnTheLimiters() {
        final ConnectAttempt first = limiter.newAttempt(remote(1), new RecordingListener(), ownerTimers);
        final ConnectAttempt second = limiter.newAttempt(remote(2), new RecordingListener(), ownerTimers);
        assertEquals(AttemptState.QUEUED, second.state());
        assertEquals(1, limiterClock.pendingTasks(), "the queue timer stays on the limiter's scheduler");

        assertTrue(first.refused());
        assertEquals(AttemptState.HALF_OPEN, second.state());
        assertEquals(1, ownerTimers.pendingTasks(), "the granted attempt's half-open timer");
        ownerTimers.advance(Duration.ofSeconds(2));
        assertEquals(AttemptState.ABORTING, second.state());
    }

    @Test
    void aNullSchedulerIsRejectedByName() {
        final NullPointerException e = assertThrows(NullPointerException.class,
                () -> limiter.newAttempt(remote(1), new RecordingListener(), null));
        assertEquals("halfOpenTimers", e.getMessage());
        assertEquals(0, limiter.stats().halfOpen(), "nothing was started");
    }

    @Test
    void onlyALimiterWithoutClockOrSchedulerUsesTheSystemScheduler() {
        assertTrue(HalfOpenLimiter.builder().build().usesSystemScheduler());
        assertTrue(HalfOpenLimiter.xpSp2().usesSystemScheduler());
        assertFalse(limiter.usesSystemScheduler());
    }
}
