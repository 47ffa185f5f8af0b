package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A listener can be added to a built limiter and removed again; the order is the order of registration")
class ListenerRegistrationTest {

    private final VirtualClock clock = new VirtualClock();

    /** Records each callback as "name:what". */
    private static LimiterListener named(final String name, final List<String> log) {
        return new LimiterListener() {
            @Override
            public void limitReached(final LimitReached event) {
                log.add(name + ":4226");
            }

            @Override
            public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait, final Duration halfOpen) {
                log.add(name + ":" + attempt.state() + (attempt.wasGranted() ? "" : "(never granted)"));
            }
        };
    }

    @Test
    void aListenerAddedAfterBuildHearsWhatHappensFromThenOn() {
        final List<String> log = new CopyOnWriteArrayList<>();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).build();
        limiter.newAttempt(remote(1), new RecordingListener()).established();   // before: unheard
        limiter.addListener(named("late", log));
        final ConnectAttempt holder = limiter.newAttempt(remote(2), new RecordingListener());
        final ConnectAttempt waiter = limiter.newAttempt(remote(3), new RecordingListener());
        waiter.cancel();
        holder.refused();
        assertEquals(List.of("late:4226", "late:CANCELLED(never granted)", "late:REFUSED"), log);
    }

    /** The policy's own events (here deadDestination's mark) reach a listener added after build, too. */
    @Test
    void aListenerAddedAfterBuildHearsThePolicysEvents() {
        final List<String> log = new CopyOnWriteArrayList<>();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock)
                .policy(io.halfopen.policy.AdmissionPolicy.deadDestination()).build();
        limiter.addListener(new LimiterListener() {
            @Override
            public void policyEvent(final io.halfopen.policy.PolicyEvent event) {
                log.add(event.getClass().getSimpleName());
            }
        });
        for (int i = 0; i < 3; i++) {
            final ConnectAttempt attempt = limiter.newAttempt(remote(25), new RecordingListener());
            assertTrue(attempt.failed(new java.net.NoRouteToHostException("No route to host")));
        }
        assertEquals(List.of("DestinationMarkedDead"), log);
    }

    @Test
    void listenersAreCalledInRegistrationOrderTheBuildersFirst() {
        final List<String> log = new CopyOnWriteArrayList<>();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock)
                .listener(named("b1", log)).listener(named("b2", log)).build();
        limiter.addListener(named("a1", log));
        limiter.addListener(named("a2", log));
        limiter.newAttempt(remote(1), new RecordingListener()).established();
        assertEquals(List.of("b1:ESTABLISHED", "b2:ESTABLISHED", "a1:ESTABLISHED", "a2:ESTABLISHED"), log);
    }

    @Test
    void aRemovedListenerHearsNothingMore() {
        final List<String> log = new CopyOnWriteArrayList<>();
        final LimiterListener builders = named("b", log);
        final LimiterListener added = named("a", log);
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).listener(builders).build();
        limiter.addListener(added);
        assertTrue(limiter.removeListener(added));
        assertFalse(limiter.removeListener(added), "removed once, it is no longer registered");
        assertTrue(limiter.removeListener(builders), "the builder's listeners can be removed too");
        limiter.newAttempt(remote(1), new RecordingListener()).established();
        assertEquals(List.of(), log);
    }

    @Test
    void aListenerAddedTwiceIsCalledTwiceAndOneRemovalUndoesOne() {
        final List<String> log = new CopyOnWriteArrayList<>();
        final LimiterListener twice = named("t", log);
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).build();
        limiter.addListener(twice);
        limiter.addListener(twice);
        limiter.newAttempt(remote(1), new RecordingListener()).established();
        assertEquals(2, log.size());
        assertTrue(limiter.removeListener(twice));
        limiter.newAttempt(remote(2), new RecordingListener()).established();
        assertEquals(3, log.size());
    }

    @Test
    void aNullListenerIsRefused() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.xpSp2();
        assertEquals("listener", assertThrows(NullPointerException.class, () -> limiter.addListener(null)).getMessage());
    }

    @Test
    void wasGrantedTellsAttemptsThatHeldASlotFromThoseThatNeverDid() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).maxQueued(1)
                .queueTimeout(Duration.ofSeconds(1)).build();
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new RecordingListener());
        final ConnectAttempt timesOut = limiter.newAttempt(remote(2), new RecordingListener());
        final ConnectAttempt rejected = limiter.newAttempt(remote(3), new RecordingListener());
        assertTrue(holder.wasGranted());
        assertFalse(timesOut.wasGranted(), "still queued");
        assertEquals(AttemptState.REJECTED, rejected.state());
        assertFalse(rejected.wasGranted());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(AttemptState.QUEUE_TIMEOUT, timesOut.state());
        assertFalse(timesOut.wasGranted());
        final ConnectAttempt grantedThenCancelled = limiter.newAttempt(remote(4), new RecordingListener());
        holder.established();
        assertTrue(holder.wasGranted(), "ended, it still was granted");
        assertTrue(grantedThenCancelled.wasGranted());
        grantedThenCancelled.cancel();
        assertTrue(grantedThenCancelled.wasGranted(), "cancelled while half-open: it held a slot");
    }

    /**
     * Listeners come and go on one thread while four others run attempts: a listener registered for the whole
     * run hears every attempt end exactly once, and adding and removing never disturbs an attempt.
     */
    @Test
    void listenersComingAndGoingDuringTrafficNeverDisturbIt() throws Exception {
        final AtomicLong heardByTheStayer = new AtomicLong();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(3).limitEvents(LimitEventMode.NEVER)
                .halfOpenTimeout(Duration.ofMinutes(10)).build();
        limiter.addListener(new LimiterListener() {
            @Override
            public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait, final Duration halfOpen) {
                heardByTheStayer.incrementAndGet();
            }
        });
        final int threads = 4;
        final int perThread = 5_000;
        final CountDownLatch done = new CountDownLatch(threads);
        final AtomicInteger failures = new AtomicInteger();
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final Thread worker = new Thread(() -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        limiter.acquire(remote(i), Duration.ofSeconds(30)).established();
                    }
                } catch (final Exception e) {
                    failures.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
            workers.add(worker);
            worker.start();
        }
        final AtomicBoolean churn = new AtomicBoolean(true);
        final AtomicLong heardByChurners = new AtomicLong();
        final LimiterListener churner = new LimiterListener() {
            @Override
            public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait, final Duration halfOpen) {
                heardByChurners.incrementAndGet();
            }
        };
        int registrations = 0;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (done.getCount() > 0 && System.nanoTime() < deadline) {
            limiter.addListener(churner);
            assertTrue(limiter.removeListener(churner));
            registrations++;
        }
        churn.set(false);
        assertTrue(done.await(60, TimeUnit.SECONDS), "the attempts finished");
        assertEquals(0, failures.get());
        assertEquals((long) threads * perThread, heardByTheStayer.get(), "heard every end exactly once");
        assertEquals((long) threads * perThread, limiter.stats().established());
        assertEquals(0, limiter.stats().halfOpen());
        assertFalse(limiter.removeListener(churner));
        System.out.printf("[listeners] %d add/remove pairs during %d attempts; the churner heard %d%n",
                registrations, threads * perThread, heardByChurners.get());
    }
}
