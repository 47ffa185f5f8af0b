package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.agent.programs.Hello;
import io.halfopen.agent.programs.SocketStorm;
import io.halfopen.testkit.LoopbackPeers;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent does with its argument string, in child JVMs: refuses bad values, logs what it limits. */
@Tag("child-jvm")
class AgentArgumentsJvmTest {

    @Test
    void aBadArgumentLeavesTheApplicationRunningUnthrottledAndSaysWhy() throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final InetSocketAddress drop = peers.dropping();
            final Judged<ChildJvm.Result> run = Judged.run(List.of(drop),
                    () -> ChildJvm.run(List.of(ChildJvm.javaagent("maxHalfOpen=zero")), SocketStorm.class,
                            Duration.ofSeconds(60), "1000", SocketStormJvmTest.target(drop, 20)));
            final ChildJvm.Result child = run.result();
            System.out.println("bad argument: " + run.verdict().summary() + "; " + child.result());
            assertEquals(0, child.exit(), child::toString);
            assertTrue(child.stderr().contains("halfopen agent: bad option: maxHalfOpen=zero must be a whole number"
                    + " of at least 1. The agent does nothing: this JVM's connects are not limited"), child::toString);
            assertEquals(20, child.count("SocketTimeoutException"), child::toString);
            assertEquals(20, run.verdict().peak(), () -> "unthrottled: all 20 at once; " + run.verdict().summary());
        }
    }

    @Test
    void strictMakesABadArgumentStopTheJvmWithTheMessage() throws Exception {
        final ChildJvm.Result child = ChildJvm.run(List.of(ChildJvm.javaagent("strict=true,halfOpenTimeout=soon")),
                Hello.class, Duration.ofSeconds(30));
        assertEquals(1, child.exit(), child::toString);
        assertTrue(child.stderr().contains("halfopen agent: bad option: halfOpenTimeout=soon is not a positive"
                + " duration (write 21s, 500ms, 2m, 1h or PT21S); strict=true, so the JVM stops"), child::toString);
        assertFalse(child.stdout().contains("RESULT"), "the application must not have run: " + child);
    }

    @Test
    void theStartUpLogSaysExactlyWhichPathsAreLimitedAndWhichOnlyCounted(@TempDir final Path dir) throws Exception {
        final Path log = dir.resolve("agent.log");
        final ChildJvm.Result child = ChildJvm.run(List.of(ChildJvm.javaagent("log=file:" + log)), Hello.class,
                Duration.ofSeconds(30));
        assertEquals(0, child.exit(), child::toString);
        assertEquals(1, child.count("ran"));
        final String written = Files.readString(log);
        System.out.println("the agent's start-up log:\n" + written);
        assertTrue(written.contains("halfopen agent: limited paths: socket, channel-blocking, channel-adaptor,"
                + " channel-non-blocking, async\n"), written);
        assertTrue(written.contains("halfopen agent: counted-only paths: none\n"), written);
        assertFalse(written.contains("paths not instrumented"), written);
        assertFalse(written.contains("weaving problems"), written);
        assertTrue(written.contains("stats in JMX as io.halfopen:type=HalfOpenLimiter"), written);
        assertFalse(child.stderr().contains("halfopen agent:"), "log=file: keeps the agent off stderr: " + child);
    }
}
