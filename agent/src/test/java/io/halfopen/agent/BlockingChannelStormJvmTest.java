package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.agent.programs.BlockingChannelStorm;
import io.halfopen.testkit.LoopbackPeers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Blocking {@code SocketChannel} connects, through {@code connect} (no timeout: only the half-open timeout ends a
 * dropped one) and through the socket adaptor's timed connect, 200 threads at once; judged by the kernel.
 */
@Tag("child-jvm")
class BlockingChannelStormJvmTest {

    @Test
    void blockingChannelConnectsWaitForASlotAndEnd() throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final Trio trio = Trio.of(peers);
            final Judged<ChildJvm.Result> run = Judged.run(trio.peers(),
                    () -> ChildJvm.run(List.of(ChildJvm.javaagent("halfOpenTimeout=500ms")),
                            BlockingChannelStorm.class, Duration.ofSeconds(60), trio.storm(150, 30, 20, "5000")));
            final ChildJvm.Result child = run.result();
            System.out.println("blocking SocketChannel storm with the agent: " + run.verdict().summary(10) + "; "
                    + child.result());
            assertEquals(0, child.exit(), child::toString);
            run.verdict().assertNeverAbove(10);
            run.verdict().assertReached(10);
            assertEquals(200, child.count("total"), child::toString);
            assertEquals(150, child.count("established"), child::toString);
            assertEquals(30, child.count("ConnectException"), child::toString);
            assertEquals(20, child.count("SocketTimeoutException"), child::toString);
        }
    }
}
