package io.halfopen.limiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * FIFO: waiters are granted slots in the order they joined the queue, skipping those that left it (cancelled
 * or timed out), with one slot and a single thread doing the releasing, so that the grant order is exactly
 * observable. Each grant callback reports the connect established at once, which frees the slot for the
 * next waiter on the same thread (through the grant trampoline).
 */
class FifoGrantOrderTest {

    private static final InetSocketAddress REMOTE;

    static {
        try {
            REMOTE = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 3}), 25);
        } catch (final UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Records the order of grants and ends each granted attempt at once. */
    private static final class GrantLog {
        private final List<Integer> order = new ArrayList<>();

        synchronized void granted(final int id) {
            order.add(id);
        }

        synchronized List<Integer> order() {
            return new ArrayList<>(order);
        }

        AttemptListener listenerFor(final int id) {
            return new AttemptListener() {
                @Override
                public void granted(final ConnectAttempt attempt) {
                    GrantLog.this.granted(id);
                    assertTrue(attempt.established());
                }

                @Override
                public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
                }

                @Override
                public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
                }
            };
        }
    }

    @Test
    void grantsFollowEnqueueOrderSkippingCancelledAndTimedOutWaiters() {
        final VirtualClock clock = new VirtualClock();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1)
                .queueTimeout(Duration.ofMillis(10)).limitEvents(LimitEventMode.NEVER).build();
        final GrantLog log = new GrantLog();
        final ConnectAttempt holder = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
        final List<ConnectAttempt> waiters = new ArrayList<>();
        for (int id = 0; id < 5; id++) { // these five will time out
            waiters.add(limiter.newAttempt(REMOTE, log.listenerFor(id)));
        }
        clock.advance(6, TimeUnit.MILLISECONDS);
        for (int id = 5; id < 25; id++) {
            waiters.add(limiter.newAttempt(REMOTE, log.listenerFor(id)));
        }
        for (final int id : new int[] {7, 8, 15, 24}) { // in the middle, adjacent, and the last one
            assertTrue(waiters.get(id).cancel());
        }
        clock.advance(5, TimeUnit.MILLISECONDS); // ids 0..4 time out at 10 ms; the others wait until 16 ms
        for (int id = 0; id < 5; id++) {
            assertEquals(AttemptState.QUEUE_TIMEOUT, waiters.get(id).state());
        }

        assertTrue(holder.established()); // the whole chain of grants runs on this thread

        final List<Integer> expected = new ArrayList<>();
        for (int id = 5; id < 25; id++) {
            if (id != 7 && id != 8 && id != 15 && id != 24) {
                expected.add(id);
            }
        }
        assertEquals(expected, log.order());
        assertEquals(0, limiter.stats().halfOpen());
        assertEquals(0, limiter.stats().queued());
    }

    @Test
    void concurrentEnqueuersAreGrantedInAnOrderConsistentWithRealTimeAndProgramOrder() throws Exception {
        final int threads = 4;
        final int perThread = 500;
        final VirtualClock clock = new VirtualClock();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1)
                .limitEvents(LimitEventMode.NEVER).build();
        final GrantLog log = new GrantLog();
        final ConnectAttempt holder = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
        final AtomicLong sequence = new AtomicLong();
        final long[] calledAt = new long[threads * perThread];
        final long[] returnedAt = new long[threads * perThread];
        final boolean[] cancelled = new boolean[threads * perThread];
        final CountDownLatch go = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> enqueuers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int thread = t;
            enqueuers.add(new Thread(() -> {
                try {
                    go.await();
                    final SplittableRandom random = new SplittableRandom(thread);
                    for (int k = 0; k < perThread; k++) {
                        final int id = thread * perThread + k;
                        calledAt[id] = sequence.incrementAndGet();
                        final ConnectAttempt attempt = limiter.newAttempt(REMOTE, log.listenerFor(id));
                        returnedAt[id] = sequence.incrementAndGet();
                        if (random.nextInt(10) == 0) {
                            cancelled[id] = attempt.cancel();
                        }
                    }
                } catch (final Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        enqueuers.forEach(Thread::start);
        go.countDown();
        for (final Thread enqueuer : enqueuers) {
            enqueuer.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(!enqueuer.isAlive(), "an enqueuer is stuck");
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(log.order().isEmpty(), "granted while the holder still held the only slot");

        assertTrue(holder.established());

        final List<Integer> order = log.order();
        int cancelledCount = 0;
        for (final boolean c : cancelled) {
            cancelledCount += c ? 1 : 0;
        }
        assertTrue(cancelledCount > 0);
        assertEquals(threads * perThread - cancelledCount, order.size(), "every waiter not cancelled is granted");
        final boolean[] seen = new boolean[threads * perThread];
        for (final int id : order) {
            assertTrue(!cancelled[id] && !seen[id], "attempt " + id + " granted twice or after its cancel");
            seen[id] = true;
        }
        // FIFO as far as it is observable from outside: a waiter whose newAttempt returned before another's
        // was called is granted first (this includes each thread's program order)
        long latestCallSoFar = Long.MIN_VALUE;
        final long[] latestCallGrantedUpTo = new long[order.size()];
        for (int i = 0; i < order.size(); i++) {
            latestCallSoFar = Math.max(latestCallSoFar, calledAt[order.get(i)]);
            latestCallGrantedUpTo[i] = latestCallSoFar;
        }
        for (int j = 1; j < order.size(); j++) {
            final int later = order.get(j);
            // no attempt granted before `later` may have been called after `later`'s newAttempt returned
            assertTrue(latestCallGrantedUpTo[j - 1] < returnedAt[later],
                    "attempt " + later + " was overtaken by an attempt that joined after it had joined");
        }
        assertEquals(0, limiter.stats().halfOpen());
        assertEquals(0, limiter.stats().queued());
    }
}
