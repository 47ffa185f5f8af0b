package io.halfopen.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.limiter.ShadowStats;
import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.SynSentVerdict;
import io.halfopen.testkit.SynSentWatch;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link HalfOpenSocketFactory} on a limiter in shadow mode, unchanged: every connect goes at once (the kernel
 * sees all of them in SYN_SENT together, above the policy's limit), while the shadow records who would have
 * waited.
 */
@DisplayName("Plain sockets through a limiter in shadow mode: nothing enforced, the policy's verdicts recorded")
class ShadowModeSocketsTest {

    private static final int CONNECTS = 3;
    private final LoopbackPeers peers = new LoopbackPeers();

    @AfterEach
    void closePeers() {
        peers.close();
    }

    @Test
    void everyConnectGoesAtOnceWhileTheShadowCountsTheOnesThatWouldHaveWaited() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("shadow").maxHalfOpen(1).shadow(true).build();
        final HalfOpenSocketFactory factory = new HalfOpenSocketFactory(limiter);
        final InetSocketAddress dropping = peers.dropping();
        final List<Object> outcomes;
        final SynSentVerdict verdict;
        try (SynSentWatch kernel = KernelJudge.watch(List.of(dropping))) {
            outcomes = Storm.fire("shadow", CONNECTS, i -> () -> {
                try (Socket socket = factory.createSocket()) {
                    socket.connect(dropping, 3_000);   // the peer drops SYNs: each connect waits out its timeout
                    return "connected";
                } catch (final SocketTimeoutException e) {
                    return "timed out";
                }
            });
            verdict = kernel.stop();
        }
        System.out.println("ShadowModeSocketsTest: " + verdict.summary(1));
        assertEquals(Collections.nCopies(CONNECTS, "timed out"), outcomes);
        verdict.assertReached(CONNECTS);   // all three half-open at once, where the policy allows one
        final LimiterStats stats = limiter.stats();
        assertEquals(CONNECTS, stats.peakHalfOpen(), stats::toString);
        assertEquals(0, stats.throttled(), "nothing really waited: " + stats);
        final ShadowStats shadow = limiter.shadowStats().orElseThrow();
        assertEquals(CONNECTS - 1, shadow.wouldHaveQueued(), shadow::toString);
        assertEquals(CONNECTS - 1, shadow.peakQueued(), shadow::toString);
        assertEquals(1, shadow.limitReachedEvents(), shadow::toString);
        limiter.close();
    }
}
