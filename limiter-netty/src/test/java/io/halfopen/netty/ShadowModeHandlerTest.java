package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.limiter.ShadowStats;
import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.testkit.SynSentVerdict;
import io.halfopen.testkit.SynSentWatch;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link HalfOpenLimitHandler} on a limiter in shadow mode, unchanged: every connect is issued at once (the
 * kernel sees them all in SYN_SENT together, above the policy's limit), while the shadow records who would have
 * waited. NIO, on loopback, towards the testkit's SYN-dropping peer.
 */
@DisplayName("The Netty handler on a limiter in shadow mode: nothing enforced, the policy's verdicts recorded")
class ShadowModeHandlerTest {

    private static final int CONNECTS = 3;
    private final LoopbackPeers peers = new LoopbackPeers();
    private EventLoopGroup group;

    @AfterEach
    void tearDown() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
        peers.close();
    }

    @Test
    void everyConnectIsIssuedAtOnceWhileTheShadowCountsTheOnesThatWouldHaveWaited() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("shadow").maxHalfOpen(1).shadow(true)
                .halfOpenTimeout(Duration.ofSeconds(2)).build();
        group = TestTransport.NIO.newGroup(1);
        final Bootstrap bootstrap = new Bootstrap().group(group).channel(TestTransport.NIO.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)   // the limiter's half-open timeout decides
                .handler(new HalfOpenLimitHandler(limiter));
        final InetSocketAddress dropping = peers.dropping();
        final List<ChannelFuture> connects = new ArrayList<>();
        final SynSentVerdict verdict;
        try (SynSentWatch kernel = KernelJudge.watch(List.of(dropping))) {
            for (int i = 0; i < CONNECTS; i++) {
                connects.add(bootstrap.connect(dropping));
            }
            for (final ChannelFuture connect : connects) {
                assertTrue(connect.await(30, TimeUnit.SECONDS), "a connect hung: " + connect);
                assertFalse(connect.isSuccess(), "the peer drops SYNs");
            }
            verdict = kernel.stop();
        }
        System.out.println("ShadowModeHandlerTest: " + verdict.summary(1));
        verdict.assertReached(CONNECTS);   // all three half-open at once, where the policy allows one
        final LimiterStats stats = limiter.stats();
        assertEquals(CONNECTS, stats.timedOut(), stats::toString);
        assertEquals(0, stats.throttled(), "nothing really waited: " + stats);
        final ShadowStats shadow = limiter.shadowStats().orElseThrow();
        assertEquals(CONNECTS - 1, shadow.wouldHaveQueued(), shadow::toString);
        assertEquals(1, shadow.limitReachedEvents(), shadow::toString);
        limiter.close();
    }
}
