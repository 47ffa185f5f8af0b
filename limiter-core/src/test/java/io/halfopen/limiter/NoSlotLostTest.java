package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.Scheduler;
import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10's defects 1, 2, 3 and 5: whatever a scheduler or an owner does, every slot comes back, every grant
 * is delivered, and nobody parks forever. Each test failed on main at 0472ade.
 */
@DisplayName("No slot is lost to a faulty owner or scheduler")
@Timeout(60)
class NoSlotLostTest {

    private final VirtualClock clock = new VirtualClock();

    /** A shut-down executor: every schedule throws. */
    private static final Scheduler SHUT_DOWN = (task, delay, unit) -> {
        throw new RejectedExecutionException("the executor is shut down");
    };

    /** Throws on its first {@code schedule} call, then delegates to {@code clock}. */
    private static Scheduler throwsOnceThen(final VirtualClock clock) {
        final AtomicInteger calls = new AtomicInteger();
        return (task, delay, unit) -> {
            if (calls.getAndIncrement() == 0) {
                throw new RejectedExecutionException("the executor is shut down");
            }
            return clock.schedule(task, delay, unit);
        };
    }

    @Test
    void aGrantedAttemptWhoseHalfOpenTimerCannotBeArmedEndsBeforeItsOwnerConnectsAndFreesTheSlot() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).build();
        final RecordingListener owner = new RecordingListener();

        final ConnectAttempt attempt = assertDoesNotThrow(() -> limiter.newAttempt(remote(1), owner, SHUT_DOWN));

        assertEquals(AttemptState.FAILED, attempt.state());
        assertEquals(List.of(), owner.granted, "the owner was never told to connect");
        assertEquals(1, owner.failures.size());
        assertInstanceOf(RejectedExecutionException.class, owner.failures.get(0).getCause());
        assertInstanceOf(RejectedExecutionException.class, attempt.failure().getCause());
        assertEquals(0, limiter.stats().halfOpen(), "the slot came back");
        assertEquals(AttemptState.HALF_OPEN, limiter.newAttempt(remote(2), new RecordingListener()).state());
    }

    @Test
    void aReportThatGrantsAWaiterWhoseTimerCannotBeArmedDeliversEveryGrantQueuedBehindIt() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).build();
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        final RecordingListener next = new RecordingListener() { // reports at once: the grants behind it chain
            @Override                                              // on this thread, through the trampoline
            public void granted(final ConnectAttempt attempt) {
                super.granted(attempt);
                attempt.refused();
            }
        };
        limiter.newAttempt(remote(2), next);
        final RecordingListener faulty = new RecordingListener();
        final ConnectAttempt faultyAttempt = limiter.newAttempt(remote(3), faulty, SHUT_DOWN);
        final RecordingListener healthy = new RecordingListener();
        final ConnectAttempt healthyAttempt = limiter.newAttempt(remote(4), healthy);

        assertDoesNotThrow(holder::established);

        assertEquals(1, next.granted.size());
        assertEquals(AttemptState.FAILED, faultyAttempt.state());
        assertEquals(List.of(), faulty.granted);
        assertEquals(List.of(healthyAttempt), healthy.granted, "the grant behind the faulty one was delivered");
        assertEquals(AttemptState.HALF_OPEN, healthyAttempt.state());
        assertEquals(1, limiter.stats().halfOpen());
        assertTrue(healthyAttempt.established());
        assertEquals(0, limiter.stats().halfOpen(), "no slot stayed taken");
    }

    @Test
    void aQueueTimerThatCannotBeArmedEndsTheWaiterAndLeavesTheBoundedQueueUsable() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().ticker(clock).scheduler(throwsOnceThen(clock))
                .maxHalfOpen(1).maxQueued(1).queueTimeout(Duration.ofSeconds(5)).build();
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener(), clock);
        final RecordingListener unlucky = new RecordingListener();

        final ConnectAttempt first = assertDoesNotThrow(() -> limiter.newAttempt(remote(2), unlucky));

        assertTrue(first.state().isTerminal(), "the waiter whose timer failed ended: " + first.state());
        assertInstanceOf(RejectedExecutionException.class, unlucky.failures.get(0).getCause());
        assertEquals(0, limiter.stats().queued(), "no phantom in the queue");
        final RecordingListener second = new RecordingListener();
        final ConnectAttempt waiting = limiter.newAttempt(remote(3), second);
        assertEquals(AttemptState.QUEUED, waiting.state(), "maxQueued(1) still has room");
        assertTrue(holder.established());
        assertEquals(List.of(waiting), second.granted, "the release found the waiter, not a phantom");
    }

    @Test
    void aBlockingAcquireInsideAGrantCallbackReturnsAtOnceWhenASlotIsFree() throws InterruptedException {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(2).build();
        final AtomicReference<Object> nested = new AtomicReference<>();
        final Thread caller = new Thread(() -> limiter.newAttempt(remote(1), new RecordingListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
                try {
                    nested.set(limiter.acquire(remote(2), Duration.ofSeconds(1)));
                } catch (final Exception e) {
                    nested.set(e);
                }
            }
        }));
        caller.start();
        caller.join(TimeUnit.SECONDS.toMillis(10));
        final boolean parkedForever = caller.isAlive();
        caller.interrupt();
        assertTrue(!parkedForever, "acquire() inside granted() parked although a slot was free");
        final ConnectAttempt acquired = assertInstanceOf(ConnectAttempt.class, nested.get());
        assertEquals(AttemptState.HALF_OPEN, acquired.state());
        assertEquals(2, limiter.stats().halfOpen());
    }

    @Test
    void aBlockingAcquireInsideAGrantCallbackWaitsNoLongerThanItsMaxWait() throws InterruptedException {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).build();
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        final AtomicReference<Object> nested = new AtomicReference<>();
        limiter.newAttempt(remote(2), new RecordingListener() {
            @Override
            public void granted(final ConnectAttempt attempt) { // holds the only slot while it waits for another
                try {
                    nested.set(limiter.acquire(remote(3), Duration.ofSeconds(2)));
                } catch (final Exception e) {
                    nested.set(e);
                }
            }
        });
        final Thread releaser = new Thread(holder::established); // grants the waiter, whose callback parks
        releaser.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (clock.pendingDeadlines().size() < 2 && System.nanoTime() < deadline) { // its queue timer is armed
            Thread.onSpinWait();
        }
        clock.advance(Duration.ofSeconds(2));
        releaser.join(TimeUnit.SECONDS.toMillis(10));
        assertTrue(!releaser.isAlive(), "the nested acquire outlived its maxWait");
        final QueueTimeoutException e = assertInstanceOf(QueueTimeoutException.class, nested.get());
        assertEquals(Duration.ofSeconds(2), e.timeout());
    }

    @Test
    void abortNeverReachesTheOwnerBeforeGranted() {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Scheduler firesAtOnce = (task, delay, unit) -> { // a 1 ns timer on a fast timer thread, at worst
            task.run();
            return () -> { };
        };
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).halfOpenTimeout(Duration.ofNanos(1))
                .build();
        final ConnectAttempt attempt = limiter.newAttempt(remote(1), new AttemptListener() {
            @Override
            public void granted(final ConnectAttempt a) {
                calls.add("granted");
            }

            @Override
            public void failed(final ConnectAttempt a, final HalfOpenLimitException cause) {
                calls.add("failed");
            }

            @Override
            public void abort(final ConnectAttempt a, final HalfOpenTimeoutException cause) {
                calls.add("abort");
                assertNotNull(cause);
            }
        }, firesAtOnce);
        assertEquals(List.of("granted", "abort"), calls);
        assertEquals(AttemptState.ABORTING, attempt.state());
        assertTrue(attempt.aborted());
        assertEquals(0, limiter.stats().halfOpen());
    }

    @Test
    void aNewAttemptMadeInsideAGrantCallbackIsGrantedRightAfterThatCallbackReturnsOnTheSameThread() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(2).build();
        final List<String> calls = new CopyOnWriteArrayList<>();
        final AtomicReference<Thread> nestedThread = new AtomicReference<>();
        limiter.newAttempt(remote(1), new RecordingListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
                limiter.newAttempt(remote(2), new RecordingListener() {
                    @Override
                    public void granted(final ConnectAttempt nested) {
                        nestedThread.set(Thread.currentThread());
                        calls.add("nested granted");
                    }
                });
                calls.add("nested newAttempt returned");
            }
        });
        assertEquals(List.of("nested newAttempt returned", "nested granted"), calls);
        assertEquals(Thread.currentThread(), nestedThread.get());
    }

    /**
     * Inside a grant callback, a report frees a slot (the next waiter's grant is deferred into this thread's
     * trampoline), then {@code acquire()} has to wait: the deferred grant runs before the thread parks, so its
     * owner (who reports at once) frees the slot the acquire gets. Before {@code GrantTrampoline.runPending()},
     * the waiter held its slot untold and the acquire ran out its whole {@code maxWait}.
     */
    @Test
    void aGrantDeferredIntoTheTrampolineOfAThreadThatThenParksInAcquireIsDeliveredBeforeThePark() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(2)
                .limitEvents(LimitEventMode.NEVER).build();
        final ConnectAttempt first = limiter.newAttempt(remote(1), new RecordingListener()); // holds slot 1
        final RecordingListener waiterOwner = new RecordingListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
                super.granted(attempt);
                attempt.refused(); // an instant RST: the owner reports as soon as it is told
            }
        };
        final AtomicReference<Object> acquired = new AtomicReference<>();
        final AtomicReference<ConnectAttempt> waiter = new AtomicReference<>();
        final Thread owner = new Thread(() -> limiter.newAttempt(remote(2), new RecordingListener() { // slot 2
            @Override
            public void granted(final ConnectAttempt attempt) {
                waiter.set(limiter.newAttempt(remote(3), waiterOwner)); // no slot free: waits
                first.established(); // frees slot 1: the waiter is granted, its callback deferred behind this one
                try {
                    acquired.set(limiter.acquire(remote(4), Duration.ofSeconds(30))); // inside a callback
                } catch (final Exception e) {
                    acquired.set(e);
                }
            }
        }), "callback-owner");
        owner.start();
        owner.join(TimeUnit.SECONDS.toMillis(20)); // the deferred grant delivered, nothing waits for the clock
        final boolean returnedWithoutTheClock = !owner.isAlive();
        if (!returnedWithoutTheClock) {
            clock.advance(Duration.ofSeconds(30)); // let the parked thread go: its maxWait runs out
            owner.join(TimeUnit.SECONDS.toMillis(20));
        }

        assertTrue(returnedWithoutTheClock, "the acquire inside the callback parked until its maxWait ran out,"
                + " while the grant of the waiter it waits behind sat undelivered in its own thread's trampoline");
        assertTrue(waiterOwner.wasGranted(), "the waiter's owner was told of its grant");
        final ConnectAttempt got = assertInstanceOf(ConnectAttempt.class, acquired.get(),
                "acquire got the slot the waiter's owner freed at once");
        assertEquals(AttemptState.HALF_OPEN, got.state());
    }
}
