package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.testkit.LoopbackPeers;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
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

    @AfterEach
    void tearDown() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
        peers.close();
    }

    @ParameterizedTest
    @EnumSource(TestTransport.class)
    void aConnectGrantedDuringALoopStallGetsTheWholeHalfOpenTimeoutFromItsSyn(final TestTransport transport)
            throws Exception {
        transport.require();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1)
                .halfOpenTimeout(HALF_OPEN_TIMEOUT).build();
        group = transport.newGroup(1);
        final Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000) // the half-open timeout decides
                .handler(new HalfOpenLimitHandler(limiter));
        final ConnectAttempt held = HalfOpenLimitHandlerTest.takeSlot(limiter, peers.accepting());
        final ChannelFuture connect = bootstrap.connect(peers.dropping());
        Await.until("the connect waits for a slot", () -> limiter.stats().queued() == 1);

        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        connect.channel().eventLoop().execute(() -> { // the stall: the loop runs this until released
            running.countDown();
            try {
                release.await();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        assertTrue(held.cancel()); // grants the slot while the loop is stalled: the SYN waits for the loop
        final long stallEnds = System.nanoTime() + STALL.toNanos();
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
    }
}
