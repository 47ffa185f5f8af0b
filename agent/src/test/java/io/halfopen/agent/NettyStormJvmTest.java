package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.agent.programs.NettyStorm;
import io.halfopen.testkit.LoopbackPeers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A Netty NIO client without any halfopen handler, in a child JVM: its non-blocking connects are held without a
 * SYN until granted, and its event loops neither spin nor fail ({@code finishConnect} is only called, and only
 * succeeds, once the real connect ended). Judged by the kernel's trace.
 */
@Tag("child-jvm")
class NettyStormJvmTest {

    private static final int LIMIT = 10;

    @Test
    void heldConnectsKeepTheKernelAtTheLimitWithoutAConnectTimeout() throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final Trio trio = Trio.of(peers);
            // no Netty connect timeout: only the agent's half-open timeout ends the dropped connects
            final Judged<ChildJvm.Result> run = Judged.run(trio.peers(),
                    () -> ChildJvm.run(List.of(ChildJvm.javaagent("halfOpenTimeout=500ms")), NettyStorm.class,
                            Duration.ofSeconds(60), trio.storm(150, 30, 20, "0")));
            final ChildJvm.Result child = run.result();
            System.out.println("netty storm with the agent (" + trio + "): " + run.verdict().summary(LIMIT) + "; "
                    + child.result()
                    + " in " + child.took().toMillis() + " ms");
            assertEquals(0, child.exit(), child::toString);
            run.verdict().assertNeverAbove(LIMIT);
            run.verdict().assertReached(LIMIT);
            assertEquals(200, child.count("total"), child::toString);
            assertEquals(0, child.count("hung"), child::toString);
            assertEquals(150, child.count("established"), child::toString);
            assertEquals(50, child.count("AnnotatedConnectException") + child.count("ConnectException"),
                    child::toString);
            assertTrue(child.stderr().contains("Event 4226"), child::toString);
        }
    }

    @Test
    void withoutTheAgentTheSameClientExceedsTheLimit() throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final Trio trio = Trio.of(peers);
            final Judged<ChildJvm.Result> run = Judged.run(trio.peers(),
                    () -> ChildJvm.run(List.of(), NettyStorm.class, Duration.ofSeconds(60),
                            trio.storm(150, 30, 20, "1500")));
            System.out.println("netty storm without the agent (control): " + run.verdict().summary(LIMIT) + "; "
                    + run.result().result());
            assertEquals(0, run.result().exit(), run.result()::toString);
            assertTrue(run.verdict().peak() > LIMIT, () -> run.verdict().summary(LIMIT));
        }
    }
}
