package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halfopen.time.VirtualClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A storm of instant refusals does not recurse one grant callback per queued attempt")
class GrantTrampolineTest {

    @Test
    void oneHundredThousandQueuedAttemptsThatEachFailInsideTheirGrantCallbackEndWithoutStackOverflow() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(new VirtualClock()).maxHalfOpen(1).build();
        final int attempts = 100_000;
        final AttemptListener refusedAtOnce = new RecordingListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
                if (attempt.remote().getPort() != 0) {
                    attempt.refused(); // frees the slot, which grants the next waiter on this thread
                }
            }
        };
        final ConnectAttempt first = limiter.newAttempt(remote(0), refusedAtOnce);
        for (int i = 1; i <= attempts; i++) {
            limiter.newAttempt(remote(i % 60000 + 1), refusedAtOnce);
        }
        assertEquals(attempts, limiter.stats().queued());

        first.refused();

        assertEquals(0, limiter.stats().queued());
        assertEquals(0, limiter.stats().halfOpen());
        assertEquals(attempts + 1, limiter.stats().refused());
    }
}
