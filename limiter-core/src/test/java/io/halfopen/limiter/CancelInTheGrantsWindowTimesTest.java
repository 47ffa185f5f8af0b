package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.Ticker;
import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The owner's {@code cancel()} that wins the attempt in the window between a hand-off's compare-and-set to
 * {@code HALF_OPEN} and that grant's clock reading (the race {@link CancelRacingGrantStressTest} runs at random):
 * the listeners must hear sane times, not the arithmetic of the "not yet granted" sentinel. Made deterministic by a
 * ticker that holds the granting thread inside the grant's own clock reading (a {@code tryAdmit} frame on the
 * stack) while the owner cancels.
 */
@DisplayName("A cancel that wins between a grant and its clock reading")
class CancelInTheGrantsWindowTimesTest {

    /** A virtual clock read through a ticker that can hold the thread that reads it for a grant. */
    private static final class GrantHoldingTicker implements Ticker {
        final VirtualClock clock;
        volatile boolean holdGrants;
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        GrantHoldingTicker(final VirtualClock clock) {
            this.clock = clock;
        }

        @Override
        public long nanoTime() {
            if (holdGrants && StackWalker.getInstance().walk(frames -> frames.anyMatch(
                    f -> f.getMethodName().equals("tryAdmit")
                            && f.getClassName().equals(DefaultConnectAttempt.class.getName())))) {
                holdGrants = false;
                held.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return clock.nanoTime();
        }
    }

    @Test
    void theListenersHearAQueueWaitNoLongerThanTheAttemptsLifeAndNoNegativeOrHugeSlotTime() throws Exception {
        // a clock that does not start at 0: the sentinel's arithmetic wraps to about 292 years of queue wait
        final VirtualClock clock = new VirtualClock(TimeUnit.SECONDS.toNanos(1_000));
        final GrantHoldingTicker ticker = new GrantHoldingTicker(clock);
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().ticker(ticker).scheduler(clock).maxHalfOpen(1)
                .build();
        final List<Duration[]> ended = new CopyOnWriteArrayList<>();
        limiter.addListener(new LimiterListener() {
            @Override
            public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait, final Duration halfOpen) {
                if (attempt.remote().equals(remote(2))) {
                    ended.add(new Duration[] {queueWait, halfOpen});
                }
            }
        });
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        final ConnectAttempt waiting = limiter.newAttempt(remote(2), new RecordingListener());
        clock.advance(Duration.ofMillis(250)); // it waited 250 ms when the slot comes

        ticker.holdGrants = true;
        final Thread releaser = new Thread(holder::established, "releaser");
        releaser.start();
        assertTrue(ticker.held.await(30, TimeUnit.SECONDS), "the hand-off never read the clock for its grant");
        final boolean cancelled;
        try {
            cancelled = waiting.cancel(); // wins: the attempt is HALF_OPEN, its grant's time not yet written
        } finally {
            ticker.release.countDown();
        }
        releaser.join(TimeUnit.SECONDS.toMillis(30));

        assertTrue(cancelled, "the cancel did not win the attempt: the test did not reach the window");
        assertEquals(AttemptState.CANCELLED, waiting.state());
        assertEquals(1, ended.size());
        assertEquals(Duration.ofMillis(250), ended.get(0)[0], "queue wait heard by the listeners");
        assertEquals(Duration.ZERO, ended.get(0)[1], "slot time heard by the listeners");
    }
}
