package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.AttemptState;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterListener;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.testkit.SynSentVerdict;
import io.halfopen.testkit.SynSentWatch;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connect storm through the handler on a real transport, on loopback, with the kernel as the judge: 30
 * connects to accepting, refusing and dropping peers with a limit of 3, while {@link KernelJudge} counts the
 * sockets in SYN_SENT (exactly, by the kernel's trace, where it can run; else by sampling
 * {@code /proc/net/tcp*}). The ten dropped connects hold their slots for the whole half-open timeout, so the
 * storm saturates the limit: the traced peak must be exactly 3. Subclasses choose the transport.
 */
abstract class ConnectStormTest {

    static final int LIMIT = 3;
    static final int CONNECTS = 30;
    static final Duration HALF_OPEN_TIMEOUT = Duration.ofSeconds(2);

    private final LoopbackPeers peers = new LoopbackPeers();
    private final List<Channel> channels = new ArrayList<>();
    private EventLoopGroup group;

    private final TestTransport transport;

    /** @param transport the transport the subclass runs this on */
    ConnectStormTest(final TestTransport transport) {
        this.transport = transport;
    }

    EventLoopGroup newGroup(final int threads) {
        return transport.newGroup(threads);
    }

    Class<? extends SocketChannel> channelClass() {
        return transport.channelClass();
    }

    @AfterEach
    void tearDown() throws Exception {
        channels.forEach(Channel::close);
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
        peers.close();
    }

    @Test
    void theKernelNeverSeesMoreHalfOpenConnectsThanTheLimit() throws Exception {
        final InetSocketAddress accepting = peers.accepting();
        final InetSocketAddress refusing = peers.refusing();
        final List<InetSocketAddress> dropping = List.of(peers.dropping(), peers.dropping());
        final Map<ConnectAttempt, Duration> dropHalfOpen = new ConcurrentHashMap<>();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder()
                .name("storm")
                .maxHalfOpen(LIMIT)
                .halfOpenTimeout(HALF_OPEN_TIMEOUT)
                .listener(new LimiterListener() {
                    @Override
                    public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait,
                            final Duration halfOpen) {
                        if (attempt.state() == AttemptState.TIMED_OUT) {
                            dropHalfOpen.put(attempt, halfOpen);
                        }
                    }
                })
                .build();
        group = newGroup(2);
        final Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000) // the limiter's half-open timeout decides
                .handler(new HalfOpenLimitHandler(limiter));

        // Warm up the transport outside the limiter (native code, class loading), so that a busy machine's
        // first-use stall does not eat into the half-open timeout of the first limited connects.
        final ChannelFuture warmUp = bootstrap.clone().handler(new io.netty.channel.ChannelInboundHandlerAdapter())
                .connect(accepting);
        assertTrue(warmUp.await(10, TimeUnit.SECONDS) && warmUp.isSuccess(), () -> "warm-up: " + warmUp.cause());
        warmUp.channel().close().sync();

        final List<InetSocketAddress> targets = new ArrayList<>();
        for (int i = 0; i < CONNECTS; i++) {
            targets.add(switch (i % 3) {
                case 0 -> accepting;
                case 1 -> refusing;
                default -> dropping.get((i / 3) % 2);
            });
        }
        final List<InetSocketAddress> allPeers = new ArrayList<>(dropping);
        allPeers.add(accepting);
        allPeers.add(refusing);
        final List<ChannelFuture> connects = new ArrayList<>();
        final long start = System.nanoTime();
        final SynSentVerdict kernel;
        try (SynSentWatch watch = KernelJudge.watcher().label(getClass().getSimpleName()).watch(allPeers)) {
            assertEquals(0, watch.countNow(), "no SYN_SENT before the storm");
            for (final InetSocketAddress target : targets) {
                final ChannelFuture connect = bootstrap.connect(target);
                channels.add(connect.channel());
                connects.add(connect);
            }
            for (final ChannelFuture connect : connects) {
                assertTrue(connect.await(30, TimeUnit.SECONDS), "a connect hung: " + connect);
            }
            kernel = watch.stop();
        }
        final Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        int established = 0;
        int refused = 0;
        int timedOut = 0;
        for (int i = 0; i < CONNECTS; i++) {
            final ChannelFuture connect = connects.get(i);
            final InetSocketAddress target = targets.get(i);
            if (target.equals(accepting)) {
                final int index = i;
                assertTrue(connect.isSuccess(), () -> "connect #" + index + " to the accepting peer failed: "
                        + connect.cause() + "; kernel " + kernel.summary(LIMIT) + "; limiter " + limiter.stats());
                established++;
            } else if (target.equals(refusing)) {
                final ConnectException cause = assertInstanceOf(ConnectException.class, connect.cause());
                assertTrue(cause.getMessage().contains("Connection refused"), cause.getMessage());
                refused++;
            } else {
                final ConnectTimeoutException cause = assertInstanceOf(ConnectTimeoutException.class,
                        connect.cause());
                assertTrue(cause.getMessage().contains("half-open timeout"), cause.getMessage());
                timedOut++;
            }
        }
        assertEquals(10, established);
        assertEquals(10, refused);
        assertEquals(10, timedOut);

        final LimiterStats stats = limiter.stats();
        assertEquals(0, stats.halfOpen(), stats::toString);
        assertEquals(0, stats.queued(), stats::toString);
        assertEquals(10, stats.established(), stats::toString);
        assertEquals(10, stats.refused(), stats::toString);
        assertEquals(10, stats.timedOut(), stats::toString);
        assertEquals(LIMIT, stats.peakHalfOpen(), stats::toString);

        assertEquals(10, dropHalfOpen.size());
        for (final Duration halfOpen : dropHalfOpen.values()) {
            assertTrue(halfOpen.compareTo(HALF_OPEN_TIMEOUT) >= 0
                            && halfOpen.compareTo(HALF_OPEN_TIMEOUT.plusMillis(750)) <= 0,
                    () -> "a dropped connect was half-open for " + halfOpen.toMillis() + " ms, expected about "
                            + HALF_OPEN_TIMEOUT.toMillis() + " ms");
        }

        System.out.printf("%s: %d connects in %d ms; kernel %s; dropped connects half-open %d..%d ms%n",
                getClass().getSimpleName(), CONNECTS, elapsed.toMillis(), kernel.summary(LIMIT),
                dropHalfOpen.values().stream().mapToLong(Duration::toMillis).min().orElse(-1),
                dropHalfOpen.values().stream().mapToLong(Duration::toMillis).max().orElse(-1));
        kernel.assertNeverAbove(LIMIT);
        kernel.assertReached(LIMIT);
    }
}
