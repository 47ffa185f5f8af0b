package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.TimerWheel;
import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The half-open timer of an attempt on the limiter's own {@link TimerWheel} (its clock is the limiter's ticker): it
 * is armed from the grant's own clock reading ({@code TimerWheel.armAt}), not from a second one. Every other
 * limiter test runs on a {@link VirtualClock} as scheduler, which takes the other branch (the delay that remains
 * now); these specify the wheel's branch in virtual time: the deadline is one half-open timeout after the grant,
 * never counted from the attempt's creation, never early, at most one tick late, also for a grant delivered late
 * (deferred behind another owner's callback), and the listeners hear the slot's time from grant to end.
 */
@DisplayName("The half-open timer on the limiter's own wheel, in virtual time")
class HalfOpenTimerOnTheLimitersWheelTest {

    private static final Duration TICK = Duration.ofMillis(10);
    private static final Duration HALF_OPEN = Duration.ofSeconds(2);

    private final VirtualClock clock = new VirtualClock();
    private final TimerWheel wheel = TimerWheel.onClock(clock, TICK);
    private final HalfOpenLimiter limiter = HalfOpenLimiter.builder().ticker(clock).scheduler(wheel).maxHalfOpen(1)
            .halfOpenTimeout(HALF_OPEN).build();

    @Test
    void aQueuedAttemptGrantedLaterTimesOutOneHalfOpenTimeoutAfterItsGrantNotAfterItsCreation() {
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        final RecordingListener queued = new RecordingListener();
        final ConnectAttempt waiting = limiter.newAttempt(remote(2), queued);
        clock.advance(Duration.ofSeconds(3)); // longer than the half-open timeout: counted from creation, it is past
        holder.established();
        assertTrue(queued.wasGranted());

        clock.advance(HALF_OPEN.minusNanos(1));
        assertEquals(List.of(), queued.aborts, "aborted before one half-open timeout after its grant");
        assertEquals(AttemptState.HALF_OPEN, waiting.state());
        clock.advance(TICK.plusNanos(1));
        assertEquals(1, queued.aborts.size(), "not aborted one tick after its deadline");
        assertEquals(AttemptState.ABORTING, waiting.state());
    }

    @Test
    void aGrantDeliveredAfterAnotherOwnersCallbackStillTimesOutOneHalfOpenTimeoutAfterTheGrant() {
        final RecordingListener last = new RecordingListener();
        final List<Long> lastGrantDeliveredAt = new CopyOnWriteArrayList<>();
        final AttemptListener slow = new RecordingListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
                super.granted(attempt);
                attempt.established(); // grants the next waiter, whose delivery waits for this callback to return
                clock.advance(Duration.ofSeconds(1)); // a callback that takes a second of the limiter's clock
            }
        };
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        limiter.newAttempt(remote(2), slow);
        final ConnectAttempt third = limiter.newAttempt(remote(3), new RecordingListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
                lastGrantDeliveredAt.add(clock.nanoTime());
                last.granted(attempt);
            }

            @Override
            public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
                last.abort(attempt, cause);
            }
        });
        final long grantedAt = clock.nanoTime();
        holder.established(); // grants the slow owner, whose callback grants the third attempt at grantedAt

        assertEquals(List.of(grantedAt + TimeUnit.SECONDS.toNanos(1)), lastGrantDeliveredAt,
                "the third attempt's grant is delivered after the slow callback returned");
        assertEquals(Duration.ZERO, third.queueWait(), "its queue wait ends at the grant, not at the delivery");
        final long deadline = grantedAt + HALF_OPEN.toNanos();
        clock.advance(Duration.ofNanos(deadline - 1 - clock.nanoTime()));
        assertEquals(List.of(), last.aborts, "aborted before one half-open timeout after its grant");
        clock.advance(TICK.plusNanos(1));
        assertEquals(1, last.aborts.size(), "not aborted one tick after one half-open timeout after its grant");
    }

    @Test
    void theListenersHearTheSlotHeldFromTheGrantToTheEndAndTheWaitFromCreationToTheGrant() {
        final List<Duration[]> ended = new CopyOnWriteArrayList<>();
        limiter.addListener(new LimiterListener() {
            @Override
            public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait, final Duration halfOpen) {
                ended.add(new Duration[] {queueWait, halfOpen});
            }
        });
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        final ConnectAttempt waiting = limiter.newAttempt(remote(2), new RecordingListener());
        clock.advance(Duration.ofMillis(700));
        holder.established();
        clock.advance(Duration.ofMillis(300));
        waiting.refused();

        assertEquals(2, ended.size());
        assertEquals(Duration.ZERO, ended.get(0)[0]);
        assertEquals(Duration.ofMillis(700), ended.get(0)[1]);
        assertEquals(Duration.ofMillis(700), ended.get(1)[0]);
        assertEquals(Duration.ofMillis(300), ended.get(1)[1]);
        assertEquals(Duration.ofMillis(700), waiting.queueWait());
    }
}
