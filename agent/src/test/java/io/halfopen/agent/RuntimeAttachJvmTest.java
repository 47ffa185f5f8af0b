package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.agent.programs.AttachTarget;
import io.halfopen.testkit.LoopbackPeers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar halfopen-agent.jar PID OPTIONS} attaches the agent to a JVM that is already running and has
 * already loaded the JDK's socket classes: they are retransformed (advice only), and its next connect storm
 * stays at the limit.
 */
@Tag("child-jvm")
class RuntimeAttachJvmTest {

    @Test
    void anAgentAttachedToARunningJvmLimitsItsNextStorm() throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final InetSocketAddress accept = peers.accepting();
            final InetSocketAddress refuse = peers.refusing();
            final InetSocketAddress drop = peers.dropping();
            // JDK 21+ warns about dynamically loaded agents unless allowed; JDK 17 has no such flag
            try (ChildJvm.Running child = ChildJvm.start(List.of("-XX:+IgnoreUnrecognizedVMOptions",
                    "-XX:+EnableDynamicAgentLoading"), AttachTarget.class,
                    accept.getHostString() + ":" + accept.getPort(), "3000", SocketStormJvmTest.target(accept, 150),
                    SocketStormJvmTest.target(refuse, 30), SocketStormJvmTest.target(drop, 20))) {
                child.awaitLine("READY", Duration.ofSeconds(30));
                final Process attach = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                        ChildJvm.agentJar().toString(), Long.toString(child.pid()), "halfOpenTimeout=500ms")
                        .redirectErrorStream(true).start();
                final String attachOutput = new String(attach.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(attach.waitFor(60, TimeUnit.SECONDS), attachOutput);
                assertEquals(0, attach.exitValue(), attachOutput);
                final Judged<ChildJvm.Result> run = Judged.run(
                        List.of(accept, refuse, drop), () -> {
                            child.send("GO");
                            return child.await(Duration.ofSeconds(60));
                        });
                final ChildJvm.Result result = run.result();
                System.out.println("attached at run time: " + attachOutput.trim() + "; " + run.verdict().summary(10)
                        + "; " + result.result());
                assertEquals(0, result.exit(), result::toString);
                assertTrue(result.stderr().contains("halfopen agent: attached; outbound TCP connects of this JVM go"
                        + " through one limiter"), result::toString);
                run.verdict().assertNeverAbove(10);
                run.verdict().assertReached(10);
                assertEquals(150, result.count("established"), result::toString);
                assertEquals(200, result.count("total"), result::toString);
            }
        }
    }
}
