package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halfopen.time.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Queued attempts are granted strictly in arrival order")
class FifoQueueTest {

    private static final int K = 200;

    private final VirtualClock clock = new VirtualClock();
    private final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).build();
    private final List<Integer> grantOrder = new CopyOnWriteArrayList<>();

    private ConnectAttempt attempt(final int port) {
        return limiter.newAttempt(remote(port), new RecordingListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
                grantOrder.add(attempt.remote().getPort());
            }
        });
    }

    @Test
    void withOneSlotAndKQueuedAttemptsGrantsComeInArrivalOrder() {
        final List<ConnectAttempt> attempts = new ArrayList<>();
        for (int port = 0; port <= K; port++) {
            attempts.add(attempt(port));
        }
        for (final ConnectAttempt attempt : attempts) {
            attempt.established();
        }
        final List<Integer> expected = new ArrayList<>();
        for (int port = 0; port <= K; port++) {
            expected.add(port);
        }
        assertEquals(expected, grantOrder);
    }

    @Test
    void cancellationsInTheMiddleOfTheQueueKeepTheOrderOfTheOthers() {
        final List<ConnectAttempt> attempts = new ArrayList<>();
        for (int port = 0; port <= K; port++) {
            attempts.add(attempt(port));
        }
        final List<Integer> expected = new ArrayList<>();
        expected.add(0);
        for (int port = 1; port <= K; port++) {
            if (port % 3 == 0 || port % 7 == 0) {
                attempts.get(port).cancel();
            } else {
                expected.add(port);
            }
        }
        // Each refusal grants the next live attempt synchronously, so one pass in order ends them all.
        for (final ConnectAttempt attempt : attempts) {
            if (attempt.state().holdsSlot()) {
                attempt.refused();
            }
        }
        assertEquals(expected, grantOrder);
        assertEquals(0, limiter.stats().queued());
        assertEquals(0, limiter.stats().halfOpen());
    }

    @Test
    void aNewcomerNeverBargesPastAnOlderWaiterEvenWhenASlotJustFreed() {
        final ConnectAttempt holder = attempt(0);
        attempt(1);
        holder.established();          // hands the slot to port 1, not to whoever comes next
        final ConnectAttempt newcomer = attempt(2);
        assertEquals(AttemptState.QUEUED, newcomer.state());
        assertEquals(List.of(0, 1), grantOrder);
    }
}
