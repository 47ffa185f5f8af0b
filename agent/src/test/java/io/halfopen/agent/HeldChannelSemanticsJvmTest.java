package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.agent.programs.HeldChannelSemantics;
import io.halfopen.testkit.LoopbackPeers;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A held non-blocking connect behaves as the JDK documents a pending one: {@code connect} returns {@code false},
 * {@code isConnectionPending()} is {@code true}, {@code finishConnect()} returns {@code false} (non-blocking) or
 * waits (blocking), a second {@code connect} throws {@code ConnectionPendingException}; its selector does not
 * spin; a close leaves the queue; the grant makes {@code OP_CONNECT} fire; a refusal and the half-open timeout
 * reach {@code finishConnect} as exceptions. One slot ({@code maxHalfOpen=1}).
 */
@Tag("child-jvm")
class HeldChannelSemanticsJvmTest {

    @Test
    void aHeldConnectIsAPendingConnectToTheApplication() throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final InetSocketAddress accept = peers.accepting();
            final InetSocketAddress drop = peers.dropping();
            final InetSocketAddress refuse = peers.refusing();
            final ChildJvm.Result child = ChildJvm.run(
                    List.of(ChildJvm.javaagent("maxHalfOpen=1,halfOpenTimeout=1500ms")), HeldChannelSemantics.class,
                    Duration.ofSeconds(60), hostPort(accept), hostPort(drop), hostPort(refuse));
            assertEquals(0, child.exit(), child::toString);
            final Map<String, String> r = child.result();
            System.out.println("held channel semantics: " + r);
            assertEquals("false", r.get("firstConnectReturns"), child::toString);
            assertEquals("1", r.get("halfOpenAfterFirst"));
            assertEquals("false", r.get("heldConnectReturns"));
            assertEquals("true", r.get("heldIsConnectionPending"));
            assertEquals("false", r.get("heldIsConnected"));
            assertEquals("false", r.get("heldFinishConnect"));
            assertEquals("ConnectionPendingException", r.get("heldConnectAgain"));
            assertEquals("1", r.get("heldNonBlockingConnects"));
            assertEquals("0", r.get("heldSelectReady"), "a held channel was reported ready");
            final int loops = Integer.parseInt(r.get("heldSelectLoops"));
            assertTrue(loops <= 10, "the selector spun: " + loops + " select(100) calls in 500 ms");
            assertEquals("2/1", r.get("queuedBeforeAndAfterClosingAHeldConnect"));
            assertEquals("1", r.get("grantedSelectReady"));
            assertEquals("true", r.get("grantedFinishConnect"));
            assertEquals("true", r.get("grantedIsConnected"));
            assertEquals("true", r.get("grantedWithinMillisUnder2000"));
            assertEquals("true", r.get("blockingFinishConnectWaits"));
            assertEquals("true", r.get("blockingFinishConnectAfterGrant"));
            assertEquals("1", r.get("refusedSelectReady"));
            assertEquals("ConnectException", r.get("refusedFinishConnect"));
            assertEquals("false", r.get("refusedChannelOpen"));
            assertEquals("1", r.get("timedOutSelectReady"));
            assertEquals("ConnectException(timed_out)", r.get("timedOutFinishConnect"));
            assertEquals("true", r.get("timedOutAfterMillisAtLeast1000"));
            assertEquals("0/0", r.get("drained"));
        }
    }

    private static String hostPort(final InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }
}
