package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.fixture.LockedFifoCapPolicy;
import io.halfopen.policy.Admission;
import io.halfopen.policy.AdmissionGate;
import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.policy.AdmissionTicket;
import io.halfopen.policy.Outcome;
import io.halfopen.policy.PolicyContext;
import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the limiter tells a gate and its listeners, through the seam: each outcome, refusals, close once, and
 * durations measured on a clock that does not start at zero.
 */
@DisplayName("The limiter keeps its side of the seam: outcomes, refusals, close, durations")
class PolicySeamThroughTheLimiterTest {

    private static final long START = 1_000_000_000_000L; // a clock that does not start at zero

    /** XP's cap for one slot, recording what the limiter tells it; refuses port 666. */
    static final class RecordingPolicy implements AdmissionPolicy {
        final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger exitsOfRefused = new AtomicInteger();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public int maxHalfOpen() {
            return 1;
        }

        @Override
        public AdmissionGate newGate(final PolicyContext context) {
            final AdmissionGate cap = AdmissionPolicy.halfOpenCap(1).newGate(context);
            return new AdmissionGate() {
                @Override
                public Admission enter(final AdmissionTicket ticket) {
                    return ticket.remote().getPort() == 666 ? Admission.refused("port 666 is cursed")
                            : cap.enter(ticket);
                }

                @Override
                public void exit(final AdmissionTicket ticket, final Outcome outcome) {
                    if (ticket.remote().getPort() == 666) {
                        exitsOfRefused.incrementAndGet();
                    }
                    outcomes.add(outcome);
                    cap.exit(ticket, outcome);
                }

                @Override
                public int halfOpen() {
                    return cap.halfOpen();
                }

                @Override
                public int peakHalfOpen() {
                    return cap.peakHalfOpen();
                }

                @Override
                public void forEachQueued(final Consumer<? super AdmissionTicket> action) {
                    cap.forEachQueued(action);
                }

                @Override
                public void close() {
                    closes.incrementAndGet();
                }
            };
        }
    }

    private final VirtualClock clock = new VirtualClock(START);
    private final RecordingPolicy policy = new RecordingPolicy();
    private final List<String> ended = new CopyOnWriteArrayList<>();
    private final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).policy(policy)
            .queueTimeout(Duration.ofSeconds(10)).halfOpenTimeout(Duration.ofSeconds(5))
            .listener(new LimiterListener() {
                @Override
                public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait,
                        final Duration halfOpen) {
                    ended.add(attempt.remote().getPort() + " " + attempt.state() + " waited " + queueWait
                            + " half-open " + halfOpen);
                }
            }).build();

    @Test
    void theGateLearnsEveryOutcomeAndTheListenersEveryDuration() {
        final ConnectAttempt first = limiter.newAttempt(remote(1), new RecordingListener());
        final ConnectAttempt second = limiter.newAttempt(remote(2), new RecordingListener());
        assertEquals(2, clock.pendingTasks(), "the first one's half-open timer, the second one's queue timer");
        clock.advance(Duration.ofSeconds(2));
        assertTrue(first.established());
        assertEquals(AttemptState.HALF_OPEN, second.state());
        assertEquals(Duration.ofSeconds(2), second.queueWait());
        assertEquals(1, clock.pendingTasks(), "the grant cancelled the queue timer; its half-open timer runs");
        clock.advance(Duration.ofSeconds(3));
        assertTrue(second.refused());
        final ConnectAttempt third = limiter.newAttempt(remote(3), new RecordingListener());
        assertTrue(third.failed(new java.io.IOException("unreachable")));
        final ConnectAttempt fourth = limiter.newAttempt(remote(4), new RecordingListener());
        clock.advance(Duration.ofSeconds(5));
        assertTrue(fourth.aborted());
        final ConnectAttempt fifth = limiter.newAttempt(remote(5), new RecordingListener());
        assertTrue(fifth.cancel());

        assertEquals(List.of(Outcome.ESTABLISHED, Outcome.REFUSED, Outcome.FAILED, Outcome.TIMED_OUT,
                Outcome.CANCELLED), policy.outcomes);
        assertEquals(List.of("1 ESTABLISHED waited PT0S half-open PT2S", "2 REFUSED waited PT2S half-open PT3S",
                "3 FAILED waited PT0S half-open PT0S", "4 TIMED_OUT waited PT0S half-open PT5S",
                "5 CANCELLED waited PT0S half-open PT0S"), ended);
        assertEquals(5, limiter.stats().granted());
        assertEquals(0, clock.pendingTasks());
    }

    @Test
    void theHalfOpenDeadlineCountsFromTheGrant() {
        final ConnectAttempt first = limiter.newAttempt(remote(1), new RecordingListener());
        final RecordingListener owner = new RecordingListener();
        final ConnectAttempt second = limiter.newAttempt(remote(2), owner);
        clock.advance(Duration.ofSeconds(2));
        first.established(); // grants the second at START + 2 s: its deadline is START + 7 s
        clock.advance(Duration.ofMillis(4999));
        assertEquals(AttemptState.HALF_OPEN, second.state());
        clock.advance(Duration.ofMillis(1));
        assertEquals(AttemptState.ABORTING, second.state());
        assertEquals(1, owner.aborts.size());
    }

    @Test
    void anAttemptThePolicyRefusesFailsAtOnceWithThePolicysReason() {
        final RecordingListener owner = new RecordingListener();
        final ConnectAttempt refused = limiter.newAttempt(remote(666), owner);
        assertEquals(AttemptState.REJECTED, refused.state());
        final PolicyRefusedException e = assertInstanceOf(PolicyRefusedException.class, owner.failures.get(0));
        assertEquals("recording", e.policy());
        assertEquals("port 666 is cursed", e.reason());
        assertTrue(e.getMessage().startsWith("refused by the policy recording: port 666 is cursed"), e.getMessage());
        assertEquals(1, limiter.stats().rejected());
        assertEquals(0, limiter.stats().halfOpen());
        assertEquals(0, policy.exitsOfRefused.get(), "the gate never hears of a refused ticket again");
        assertEquals(List.of("666 REJECTED waited PT0S half-open PT0S"), ended);
    }

    @Test
    void closingTwiceClosesTheGateOnce() {
        limiter.close();
        limiter.close();
        assertEquals(1, policy.closes.get());
        assertTrue(limiter.isClosed());
    }

    /**
     * A gate may run {@code forEachQueued}'s action under its own lock, while iterating: the limiter collects the
     * waiters first and fails them after it returns. Before, the action withdrew each ticket from the very gate
     * it was iterating: close() threw ConcurrentModificationException after the first waiter, the others were
     * never failed and the gate was never closed.
     */
    @Test
    void closeFailsEveryQueuedAttemptOfAGateThatRunsForEachQueuedsActionUnderItsLock() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(new VirtualClock())
                .policy(new LockedFifoCapPolicy(1, LockedFifoCapPolicy.Flaw.ITERATES_UNDER_ITS_LOCK))
                .limitEvents(LimitEventMode.NEVER).build();
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        final List<RecordingListener> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            final RecordingListener owner = new RecordingListener();
            waiters.add(owner);
            assertEquals(AttemptState.QUEUED, limiter.newAttempt(remote(2 + i), owner).state());
        }
        assertFalse(limiter.isClosed());
        assertDoesNotThrow(limiter::close, "close() threw out of the gate's forEachQueued");
        assertTrue(limiter.isClosed());
        for (final RecordingListener owner : waiters) {
            assertEquals(1, owner.failures.size(), "every queued attempt fails on close, once");
            assertInstanceOf(LimiterClosedException.class, owner.failures.get(0));
        }
        assertEquals(0, limiter.stats().queued());
        assertTrue(holder.established());
        assertEquals(0, limiter.stats().halfOpen());
    }
}
