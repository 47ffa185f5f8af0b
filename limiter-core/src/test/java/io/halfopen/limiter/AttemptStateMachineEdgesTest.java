package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The attempt's state machine at the edges where someone else's code runs in the middle of a transition: a
 * scheduler that ends or grants the attempt while it arms or cancels a timer, a limit-event listener that
 * frees a slot or closes the limiter while the attempt is being counted into the queue, and clocks that did not
 * start at zero. All in virtual time, on one thread, so each interleaving is exact. Each test was written
 * against a PIT survivor (MUTATION.md): it fails with that mutant and passes on the code.
 */
@DisplayName("DefaultConnectAttempt: transitions that others' callbacks interrupt, and durations on any clock")
class AttemptStateMachineEdgesTest {

    private static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(10);
    private static final long START = TimeUnit.SECONDS.toNanos(1_000); // a clock that did not start at zero

    private final VirtualClock clock = new VirtualClock(START);

    /**
     * The limiter's scheduler, on {@link #clock}, with one-shot hooks: {@code onNextSchedule} runs inside the
     * next {@code schedule} call before the timer is armed, {@code onNextCancel} inside the next timer's
     * {@code cancel}. A scheduler that calls back into the limiter is legal; these hooks make that exact.
     */
    private final class HookedScheduler implements Scheduler {
        Runnable onNextSchedule;
        Runnable onNextCancel;

        @Override
        public Cancellable schedule(final Runnable task, final long delay, final TimeUnit unit) {
            final Runnable hook = onNextSchedule;
            onNextSchedule = null;
            if (hook != null) {
                hook.run();
            }
            final Cancellable timer = clock.schedule(task, delay, unit);
            return () -> {
                final Runnable cancelHook = onNextCancel;
                onNextCancel = null;
                if (cancelHook != null) {
                    cancelHook.run();
                }
                timer.cancel();
            };
        }
    }

    private final HookedScheduler scheduler = new HookedScheduler();

    private HalfOpenLimiter limiter(final int maxHalfOpen, final LimiterListener listener) {
        final HalfOpenLimiterBuilder builder = HalfOpenLimiter.builder().ticker(clock).scheduler(scheduler)
                .maxHalfOpen(maxHalfOpen).queueTimeout(QUEUE_TIMEOUT);
        if (listener != null) {
            builder.listener(listener);
        }
        return builder.build();
    }

    @Test
    void aQueueTimerArmedWhileAHandOffGrantsTheAttemptIsCancelledAtOnce() {
        final HalfOpenLimiter limiter = limiter(1, null);
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        final RecordingListener owner = new RecordingListener();
        scheduler.onNextSchedule = holder::established; // the queue timer is being armed: the slot frees

        final ConnectAttempt waiter = limiter.newAttempt(remote(2), owner);

        assertEquals(List.of(waiter), owner.granted);
        assertEquals(AttemptState.HALF_OPEN, waiter.state());
        assertEquals(List.of(START + TimeUnit.SECONDS.toNanos(21)), clock.pendingDeadlines(),
                "only the waiter's half-open timer is pending: its queue timer was cancelled once armed");
    }

    /**
     * A scheduler whose cancel throws (the simulator's event loop refuses a disarm from a thread other than its
     * own) must not cost the limiter its slot: the end's throwable reaches the reporting owner, and the slot, the
     * counters and the next waiter's grant are as if the cancel had returned.
     */
    @Test
    void anEndWhoseTimerCancelThrowsStillFreesTheSlotForTheNextWaiterAndThrowsToTheOwner() {
        final HalfOpenLimiter limiter = limiter(1, null);
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        final RecordingListener owner = new RecordingListener();
        final ConnectAttempt waiter = limiter.newAttempt(remote(2), owner);
        final IllegalStateException refusal = new IllegalStateException("this scheduler refuses the cancel");
        scheduler.onNextCancel = () -> {
            throw refusal;
        };

        final IllegalStateException thrown = assertThrows(IllegalStateException.class, holder::established);

        assertSame(refusal, thrown);
        assertEquals(AttemptState.ESTABLISHED, holder.state());
        assertEquals(List.of(waiter), owner.granted, "the freed slot went to the waiter");
        assertEquals(1, limiter.stats().halfOpen(), "the waiter's slot only");
        assertEquals(1, limiter.stats().established());
    }

    @Test
    void cancellingAQueuedAttemptCancelsItsQueueTimer() {
        final HalfOpenLimiter limiter = limiter(1, null);
        limiter.newAttempt(remote(1), new RecordingListener());
        final ConnectAttempt waiter = limiter.newAttempt(remote(2), new RecordingListener());
        assertEquals(2, clock.pendingTasks(), "the holder's half-open timer and the waiter's queue timer");

        assertTrue(waiter.cancel());

        assertEquals(List.of(START + TimeUnit.SECONDS.toNanos(21)), clock.pendingDeadlines(),
                "the cancelled waiter's queue timer is gone, the holder's half-open timer stays");
    }

    @Test
    void aHalfOpenTimerArmedWhileTheOwnerCancelsIsCancelledAndTheOwnerIsNeverToldToConnect() {
        final HalfOpenLimiter limiter = limiter(1, null);
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        final RecordingListener owner = new RecordingListener();
        final ConnectAttempt waiter = limiter.newAttempt(remote(2), owner);
        scheduler.onNextSchedule = waiter::cancel; // its half-open timer is being armed: its owner gives up

        holder.established();

        assertEquals(AttemptState.CANCELLED, waiter.state());
        assertEquals(List.of(), owner.granted, "ended before granted() ran");
        assertEquals(0, clock.pendingTasks(), "the half-open timer armed for the cancelled attempt was cancelled");
        assertEquals(0, limiter.stats().halfOpen());
    }

    @Test
    void aWaiterLeavingTheQueueDeclinesTheSlotOfferedWhileItLeavesAndTheNextWaiterGetsIt() {
        final HalfOpenLimiter limiter = limiter(1, null);
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        final RecordingListener leavingOwner = new RecordingListener();
        final ConnectAttempt leaving = limiter.newAttempt(remote(2), leavingOwner);
        final RecordingListener nextOwner = new RecordingListener();
        final ConnectAttempt next = limiter.newAttempt(remote(3), nextOwner);
        scheduler.onNextCancel = holder::established; // the slot frees between the leaver's CAS and its withdrawal

        assertTrue(leaving.cancel());

        assertEquals(AttemptState.CANCELLED, leaving.state());
        assertEquals(List.of(), leavingOwner.granted, "a departed attempt is never granted");
        assertEquals(List.of(next), nextOwner.granted, "its withdrawal carried the slot on to the next waiter");
        assertEquals(1, limiter.stats().halfOpen());
        assertEquals(0, limiter.stats().queued());
        assertEquals(1, limiter.stats().cancelled());
    }

    @Test
    void aSlotFreedWhileAnAttemptIsCountedIntoTheQueueGrantsItAndLeavesNothingCountedQueued() {
        final AtomicReference<ConnectAttempt> holder = new AtomicReference<>();
        final HalfOpenLimiter limiter = limiter(1, new LimiterListener() {
            @Override
            public void limitReached(final LimitReached event) { // runs inside the waiting room's tryJoin
                holder.get().established();
            }
        });
        holder.set(limiter.newAttempt(remote(1), new RecordingListener()));
        final RecordingListener owner = new RecordingListener();

        final ConnectAttempt waiter = limiter.newAttempt(remote(2), owner);

        assertEquals(AttemptState.HALF_OPEN, waiter.state());
        assertEquals(List.of(waiter), owner.granted);
        assertEquals(0, limiter.stats().queued(), "granted while being counted in: it is not queued");
        assertEquals(1, limiter.stats().halfOpen());
    }

    @Test
    void aCloseDuringTheLimitEventOfAnEnteringAttemptStillFailsThatAttempt() {
        final AtomicReference<HalfOpenLimiter> self = new AtomicReference<>();
        final HalfOpenLimiter limiter = limiter(1, new LimiterListener() {
            @Override
            public void limitReached(final LimitReached event) { // the attempt is in the gate, not yet QUEUED
                self.get().close();
            }
        });
        self.set(limiter);
        limiter.newAttempt(remote(1), new RecordingListener());
        final RecordingListener owner = new RecordingListener();

        final ConnectAttempt waiter = limiter.newAttempt(remote(2), owner);

        assertEquals(AttemptState.REJECTED, waiter.state(), "close() missed it while it was entering");
        assertEquals(1, owner.failures.size());
        assertInstanceOf(LimiterClosedException.class, owner.failures.get(0));
        assertEquals(0, limiter.stats().queued());
    }

    @Test
    void queueWaitCountsFromTheAttemptsCreationOnAClockThatDidNotStartAtZero() {
        final HalfOpenLimiter limiter = limiter(1, null);
        limiter.newAttempt(remote(1), new RecordingListener());
        final ConnectAttempt waiter = limiter.newAttempt(remote(2), new RecordingListener());

        clock.advance(Duration.ofSeconds(3));
        assertEquals(Duration.ofSeconds(3), waiter.queueWait(), "still queued");
        waiter.cancel();
        clock.advance(Duration.ofSeconds(2));
        assertEquals(Duration.ofSeconds(3), waiter.queueWait(), "ended after 3 s in the queue");
    }

    @Test
    void aGrantDeliveredLaterThanItWasMadeStillTimesOutOneHalfOpenTimeoutAfterTheGrant() {
        final HalfOpenLimiter limiter = limiter(1, null);
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        limiter.newAttempt(remote(2), new RecordingListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
                attempt.established(); // grants the waiter; its delivery waits until this callback returns
                clock.advance(Duration.ofSeconds(5)); // ... which takes 5 s
            }
        });
        final RecordingListener owner = new RecordingListener();
        final ConnectAttempt waiter = limiter.newAttempt(remote(3), owner);
        final long grantedAt = clock.nanoTime();

        holder.established();

        assertEquals(List.of(waiter), owner.granted);
        assertEquals(Duration.ZERO, waiter.queueWait(), "granted when the holder left, before the 5 s");
        clock.advance(grantedAt + TimeUnit.SECONDS.toNanos(21) - 1 - clock.nanoTime(), TimeUnit.NANOSECONDS);
        assertEquals(List.of(), owner.aborts, "not before 21 s after the grant");
        clock.advance(1, TimeUnit.NANOSECONDS);
        assertEquals(1, owner.aborts.size(), "21 s after the grant, though delivered 5 s after it");
    }

    @Test
    void anAttemptWhoseHalfOpenTimerFailsToArmReportsTheTimeItHeldItsSlot() {
        final List<Duration[]> ends = new ArrayList<>();
        final HalfOpenLimiter limiter = limiter(1, new LimiterListener() {
            @Override
            public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait, final Duration halfOpen) {
                ends.add(new Duration[] {queueWait, halfOpen});
            }
        });
        final Scheduler slowThenShutDown = (task, delay, unit) -> {
            clock.advance(Duration.ofSeconds(2)); // took 2 s to find out it is shut down
            throw new RejectedExecutionException("the executor is shut down");
        };

        final ConnectAttempt attempt = limiter.newAttempt(remote(1), new RecordingListener(), slowThenShutDown);

        assertEquals(AttemptState.FAILED, attempt.state());
        assertEquals(1, ends.size());
        assertEquals(Duration.ZERO, ends.get(0)[0], "granted at once");
        assertEquals(Duration.ofSeconds(2), ends.get(0)[1], "held its slot from the grant to the failure");
    }

    @Test
    void noGrantedCallbackRunsInsideAnotherEvenWhenThatCallbackAcquiresBlocking() {
        final HalfOpenLimiter limiter = limiter(3, null);
        final ConnectAttempt x = limiter.newAttempt(remote(1), new RecordingListener());
        final ConnectAttempt y = limiter.newAttempt(remote(2), new RecordingListener());
        final ConnectAttempt z = limiter.newAttempt(remote(3), new RecordingListener());
        final List<String> events = new ArrayList<>();
        limiter.newAttempt(remote(4), new RecordingListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
                events.add("a: granted");
                y.established(); // grants b, whose delivery waits for this callback to return
                z.established(); // frees a slot: the blocking acquire below takes it at once
                try {
                    final ConnectAttempt nested = limiter.acquire(remote(6), Duration.ofSeconds(1));
                    events.add("a: acquired " + nested.state());
                } catch (final InterruptedException | HalfOpenLimitException e) {
                    events.add("a: " + e);
                }
                events.add("a: returns");
            }
        });
        limiter.newAttempt(remote(5), new RecordingListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
                events.add("b: granted");
            }
        });

        x.established();

        assertEquals(List.of("a: granted", "a: acquired HALF_OPEN", "a: returns", "b: granted"), events);
    }

    @Test
    void anAttemptAndItsLimiterDescribeThemselves() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(new VirtualClock()).name("edge")
                .maxHalfOpen(1).build();
        final ConnectAttempt attempt = limiter.newAttempt(remote(7), new RecordingListener());
        assertEquals("ConnectAttempt[" + remote(7) + ", HALF_OPEN]", attempt.toString());
        assertEquals("edge", limiter.name());
        assertSame(AttemptState.HALF_OPEN, attempt.state());
    }
}
