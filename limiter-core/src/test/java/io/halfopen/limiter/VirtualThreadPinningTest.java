package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On JDK 21+ the blocking wait must unmount a virtual thread, never pin it. Compiled for Java 17, so virtual
 * threads are reached by reflection; on JDK 17 the test is skipped, and CI checks that it ran on JDK 25.
 */
@DisplayName("The blocking wait parks virtual threads without pinning them")
@Timeout(60)
class VirtualThreadPinningTest {

    @Test
    void twoHundredVirtualThreadsWaitForFourSlotsAndJfrRecordsNoPinning(@TempDir final Path dir) throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+; this is JDK "
                + Runtime.version().feature());
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(4).build();
        final int threads = 200;
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        warmUp(limiter);
        final long establishedBefore = limiter.stats().established();
        final long throttledBefore = limiter.stats().throttled();
        final Path file = dir.resolve("pinning.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO);
            recording.start();
            final ExecutorService executor = newVirtualThreadPerTaskExecutor();
            try {
                final List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    final int port = i + 1;
                    futures.add(executor.submit(() -> {
                        final ConnectAttempt attempt = limiter.acquire(remote(port), Duration.ofMinutes(1));
                        final int now = concurrent.incrementAndGet();
                        peak.accumulateAndGet(now, Math::max);
                        Thread.yield(); // let others queue behind this slot
                        concurrent.decrementAndGet();
                        attempt.established();
                        return null;
                    }));
                }
                for (final Future<?> future : futures) {
                    future.get(30, TimeUnit.SECONDS);
                }
            } finally {
                executor.shutdown();
                assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
            }
            recording.stop();
            recording.dump(file);
        }
        final List<RecordedEvent> pinned = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned")).toList();
        assertEquals(List.of(), pinned, "virtual threads were pinned");
        assertTrue(peak.get() <= 4, "peak holders " + peak.get());
        assertEquals(threads, limiter.stats().established() - establishedBefore);
        assertTrue(limiter.stats().throttled() > throttledBefore, "some threads had to wait: " + limiter.stats());
        assertEquals(0, limiter.stats().halfOpen());
    }

    /**
     * Loads and initializes the classes of the acquire path (and starts the system timer thread) on a platform
     * thread first. A virtual thread that waits for a class another thread is loading is pinned by the JVM's
     * class loader, whatever the code under test does; that one-time cost is not what this test is about.
     */
    private static void warmUp(final HalfOpenLimiter limiter) throws Exception {
        Class.forName("java.util.concurrent.atomic.Striped64$Cell"); // loaded on the stats' first contention
        final ConnectAttempt holder = limiter.acquire(remote(60000), Duration.ofSeconds(5));
        final Thread waiter = new Thread(() -> {
            try {
                limiter.acquire(remote(60001), Duration.ofSeconds(5)).established();
            } catch (final Exception e) {
                throw new AssertionError(e);
            }
        });
        for (int i = 1; i < limiter.maxHalfOpen(); i++) {
            limiter.acquire(remote(60001 + i), Duration.ofSeconds(5)).established();
        }
        final ConnectAttempt[] fill = new ConnectAttempt[limiter.maxHalfOpen() - 1];
        for (int i = 0; i < fill.length; i++) {
            fill[i] = limiter.acquire(remote(60100 + i), Duration.ofSeconds(5));
        }
        waiter.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (limiter.stats().queued() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        holder.established();
        waiter.join(10_000);
        for (final ConnectAttempt attempt : fill) {
            attempt.established();
        }
        assertEquals(0, limiter.stats().halfOpen(), "warm-up left a slot held");
    }

    @Test
    void theRecordingDoesSeePinningWhenItHappens(@TempDir final Path dir) throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        final Path file = dir.resolve("control.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO);
            recording.start();
            final ExecutorService executor = newVirtualThreadPerTaskExecutor();
            try {
                // Parking inside a class initializer pins the carrier on every JDK, 25 included.
                executor.submit(() -> ParksInItsInitializer.VALUE).get(30, TimeUnit.SECONDS);
            } finally {
                executor.shutdown();
            }
            recording.stop();
            recording.dump(file);
        }
        final long pinned = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned")).count();
        assertTrue(pinned >= 1, "the control case must be recorded as pinned, or the main test proves nothing");
    }

    /** Parks while being initialized: a known pinning case. */
    static final class ParksInItsInitializer {
        static final int VALUE;

        static {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            VALUE = 1;
        }

        private ParksInItsInitializer() {
        }
    }

    private static ExecutorService newVirtualThreadPerTaskExecutor() throws Exception {
        final Method factory = java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        return (ExecutorService) factory.invoke(null);
    }
}
