package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.testkit.SynSentVerdict;
import io.halfopen.testkit.SynSentWatch;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The limiter's half-open timeout counts from the SYN, not from the grant: a connect granted while its channel's
 * event loop is stalled gets the whole half-open timeout once the loop sends its SYN. Real time (the timer lives
 * on the channel's loop), limit 1, a dropping peer; the bands are generous and far from the other behaviour.
 */
class HalfOpenClockStartsAtTheSynTest {

    private static final Duration HALF_OPEN_TIMEOUT = Duration.ofMillis(1_000);
    private static final Duration STALL = Duration.ofMillis(800);

    private final LoopbackPeers peers = new LoopbackPeers();
    private EventLoopGroup group;
    private SynSentWatch kernel;

    @AfterEach
    void tearDown() throws Exception {
        if (kernel != null) {
            kernel.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
        peers.close();
    }

    @ParameterizedTest
    @EnumSource(TestTransport.class)
    void aConnectGrantedDuringALoopStallGetsTheWholeHalfOpenTimeoutFromItsSyn(final TestTransport transport)
            throws Exception {
        stallThenConnect(transport, STALL);
    }

    /**
     * A stall longer than the half-open timeout: counted from the grant, the timeout fired before the loop ran the
     * connect, which then sent no SYN and was counted a half-open timeout against the peer. Counted from the SYN,
     * the connect goes when the loop runs again, and times out (to the dropping peer) a whole timeout later; the
     * kernel saw its SYN.
     */
    @ParameterizedTest
    @EnumSource(TestTransport.class)
    void aConnectGrantedDuringAStallLongerThanTheHalfOpenTimeoutStillSendsItsSyn(final TestTransport transport)
            throws Exception {
        stallThenConnect(transport, HALF_OPEN_TIMEOUT.plusMillis(300));
    }

    private void stallThenConnect(final TestTransport transport, final Duration stall) throws Exception {
        transport.require();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1)
                .halfOpenTimeout(HALF_OPEN_TIMEOUT).build();
        group = transport.newGroup(1);
        final Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000) // the half-open timeout decides
                .handler(new HalfOpenLimitHandler(limiter));
        final ConnectAttempt held = HalfOpenLimitHandlerTest.takeSlot(limiter, peers.accepting());
        final InetSocketAddress dropping = peers.dropping();
        kernel = KernelJudge.watcher().label(getClass().getSimpleName()).watch(List.of(dropping));
        final ChannelFuture connect = bootstrap.connect(dropping);
        Await.until("the connect waits for a slot", () -> limiter.stats().queued() == 1);

        final CountDownLatch release = LoopHold.hold(connect.channel().eventLoop()); // the stall
        assertTrue(held.cancel()); // grants the slot while the loop is stalled: the SYN waits for the loop
        final long stallEnds = System.nanoTime() + stall.toNanos();
        while (System.nanoTime() - stallEnds < 0) {
            Thread.onSpinWait(); // a stall of a set length, not a wait for an event
        }
        final long synSentAbout = System.nanoTime();
        release.countDown();

        assertTrue(connect.await(10, TimeUnit.SECONDS), "the connect hung");
        final long halfOpenMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - synSentAbout);
        final ConnectTimeoutException cause = assertInstanceOf(ConnectTimeoutException.class, connect.cause());
        assertTrue(cause.getMessage().contains("half-open timeout"), cause.getMessage());
        // from the grant, the timeout would fire some 200 ms after the SYN; from the SYN, 1 s after it
        assertTrue(halfOpenMillis >= 900 && halfOpenMillis < 2_500,
                "half-open " + halfOpenMillis + " ms after the SYN, timeout " + HALF_OPEN_TIMEOUT.toMillis() + " ms");
        assertEquals(1, limiter.stats().timedOut(), limiter.stats()::toString);
        assertEquals(0, limiter.stats().halfOpen(), limiter.stats()::toString);
        final SynSentVerdict verdict = kernel.stop();
        verdict.assertNeverAbove(1);
        verdict.assertReached(1); // the timed-out connect did send its SYN
    }
}
