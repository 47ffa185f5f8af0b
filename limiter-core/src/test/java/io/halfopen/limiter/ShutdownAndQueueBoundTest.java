package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.loopback;
import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.time.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Shutdown, the bounded queue, loopback exemption and the unlimited policy")
class ShutdownAndQueueBoundTest {

    private final VirtualClock clock = new VirtualClock();

    @Test
    void closeFailsEveryQueuedAttemptAndEveryLaterOneButLeavesHalfOpenOnesToTheirOwners() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).name("mx-out").build();
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        final List<RecordingListener> waiters = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            final RecordingListener owner = new RecordingListener();
            waiters.add(owner);
            limiter.newAttempt(remote(10 + i), owner);
        }
        limiter.close();

        for (final RecordingListener owner : waiters) {
            assertEquals(1, owner.failures.size());
            final LimiterClosedException e = assertInstanceOf(LimiterClosedException.class, owner.failures.get(0));
            assertTrue(e.getMessage().contains("mx-out"), e.getMessage());
        }
        assertEquals(0, limiter.stats().queued());
        assertEquals(AttemptState.HALF_OPEN, holder.state());

        final RecordingListener late = new RecordingListener();
        final ConnectAttempt after = limiter.newAttempt(remote(2), late);
        assertEquals(AttemptState.REJECTED, after.state());
        assertInstanceOf(LimiterClosedException.class, late.failures.get(0));

        assertTrue(holder.established());
        assertEquals(0, limiter.stats().halfOpen());
        assertTrue(limiter.isClosed());
        assertEquals(101, limiter.stats().rejected());
    }

    @Test
    void aBoundedQueueRejectsTheAttemptThatWouldExceedIt() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).maxQueued(2).build();
        limiter.newAttempt(remote(1), new RecordingListener());
        limiter.newAttempt(remote(2), new RecordingListener());
        limiter.newAttempt(remote(3), new RecordingListener());
        final RecordingListener owner = new RecordingListener();
        final ConnectAttempt rejected = limiter.newAttempt(remote(4), owner);

        assertEquals(AttemptState.REJECTED, rejected.state());
        final QueueFullException e = assertInstanceOf(QueueFullException.class, owner.failures.get(0));
        assertEquals(2, e.maxQueued());
        assertEquals(2, e.queued());
        assertTrue(e.getMessage().contains("queue full: maxQueued is 2"), e.getMessage());
        assertTrue(e.getMessage().contains("2 attempts waiting"), e.getMessage());
        assertEquals(2, limiter.stats().queued());
        assertEquals(1, limiter.stats().rejected());
    }

    @Test
    void maxQueuedZeroMeansRefuseAtOnceWhenEverySlotIsTaken() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).maxQueued(0).build();
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        assertEquals(AttemptState.REJECTED, limiter.newAttempt(remote(2), new RecordingListener()).state());
        holder.established();
        assertEquals(AttemptState.HALF_OPEN, limiter.newAttempt(remote(3), new RecordingListener()).state(),
                "the rejected attempt left no trace in the semaphore");
        assertEquals(0, limiter.stats().queued());
    }

    @Test
    void loopbackIsCountedByDefaultAndExemptWhenAskedTo() {
        final HalfOpenLimiter counted = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).build();
        counted.newAttempt(loopback(1), new RecordingListener());
        assertEquals(AttemptState.QUEUED, counted.newAttempt(loopback(2), new RecordingListener()).state());

        final HalfOpenLimiter exempt = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).exemptLoopback(true)
                .build();
        final List<ConnectAttempt> attempts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            attempts.add(exempt.newAttempt(loopback(i), new RecordingListener()));
        }
        assertTrue(attempts.stream().allMatch(a -> a.state() == AttemptState.HALF_OPEN));
        assertEquals(0, exempt.stats().halfOpen(), "exempt attempts take no slot");
        assertEquals(AttemptState.HALF_OPEN, exempt.newAttempt(remote(1), new RecordingListener()).state());
        attempts.forEach(ConnectAttempt::established);
        assertEquals(1, exempt.stats().halfOpen());
    }

    @Test
    void theUnlimitedPolicyNeverQueuesButStillCounts() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).policy(AdmissionPolicy.unlimited())
                .build();
        final List<ConnectAttempt> attempts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            attempts.add(limiter.newAttempt(remote(i), new RecordingListener()));
        }
        assertEquals(1000, limiter.stats().halfOpen());
        assertEquals(1000, limiter.stats().peakHalfOpen());
        assertEquals(0, limiter.stats().throttled());
        attempts.forEach(ConnectAttempt::refused);
        assertEquals(0, limiter.stats().halfOpen());
        assertEquals(Integer.MAX_VALUE, limiter.stats().maxHalfOpen());
        assertFalse(limiter.toString().isEmpty());
    }

    @Test
    void peaksAreKept() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(3).build();
        final List<ConnectAttempt> attempts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            attempts.add(limiter.newAttempt(remote(i), new RecordingListener()));
        }
        for (final ConnectAttempt attempt : attempts) {
            if (attempt.state() == AttemptState.QUEUED) {
                attempt.cancel();
            } else {
                attempt.refused();
            }
        }
        final LimiterStats stats = limiter.stats();
        assertEquals(3, stats.peakHalfOpen());
        assertEquals(4, stats.peakQueued());
        assertEquals(0, stats.halfOpen());
        assertEquals(0, stats.queued());
    }
}
