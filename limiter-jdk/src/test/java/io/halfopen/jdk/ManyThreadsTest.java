package io.halfopen.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.testkit.SynSentWatch;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads through one {@link HalfOpenSocketFactory}: 200 platform threads, and 10,000 virtual threads
 * (JDK 21 and later; CI runs it on JDK 25) under a JFR recording that must hold no {@code jdk.VirtualThreadPinned}.
 * Every connect ends with the outcome its peer calls for, the limit is reached and never passed (by the limiter's
 * peak and by the kernel's, judged by testkit's {@code KernelJudge}), and the limiter drains to zero.
 */
class ManyThreadsTest {

    private static final int LIMIT = 10;

    private final LoopbackPeers peers = new LoopbackPeers();
    private final LocalServers servers = new LocalServers();

    @AfterEach
    void closePeers() {
        servers.close();
        peers.close();
    }

    /** What one connect to one peer should end as; counts outcomes. */
    private static final class Tally {
        final AtomicInteger established = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger timedOut = new AtomicInteger();
        final List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());

        void connect(final HalfOpenSocketFactory factory, final InetSocketAddress peer) {
            try (Socket socket = factory.createSocket()) {
                socket.connect(peer, 0);
                established.incrementAndGet();
            } catch (final ConnectException e) {
                refused.incrementAndGet();
            } catch (final SocketTimeoutException e) {
                timedOut.incrementAndGet();
            } catch (final IOException | RuntimeException e) {
                unexpected.add(e);
            }
        }
    }

    private static InetSocketAddress peerFor(final int i, final int total, final InetSocketAddress accepting,
            final List<InetSocketAddress> dropping, final int droppingCount, final InetSocketAddress refusing,
            final int refusingCount) {
        if (i % (total / droppingCount) == 0) {
            return dropping.get(i % dropping.size());
        }
        if (i % (total / refusingCount) == 1) {
            return refusing;
        }
        return accepting;
    }

    private static void assertStorm(final HalfOpenLimiter limiter, final Tally tally, final int total,
            final int dropped, final int refused) {
        final LimiterStats stats = limiter.stats();
        System.out.println("ManyThreadsTest: " + stats);
        assertEquals(List.of(), tally.unexpected);
        assertEquals(dropped, tally.timedOut.get(), stats::toString);
        assertEquals(refused, tally.refused.get(), stats::toString);
        assertEquals(total - dropped - refused, tally.established.get(), stats::toString);
        assertEquals(LIMIT, stats.peakHalfOpen(), () -> "reached and never passed: " + stats);
        assertEquals(total, stats.established() + stats.refused() + stats.timedOut(), stats::toString);
        assertEquals(0, stats.halfOpen() + stats.queued(), stats::toString);
    }

    @Test
    void twoHundredPlatformThreadsThroughOneFactoryKeepTheLimitAndAllEnd() throws Exception {
        // The half-open timeout runs from the grant: it must be well above the time a granted thread may wait to be
        // scheduled on a loaded 2-core machine, or it aborts connects that never sent their SYN (seen with 300 ms and
        // 10,000 virtual threads at load 27: 4 connects to the accepting peer timed out).
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("platform").maxHalfOpen(LIMIT)
                .halfOpenTimeout(Duration.ofSeconds(1)).build();
        final HalfOpenSocketFactory factory = new HalfOpenSocketFactory(limiter);
        final InetSocketAddress accepting = peers.accepting();
        final List<InetSocketAddress> dropping = List.of(peers.dropping(), peers.dropping());
        final InetSocketAddress refusing = peers.refusing();
        final SynSentWatch kernel = KernelJudge.watcher().label("ManyThreadsTest.platform")
                .watch(Storm.peers(accepting, dropping, refusing));
        final int total = 200;
        final Tally tally = new Tally();
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            final InetSocketAddress peer = peerFor(i, total, accepting, dropping, 20, refusing, 20);
            final Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                tally.connect(factory, peer);
            }, "platform-" + i);
            t.start();
            threads.add(t);
        }
        go.countDown();
        try (kernel) {
            for (final Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                assertTrue(!t.isAlive(), t.getName() + " never ended");
            }
            Storm.assertKernelKeptAndReached(kernel.stop(), LIMIT);
        }
        assertStorm(limiter, tally, total, 20, 20);
    }

    @Test
    void withoutTheLimiterTheSamePlainSocketsHoldMoreThanTheLimitHalfOpen() throws Exception {
        UnlimitedControl.assertExceedsTheLimit("ManyThreadsTest.control", LIMIT, 20,
                List.of(peers.dropping(), peers.dropping()), peer -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(peer, 1500);
                    }
                });
    }

    @Test
    void tenThousandVirtualThreadsThroughOneFactoryKeepTheLimitAndNeverPin(@TempDir final Path dir)
            throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+; this run is on "
                + Runtime.version() + " (CI runs this test on JDK 25, where a skip fails the build)");
        assertTrue(FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .anyMatch(t -> t.getName().equals("jdk.VirtualThreadPinned")), "this JDK records no pinning");
        // The half-open timeout runs from the grant: it must be well above the time a granted thread may wait to be
        // scheduled on a loaded 2-core machine, or it aborts connects that never sent their SYN (seen with 300 ms and
        // 10,000 virtual threads at load 27: 4 connects to the accepting peer timed out).
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("virtual").maxHalfOpen(LIMIT)
                .halfOpenTimeout(Duration.ofSeconds(2)).build();
        final HalfOpenSocketFactory factory = new HalfOpenSocketFactory(limiter);
        final InetSocketAddress accepting = servers.acceptingAndClosing();
        final List<InetSocketAddress> dropping = List.of(peers.dropping(), peers.dropping());
        final InetSocketAddress refusing = peers.refusing();
        final int total = 10_000;
        final Tally tally = new Tally();
        final Path jfr = dir.resolve("storm.jfr");
        final ExecutorService virtual = newVirtualThreadPerTaskExecutor();
        warmUp(virtual, accepting, dropping.get(0), refusing);
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.enable("jdk.VirtualThreadStart");
            recording.start();
            virtual.submit(() -> null).get(10, TimeUnit.SECONDS); // JFR's event writer initializes here, once
            final CountDownLatch go = new CountDownLatch(1);
            final List<Future<?>> tasks = new ArrayList<>();
            try (SynSentWatch kernel = KernelJudge.watcher().label("ManyThreadsTest.virtual").samplerBeside(false)
                    .watch(Storm.peers(accepting, dropping, refusing))) {
                for (int i = 0; i < total; i++) {
                    final InetSocketAddress peer = peerFor(i, total, accepting, dropping, 20, refusing, 50);
                    tasks.add(virtual.submit(() -> {
                        go.await();
                        tally.connect(factory, peer);
                        return null;
                    }));
                }
                go.countDown();
                for (final Future<?> task : tasks) {
                    task.get(120, TimeUnit.SECONDS);
                }
                Storm.assertKernelKeptAndReached(kernel.stop(), LIMIT);
            } finally {
                virtual.shutdownNow();
            }
            recording.stop();
            recording.dump(jfr);
        }
        final List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        final long started = events.stream().filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadStart"))
                .count();
        final List<RecordedEvent> pinned = events.stream()
                .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned")).toList();
        System.out.println("ManyThreadsTest: JFR saw " + started + " virtual threads start, " + pinned.size()
                + " pinned");
        assertTrue(started >= total, "the recording must have seen the storm's virtual threads: " + started);
        assertEquals(List.of(), pinned.stream().map(ManyThreadsTest::describe).toList(), "no virtual thread pinned");
        assertStorm(limiter, tally, total, 20, 50);
    }

    /** A class whose initializer parks: a virtual thread that needs it while another initializes it is pinned. */
    private static final class SlowToInitialize {
        static final long READY;

        static {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            READY = System.nanoTime();
        }

        private SlowToInitialize() {
        }
    }

    @Test
    void theRecordingSeesAPinnedVirtualThreadWhenThereIsOne(@TempDir final Path dir) throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+ (CI runs this on JDK 25)");
        final ExecutorService virtual = newVirtualThreadPerTaskExecutor();
        final Path jfr = dir.resolve("control.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO);
            recording.start();
            final Future<Long> first = virtual.submit(() -> SlowToInitialize.READY);
            final Future<Long> second = virtual.submit(() -> SlowToInitialize.READY);
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
            recording.stop();
            recording.dump(jfr);
        } finally {
            virtual.shutdownNow();
        }
        assertTrue(RecordingFile.readAllEvents(jfr).stream()
                .anyMatch(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned")),
                "the known-bad control (a wait for another thread's class initializer) must be recorded as pinned");
    }

    /**
     * One connect of each kind on a virtual thread, before the recording: a virtual thread that waits for a class
     * initializer running on another thread is pinned even on JDK 25 (JEP 491 unpinned monitors, not class
     * initialization), so 10,000 threads making their first connects at once would record the JVM's one-time
     * class loading (the limiter's timer holder, its JFR event for 4226, JFR's own event writer, the float
     * formatting of a message that says "waited 1.234 s"), not the connect path. After the warm-up every class of that path is initialized
     * and what the recording judges is its steady state: the limiter's park and the JDK's socket connect.
     */
    private static void warmUp(final ExecutorService virtual, final InetSocketAddress accepting,
            final InetSocketAddress dropping, final InetSocketAddress refusing) throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("warm-up").maxHalfOpen(1)
                .halfOpenTimeout(Duration.ofMillis(100)).build();
        final HalfOpenSocketFactory factory = new HalfOpenSocketFactory(limiter);
        final Tally tally = new Tally();
        try (Recording initializesTheRecorder = new Recording()) { // so that a 4226 loads the limiter's JFR event
            initializesTheRecorder.start();
            final io.halfopen.limiter.ConnectAttempt held = limiter.acquire(accepting, Duration.ofSeconds(5));
            final Future<?> throttled = virtual.submit(() -> tally.connect(factory, accepting)); // queues: 4226
            Await.until(() -> limiter.stats().queued() == 1, limiter::toString);
            held.cancel();
            throttled.get(30, TimeUnit.SECONDS);
            virtual.submit(() -> {
                tally.connect(factory, accepting);
                tally.connect(factory, refusing);
                tally.connect(factory, dropping);
                return String.format(java.util.Locale.ROOT, "%.3f s", 1.234);
            }).get(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), tally.unexpected);
    }

    private static String describe(final RecordedEvent pinned) {
        final StringBuilder text = new StringBuilder(pinned.getString("pinnedReason")).append(", ")
                .append(pinned.getString("blockingOperation")).append(" at");
        if (pinned.getStackTrace() != null) {
            pinned.getStackTrace().getFrames().forEach(f -> text.append("\n    ").append(f.getMethod().getType()
                    .getName()).append('.').append(f.getMethod().getName()).append(':').append(f.getLineNumber()));
        }
        return text.toString();
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}, called reflectively: this module compiles for 17. */
    private static ExecutorService newVirtualThreadPerTaskExecutor() throws ReflectiveOperationException {
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }
}
