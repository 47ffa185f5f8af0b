package io.halfopen.junit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.testkit.LoopbackPeers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The end-of-test kernel check, on real sockets towards a loopback peer that drops SYNs (the testkit's): an owner
 * that reports an outcome while its socket is still connecting fails its test; one that closes the socket first
 * passes. The example suites' sockets are closed here, after the engine ran them and the check saw them.
 */
@DisplayName("@BehaveLikeXp fails a test that ends an attempt while its socket is still in SYN_SENT (sampled)")
class SynSentCheckTest {

    static final List<SocketChannel> SOCKETS = new CopyOnWriteArrayList<>();
    static InetSocketAddress dropping;
    private LoopbackPeers peers;

    @BeforeEach
    void startPeer() throws IOException {
        peers = new LoopbackPeers();
        dropping = peers.dropping();
    }

    @AfterEach
    void closeEverything() throws IOException {
        for (final SocketChannel socket : SOCKETS) {
            socket.close();
        }
        SOCKETS.clear();
        peers.close();
    }

    static SocketChannel connecting(final InetSocketAddress peer) throws IOException {
        final SocketChannel socket = SocketChannel.open();
        SOCKETS.add(socket);
        socket.setOption(StandardSocketOptions.SO_LINGER, 0);
        socket.configureBlocking(false);
        if (socket.connect(peer)) {
            throw new IllegalStateException("the dropping peer " + peer + " answered");
        }
        return socket;
    }

    @BehaveLikeXp
    static class CancelsBeforeClosing {
        @Test
        void cancelsWithItsSocketStillConnecting(final HalfOpenLimiter limiter) throws Exception {
            final ConnectAttempt attempt = limiter.acquire(dropping, Duration.ofSeconds(5));
            connecting(dropping);
            attempt.cancel();       // wrong: the socket is still in SYN_SENT, and the slot is free again
        }
    }

    @BehaveLikeXp
    static class ClosesThenCancels {
        @Test
        void closesItsSocketThenCancels(final HalfOpenLimiter limiter) throws Exception {
            final ConnectAttempt attempt = limiter.acquire(dropping, Duration.ofSeconds(5));
            connecting(dropping).close();
            attempt.cancel();
        }
    }

    private static Events run(final Class<?> suite) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute().testEvents();
    }

    @Test
    void anAttemptEndedWhileItsSocketIsConnectingFailsTheTest() {
        final Events events = run(CancelsBeforeClosing.class);
        events.assertStatistics(stats -> stats.started(1).failed(1));
        final Throwable failure = events.failed().stream().findFirst().orElseThrow()
                .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertTrue(failure.getMessage().startsWith("at the end of the test 1 socket(s) of this process were still"
                + " in SYN_SENT towards [" + dropping + "] (sampled from /proc/net/tcp*)"), failure.getMessage());
        assertTrue(failure.getMessage().contains("cancelled=1"), failure.getMessage());
    }

    @Test
    void anOwnerThatClosesItsSocketFirstPasses() {
        run(ClosesThenCancels.class).assertStatistics(stats -> stats.started(1).succeeded(1));
    }
}
