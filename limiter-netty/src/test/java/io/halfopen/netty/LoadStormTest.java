package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.testkit.SynSentVerdict;
import io.halfopen.testkit.SynSentWatch;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A sustained storm through one shared handler: {@value #CONNECTS} connects over {@value #LOOPS} event loops to
 * accepting (and at once closing), refusing and dropping loopback peers, with a short half-open timeout, judged
 * by the kernel's trace. The kernel's peak never exceeds the limit and reaches it, every promise completes as its
 * peer says, the limiter drains to zero, and the heap after GC is back to its size before the storm (nothing
 * retained). At most {@value #IN_FLIGHT} connects are outstanding at once (each one a file descriptor); the
 * rest of the storm waits for them. Prints connects/s and the trace's peak.
 *
 * <p>Known, not fixed here: a loop stalled longer than the half-open timeout after the SYN went out reports a
 * connect the kernel refused in time as a half-open timeout, because the timer can run before the loop reads the
 * answer. {@link #IN_FLIGHT} keeps this storm's loops below that.
 *
 * <p>Tagged {@code load}: left out of the default test run (it takes about half a minute on a busy 2-core
 * machine), run by {@code .ci/run}: {@code ./mvnw -B -pl limiter-netty -am verify -Dgroups=load
 * -DexcludedGroups=none -Dtest=LoadStormTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("load")
class LoadStormTest {

    static final int CONNECTS = 100_000;
    static final int LOOPS = 4;
    static final int LIMIT = 10;
    /**
     * Outstanding connects at most (each a file descriptor and a registration on a loop). With 2,000, on a busy
     * 2-core machine, the first burst of registrations kept one loop busy past the 500 ms half-open timeout, and
     * connects that the kernel had refused in time were reported as half-open timeouts (the timer ran in the same
     * task batch, before the loop read the RST): see the class comment.
     */
    static final int IN_FLIGHT = 256;
    static final Duration HALF_OPEN_TIMEOUT = Duration.ofMillis(500);
    /** Heap allowed to stay after the storm: a leak of even 100 bytes per connect would exceed it. */
    static final long RETAINED_BYTES_ALLOWED = 8L << 20;

    private final LoopbackPeers peers = new LoopbackPeers();
    private EventLoopGroup group;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
        peers.close();
    }

    private enum Kind { ACCEPTING, REFUSING, DROPPING }

    /**
     * Every 20,000 connects, a run of {@value #LIMIT} dropped ones (together they hold every slot for the whole
     * half-open timeout, so the kernel reaches the limit); of the others, two in five refused, the rest accepted.
     */
    private static Kind kindOf(final int i) {
        return i % 20_000 < LIMIT ? Kind.DROPPING : i % 5 < 2 ? Kind.REFUSING : Kind.ACCEPTING;
    }

    @Test
    void aHundredThousandConnectsNeverExceedTheLimitAllCompleteAndNothingIsRetained() throws Exception {
        final List<InetSocketAddress> accepting = new ArrayList<>();
        final List<InetSocketAddress> refusing = new ArrayList<>();
        final List<InetSocketAddress> dropping = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // several, so that no peer's port space or accept queue is the bottleneck
            accepting.add(peers.acceptingAndClosing());
        }
        for (int i = 0; i < 2; i++) {
            refusing.add(peers.refusing());
            dropping.add(peers.dropping());
        }
        final List<InetSocketAddress> allPeers = new ArrayList<>(accepting);
        allPeers.addAll(refusing);
        allPeers.addAll(dropping);

        final HalfOpenLimiter limiter = HalfOpenLimiter.builder()
                .name("load")
                .maxHalfOpen(LIMIT)
                .halfOpenTimeout(HALF_OPEN_TIMEOUT)
                .build();
        group = TestTransport.NIO.newGroup(LOOPS);
        final HalfOpenLimitHandler handler = new HalfOpenLimitHandler(limiter);
        final Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(TestTransport.NIO.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 120_000) // the half-open timeout decides
                .handler(handler);

        // Warm up (class loading, the JIT) through the handler, then measure the heap the storm must return to.
        for (int i = 0; i < 200; i++) {
            final ChannelFuture warmUp = bootstrap.connect(accepting.get(i % accepting.size()));
            assertTrue(warmUp.await(10, TimeUnit.SECONDS) && warmUp.isSuccess(), () -> "warm-up: " + warmUp.cause());
            warmUp.channel().close().sync();
        }
        final long heapBefore = usedHeapAfterGc();
        final long warmUpEstablished = limiter.stats().established();

        final Semaphore inFlight = new Semaphore(IN_FLIGHT);
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger[] ended = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        SynSentVerdict kernel;
        final long start = System.nanoTime();
        try (SynSentWatch watch = KernelJudge.watcher().label(getClass().getSimpleName()).watch(allPeers)) {
            for (int i = 0; i < CONNECTS; i++) {
                final Kind kind = kindOf(i);
                final List<InetSocketAddress> of = switch (kind) {
                    case ACCEPTING -> accepting;
                    case REFUSING -> refusing;
                    case DROPPING -> dropping;
                };
                assertTrue(inFlight.tryAcquire(60, TimeUnit.SECONDS), () -> "connects stopped completing: "
                        + limiter.stats());
                final int index = i;
                bootstrap.connect(of.get((i / 1000 + i) % of.size())).addListener((ChannelFuture connect) -> {
                    final Throwable cause = connect.cause();
                    final boolean asExpected = switch (kind) {
                        case ACCEPTING -> connect.isSuccess();
                        case REFUSING -> cause instanceof ConnectException
                                && !(cause instanceof ConnectTimeoutException);
                        case DROPPING -> cause instanceof ConnectTimeoutException
                                && String.valueOf(cause.getMessage()).contains("half-open timeout");
                    };
                    if (asExpected) {
                        ended[kind.ordinal()].incrementAndGet();
                    } else if (wrong.size() < 10) {
                        wrong.add("#" + index + " " + kind + ": " + (cause == null ? "success" : cause));
                    }
                    connect.channel().close();
                    completed.incrementAndGet();
                    inFlight.release();
                });
            }
            assertTrue(inFlight.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS), () -> "the last connects hung: "
                    + limiter.stats());
            kernel = watch.stop();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals(CONNECTS, completed.get(), "every promise completes");
        assertTrue(wrong.isEmpty(), () -> "connects that ended otherwise than their peer says: " + wrong);
        final int[] expected = new int[Kind.values().length];
        for (int i = 0; i < CONNECTS; i++) {
            expected[kindOf(i).ordinal()]++;
        }
        final int dropped = expected[Kind.DROPPING.ordinal()];
        final int refused = expected[Kind.REFUSING.ordinal()];
        assertEquals(dropped, ended[Kind.DROPPING.ordinal()].get());
        assertEquals(refused, ended[Kind.REFUSING.ordinal()].get());
        assertEquals(CONNECTS - dropped - refused, ended[Kind.ACCEPTING.ordinal()].get());

        final LimiterStats stats = limiter.stats();
        assertEquals(0, stats.halfOpen(), () -> "drained: " + stats);
        assertEquals(0, stats.queued(), () -> "drained: " + stats);
        assertEquals(CONNECTS - dropped - refused, stats.established() - warmUpEstablished, stats::toString);
        assertEquals(refused, stats.refused(), stats::toString);
        assertEquals(dropped, stats.timedOut(), stats::toString);

        final String kernelSummary = kernel.summary(LIMIT);
        kernel.assertNeverAbove(LIMIT);
        kernel.assertReached(LIMIT);
        kernel = null; // its timeline (every transition) is the test's, not the handler's: let it go before GC

        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS); // its channels are closed
        final long heapAfter = usedHeapAfterGc();
        System.out.printf("%s: %d connects in %.1f s, %.0f connects/s over %d loops; kernel %s; heap after GC"
                        + " %d KiB before, %d KiB after; limiter %s%n", getClass().getSimpleName(), CONNECTS,
                seconds, CONNECTS / seconds, LOOPS, kernelSummary, heapBefore >> 10, heapAfter >> 10, stats);
        assertTrue(heapAfter - heapBefore <= RETAINED_BYTES_ALLOWED, () -> "the storm left "
                + ((heapAfter - heapBefore) >> 10) + " KiB reachable after GC");
        limiter.close();
    }

    /** The used heap once repeated GCs stop freeing anything (a bounded number of rounds). */
    private static long usedHeapAfterGc() {
        final Runtime runtime = Runtime.getRuntime();
        long previous = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            System.gc();
            final long used = runtime.totalMemory() - runtime.freeMemory();
            if (used >= previous - (64 << 10)) {
                return Math.min(used, previous);
            }
            previous = used;
        }
        return previous;
    }
}
