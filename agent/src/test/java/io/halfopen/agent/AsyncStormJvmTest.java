package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.agent.programs.AsyncStorm;
import io.halfopen.testkit.LoopbackPeers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code AsynchronousSocketChannel} connects (both forms) in a child JVM, judged by the kernel's trace. */
@Tag("child-jvm")
class AsyncStormJvmTest {

    private static final int LIMIT = 10;

    @Test
    void heldAsyncConnectsKeepTheKernelAtTheLimitAndAllComplete() throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final Trio trio = Trio.of(peers);
            final Judged<ChildJvm.Result> run = Judged.run(trio.peers(),
                    () -> ChildJvm.run(List.of(ChildJvm.javaagent("halfOpenTimeout=500ms")), AsyncStorm.class,
                            Duration.ofSeconds(60), trio.storm(150, 30, 20)));
            final ChildJvm.Result child = run.result();
            System.out.println("AsynchronousSocketChannel storm with the agent: " + run.verdict().summary(LIMIT) + "; "
                    + child.result() + " in " + child.took().toMillis() + " ms");
            assertEquals(0, child.exit(), child::toString);
            run.verdict().assertNeverAbove(LIMIT);
            run.verdict().assertReached(LIMIT);
            assertEquals(200, child.count("total"), child::toString);
            assertEquals(0, child.count("hung"), child::toString);
            assertEquals(150, child.count("established"), child::toString);
            assertEquals(50, child.count("ConnectException"), child::toString);
        }
    }
}
