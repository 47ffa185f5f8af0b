package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterListener;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.testkit.SamplerFigures;
import io.halfopen.testkit.SynSentVerdict;
import io.halfopen.testkit.SynSentWatch;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Shutting an event loop down while {@link HalfOpenLimitHandler}'s connects are half-open to a peer that drops
 * SYNs, or wait for a slot: every caller's promise completes within {@link #DEADLINE}, far sooner than either
 * connect timeout could end it, the limiter drains, its slots are freed only once the kernel socket is out of
 * SYN_SENT, and no socket is left in SYN_SENT. Subclasses choose the transport.
 *
 * <p>What it guards against: a loop closes its channels when it starts shutting down, and no later. Netty 4.2
 * skips even that when {@code shutdownGracefully(0, 0)} lands while the loop runs tasks (its
 * {@code confirmShutdown()} then ends the loop at once), leaving half-open channels open and registered on a
 * terminated loop, their connect promises pending forever and their sockets in SYN_SENT; and on any version a
 * connect issued by a task the shutdown still runs is never closed. The first tests make each of those happen
 * on purpose, by holding the loop in a task while the shutdown starts; the storm races them, {@link #ROUNDS}
 * times.
 */
abstract class EventLoopShutdownTest {

    /** Storm rounds per run: 20, or {@code -Dhalfopen.shutdown.rounds=N} (the investigation ran 100 under load). */
    static final int ROUNDS = Integer.getInteger("halfopen.shutdown.rounds", 20);
    static final int LIMIT = 10;
    static final int CONNECTS = 100;
    /** How long after the shutdown every promise must have completed and the limiter drained. */
    static final Duration DEADLINE = Duration.ofSeconds(5);
    /** Far beyond {@link #DEADLINE} (as is the connect timeout): no timeout may be what ends a connect here. */
    static final Duration HALF_OPEN_TIMEOUT = Duration.ofSeconds(60);

    private final LoopbackPeers peers = new LoopbackPeers();
    private final List<HalfOpenLimiter> limiters = new ArrayList<>();
    private final List<EventLoopGroup> groups = new ArrayList<>();
    private final List<SynSentWatch> watches = new ArrayList<>();

    private final TestTransport transport;

    /** @param transport the transport the subclass runs this on */
    EventLoopShutdownTest(final TestTransport transport) {
        this.transport = transport;
    }

    EventLoopGroup newGroup(final int threads) {
        return transport.newGroup(threads);
    }

    Class<? extends SocketChannel> channelClass() {
        return transport.channelClass();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (final EventLoopGroup group : groups) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
        watches.forEach(SynSentWatch::close);
        peers.close();
        limiters.forEach(HalfOpenLimiter::close);
    }

    @Test
    void aHalfOpenConnectEndsWhenItsLoopIsShutDownWhileRunningATask() throws Exception {
        final InetSocketAddress dropping = peers.dropping();
        final SynSentWatch kernel = watch(List.of(dropping));
        final List<Integer> synSentAtRelease = new CopyOnWriteArrayList<>();
        final HalfOpenLimiter limiter = limiter(1, kernel, dropping, synSentAtRelease);
        final EventLoopGroup group = group(1);
        final ChannelFuture connect = bootstrap(group, limiter, new AtomicInteger()).connect(dropping);
        Await.until("the connect is in SYN_SENT", () -> kernel.countNow() == 1);

        final CountDownLatch release = holdTheLoop(group);
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        release.countDown();

        assertTrue(connect.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
                () -> "the half-open connect hung after its loop shut down; " + describe(connect.channel()));
        assertFalse(connect.isSuccess());
        // Netty 4.1 closes the channel as the loop shuts down; 4.2 does not, and the handler closes the socket
        assertTrue(connect.cause() instanceof ClosedChannelException
                || connect.cause() instanceof RejectedExecutionException, String.valueOf(connect.cause()));
        // on NIO the slot is freed at the loop's termination, which may come just after the caller heard
        Await.until("the slot is freed", DEADLINE, () -> !synSentAtRelease.isEmpty());
        assertEquals(0, limiter.stats().halfOpen(), limiter.stats()::toString);
        assertEquals(1, limiter.stats().failed(), limiter.stats()::toString);
        assertEquals(List.of(0), synSentAtRelease, "slot freed while the socket was still in SYN_SENT");
        assertEquals(0, kernel.countNow(), "a socket was left in SYN_SENT");
        assertFalse(connect.channel().isOpen());
        final SynSentVerdict verdict = kernel.stop();
        verdict.assertNeverAbove(1);
        verdict.assertReached(1);
    }

    @Test
    void aSlotGrantedWhileTheLoopShutsDownIsGivenBackWithoutConnecting() throws Exception {
        final InetSocketAddress dropping = peers.dropping();
        final SynSentWatch kernel = watch(List.of(dropping));
        final HalfOpenLimiter limiter = limiter(1, kernel, dropping, new CopyOnWriteArrayList<>());
        final ConnectAttempt held = HalfOpenLimitHandlerTest.takeSlot(limiter, peers.accepting()); // the limit
        final EventLoopGroup group = group(1);
        final AtomicInteger issued = new AtomicInteger();
        final ChannelFuture connect = bootstrap(group, limiter, issued).connect(dropping);
        final CountDownLatch listenerRan = new CountDownLatch(1);
        connect.addListener(done -> listenerRan.countDown());
        Await.until("the connect waits for a slot", () -> limiter.stats().queued() == 1);

        final CountDownLatch release = holdTheLoop(group);
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        assertTrue(held.cancel()); // grants the slot; the hop to the loop is accepted, and runs after the shutdown
        release.countDown();

        assertTrue(connect.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
                () -> "the connect hung after its loop shut down; " + describe(connect.channel()));
        final RejectedExecutionException cause = assertInstanceOf(RejectedExecutionException.class,
                connect.cause());
        assertTrue(cause.getMessage().contains("shutting down"), cause.getMessage());
        assertTrue(listenerRan.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
                "failed on the loop while it ran, the promise's listeners must run");
        assertEquals(0, issued.get(), "a connect was issued on a loop that was shutting down");
        final LimiterStats stats = limiter.stats();
        assertEquals(0, stats.halfOpen(), stats::toString);
        assertEquals(0, stats.queued(), stats::toString);
        assertEquals(2, stats.cancelled(), stats::toString); // the held slot, and the grant given back
        assertEquals(0, kernel.countNow());
        assertEquals(0, kernel.stop().peak(), "a connect reached the kernel on a loop that was shutting down");
    }

    @Test
    void everyConnectEndsAndNoSocketStaysInSynSentWhenTheLoopsShutDownInAConnectStorm() throws Exception {
        final List<String> failures = new ArrayList<>();
        final int[] peaks = new int[LIMIT + 2];
        int samplerPeak = 0;
        int samplerAbove = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            final Round result = stormRound(round);
            peaks[Math.min(result.kernel().peak(), peaks.length - 1)]++;
            final int onePeak = result.kernel().sampler().map(SamplerFigures::onePeak).orElse(0);
            samplerPeak = Math.max(samplerPeak, onePeak);
            if (onePeak > result.kernel().peak()) {
                samplerAbove++;
            }
            if (result.failure() != null) {
                failures.add("round " + round + ": " + result.failure());
            }
        }
        final StringBuilder histogram = new StringBuilder();
        for (int peak = 0; peak < peaks.length; peak++) {
            if (peaks[peak] > 0) {
                histogram.append(histogram.length() == 0 ? "" : ", ").append(peaks[peak]).append(" x ").append(peak);
            }
        }
        System.out.printf("%s: %d of %d rounds left a connect unfinished or a socket in SYN_SENT; kernel peaks per"
                        + " round (%s): %s (limit %d); the sampler's highest one-sample peak %d, above the judge's"
                        + " peak in %d rounds%n",
                getClass().getSimpleName(), failures.size(), ROUNDS, KernelJudge.mode(), histogram, LIMIT,
                samplerPeak, samplerAbove);
        assertEquals(List.of(), failures, () -> failures.size() + " of " + ROUNDS + " rounds failed");
    }

    /**
     * What one storm round did.
     *
     * @param kernel  the kernel's verdict on the round
     * @param failure what went wrong, or {@code null}
     */
    private record Round(SynSentVerdict kernel, String failure) {
    }

    /**
     * One storm: 100 connects, 30 of them to a dropping peer, on 2 loops; the group is shut down with no quiet
     * period as soon as every slot is taken, while the loops still have registrations and connects queued.
     *
     * @param round the round's number, for the kernel judge's label
     * @return what happened
     */
    private Round stormRound(final int round) throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final InetSocketAddress accepting = peers.accepting();
            final InetSocketAddress dropping = peers.dropping();
            final List<Integer> synSentAtRelease = new CopyOnWriteArrayList<>();
            final EventLoopGroup group = newGroup(2);
            final List<ChannelFuture> connects = new ArrayList<>();
            final HalfOpenLimiter limiter;
            try (SynSentWatch kernel = KernelJudge.watcher().label(getClass().getSimpleName() + "-storm-" + round)
                    .watch(List.of(accepting, dropping))) {
                limiter = limiter(LIMIT, kernel, dropping, synSentAtRelease);
                final Bootstrap bootstrap = bootstrap(group, limiter, new AtomicInteger());
                try {
                    for (int i = 0; i < CONNECTS; i++) {
                        connects.add(bootstrap.connect(i % 10 < 3 ? dropping : accepting)); // 30 dropped, 70 accepted
                    }
                    Await.until("every slot is taken", () -> limiter.stats().halfOpen() == LIMIT);

                    group.shutdownGracefully(0, 0, TimeUnit.SECONDS);

                    final long deadline = System.nanoTime() + DEADLINE.toNanos();
                    final List<ChannelFuture> pending = new ArrayList<>();
                    for (final ChannelFuture connect : connects) {
                        if (!connect.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                            pending.add(connect);
                        }
                    }
                    final boolean drained = until(deadline, () -> {
                        final LimiterStats stats = limiter.stats();
                        return stats.halfOpen() == 0 && stats.queued() == 0;
                    });
                    final boolean noSynSent = until(deadline, () -> kernel.countNow() == 0);
                    final boolean terminated = group.terminationFuture()
                            .await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    final int synSentNow = kernel.countNow();
                    final SynSentVerdict verdict = kernel.stop();
                    final boolean releasedAfterClose = synSentAtRelease.stream()
                            .allMatch(count -> count <= LIMIT - 1);
                    if (pending.isEmpty() && drained && noSynSent && terminated && releasedAfterClose
                            && verdict.peak() <= LIMIT) {
                        for (int i = 0; i < CONNECTS; i++) {
                            final ChannelFuture connect = connects.get(i);
                            assertTrue(connect.isSuccess() || connect.cause() != null);
                            assertTrue(!connect.isSuccess() || i % 10 >= 3, "a dropped connect succeeded");
                        }
                        return new Round(verdict, null);
                    }
                    final StringBuilder failure = new StringBuilder()
                            .append(pending.size()).append(" promises pending ").append(DEADLINE.toSeconds())
                            .append(" s after the shutdown; limiter ").append(limiter.stats())
                            .append("; SYN_SENT sockets now ").append(synSentNow)
                            .append(", kernel ").append(verdict.summary(LIMIT))
                            .append(", to the dropping peer when each slot was freed ").append(synSentAtRelease)
                            .append("; group terminated ").append(terminated);
                    for (final ChannelFuture connect : pending) {
                        failure.append("\n    pending ").append(describe(connect.channel()));
                    }
                    if (verdict.peak() > LIMIT) {
                        failure.append("\n").append(verdict.timelineAroundPeak(2 * LIMIT, 5));
                    }
                    return new Round(verdict, failure.toString());
                } finally {
                    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
                    limiter.close();
                }
            }
        }
    }

    private SynSentWatch watch(final List<InetSocketAddress> peers) {
        final SynSentWatch watch = KernelJudge.watcher().label(getClass().getSimpleName()).watch(peers);
        watches.add(watch);
        return watch;
    }

    /**
     * A limiter that counts, on the thread that frees each slot of a connect to {@code dropping} and at that
     * instant, the sockets in SYN_SENT towards it, by the kernel's judge. Each must be at most
     * {@code maxHalfOpen - 1}: the others may hold slots, but the freed one's socket must be gone.
     */
    private HalfOpenLimiter limiter(final int maxHalfOpen, final SynSentWatch kernel, final InetSocketAddress dropping,
            final List<Integer> synSentAtRelease) {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder()
                .name("shutdown")
                .maxHalfOpen(maxHalfOpen)
                .halfOpenTimeout(HALF_OPEN_TIMEOUT)
                .listener(new LimiterListener() {
                    @Override
                    public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait,
                            final Duration halfOpen) {
                        if (attempt.remote().equals(dropping) && !halfOpen.isZero()) {
                            synSentAtRelease.add(kernel.countNow(dropping));
                        }
                    }
                })
                .build();
        limiters.add(limiter);
        return limiter;
    }

    private EventLoopGroup group(final int threads) {
        final EventLoopGroup group = newGroup(threads);
        groups.add(group);
        return group;
    }

    /** A bootstrap whose pipeline counts, in {@code issued}, the connects the handler lets reach the transport. */
    private Bootstrap bootstrap(final EventLoopGroup group, final HalfOpenLimiter limiter,
            final AtomicInteger issued) {
        final HalfOpenLimitHandler limit = new HalfOpenLimitHandler(limiter);
        return new Bootstrap()
                .group(group)
                .channel(channelClass())
                .option(ChannelOption.SO_LINGER, 0)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) HALF_OPEN_TIMEOUT.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(final Channel channel) {
                        channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                            @Override
                            public void connect(final ChannelHandlerContext ctx, final SocketAddress remote,
                                    final SocketAddress local, final ChannelPromise promise) {
                                issued.incrementAndGet();
                                ctx.connect(remote, local, promise);
                            }
                        }, limit);
                    }
                });
    }

    /** Makes the group's only loop run a task until the returned latch is released. */
    private static CountDownLatch holdTheLoop(final EventLoopGroup group) throws InterruptedException {
        return LoopHold.hold(group.next());
    }

    private static String describe(final Channel channel) {
        return channel + ": registered " + channel.isRegistered() + ", open " + channel.isOpen()
                + ", loop terminated " + channel.eventLoop().isTerminated();
    }

    private static boolean until(final long deadline, final BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }
}
