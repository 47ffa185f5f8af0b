package io.halfopen.limiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Randomized stress of shadow mode in real time, on the system scheduler: four threads run attempts that hold
 * their slot for a random few microseconds and end in a random way, through a shadow limiter whose policy (a
 * cap of 3) keeps a shadow queue busy. Checks conservation: no real attempt ever waits; once quiet, the shadow
 * world is empty; every attempt was granted exactly once in the shadow world (the listener's waits, counted and
 * summed, agree with the stats); the shadow cap was never exceeded.
 */
@DisplayName("Shadow mode under four threads: no real attempt waits, and the shadow world conserves its slots")
class ShadowStressTest {

    @Test
    void fourThreadsOfRandomAttemptsConserveTheShadowWorld() throws Exception {
        final AtomicLong heardWaits = new AtomicLong();
        final AtomicLong heardWaitNanos = new AtomicLong();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(3).shadow(true)
                .limitEvents(LimitEventMode.NEVER).halfOpenTimeout(Duration.ofMinutes(5))
                .listener(new LimiterListener() {
                    @Override
                    public void wouldHaveWaited(final InetSocketAddress remote, final Duration wait) {
                        heardWaits.incrementAndGet();
                        heardWaitNanos.addAndGet(wait.toNanos());
                    }
                }).build();
        final int threads = 4;
        final int perThread = 3_000;
        final AtomicInteger waitedForReal = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final long seed = 42L + t;
            final Thread worker = new Thread(() -> {
                final SplittableRandom random = new SplittableRandom(seed);
                try {
                    for (int i = 0; i < perThread; i++) {
                        final ConnectAttempt attempt = limiter.acquire(Addresses.remote(1 + random.nextInt(100)),
                                Duration.ofSeconds(1));
                        if (!attempt.queueWait().isZero()) {
                            waitedForReal.incrementAndGet();
                        }
                        LockSupport.parkNanos(random.nextInt(20_000)); // half-open for up to 20 µs
                        switch (random.nextInt(4)) {
                            case 0 -> attempt.established();
                            case 1 -> attempt.refused();
                            case 2 -> attempt.cancel();
                            default -> attempt.failed(new java.io.IOException("unreachable"));
                        }
                    }
                } catch (final Exception e) {
                    errors.incrementAndGet();
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (final Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(120));
            assertTrue(!worker.isAlive(), "a worker did not finish in 120 s");
        }
        assertEquals(0, errors.get());
        assertEquals(0, waitedForReal.get(), "a real attempt waited");
        final int total = threads * perThread;

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        ShadowStats stats = limiter.shadowStats().orElseThrow();
        while ((stats.halfOpen() > 0 || stats.queued() > 0 || stats.granted() < total) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // shadow exits run on the timer thread
            stats = limiter.shadowStats().orElseThrow();
        }
        assertEquals(0, stats.halfOpen(), stats::toString);
        assertEquals(0, stats.queued(), stats::toString);
        assertEquals(total, stats.granted(), "every attempt granted once in the shadow world");
        assertEquals(total, heardWaits.get());
        assertEquals(stats.wouldHaveWaited().toNanos(), heardWaitNanos.get(), "the listener's waits add up");
        assertTrue(stats.peakHalfOpen() <= 3, "the shadow cap was exceeded: " + stats);
        assertEquals(0, limiter.stats().halfOpen());
        assertEquals(total, limiter.stats().granted());
        System.out.printf("[shadow stress] %d attempts, real peak %d half-open; shadow: %s%n", total,
                limiter.stats().peakHalfOpen(), stats);
    }
}
