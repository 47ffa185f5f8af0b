package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.agent.programs.SocketStorm;
import io.halfopen.testkit.LoopbackPeers;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain {@code Socket} connect storm from 200 threads, in a child JVM that knows nothing of halfopen, against
 * loopback peers that accept, refuse and drop; judged by the kernel's trace.
 */
@Tag("child-jvm")
class SocketStormJvmTest {

    private static final int LIMIT = 10;

    static String target(final InetSocketAddress peer, final int count) {
        return Trio.target(peer, count);
    }

    @Test
    void withTheAgentTheKernelNeverSeesMoreThanTenConnectsInSynSentAndEveryConnectEnds(@TempDir final Path dir)
            throws Exception {
        final Path recording = dir.resolve("storm.jfr");
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final Trio trio = Trio.of(peers);
            final Judged<ChildJvm.Result> run = Judged.run(trio.peers(),
                    () -> ChildJvm.run(List.of(ChildJvm.javaagent("profile=XP_PRO_SP2,halfOpenTimeout=500ms"),
                            "-XX:StartFlightRecording=filename=" + recording + ",settings=profile"),
                            SocketStorm.class, Duration.ofSeconds(60), trio.storm(150, 30, 20, "3000")));
            final ChildJvm.Result child = run.result();
            System.out.println("socket storm with the agent: " + run.verdict().summary(LIMIT) + "; " + child.result());
            assertEquals(0, child.exit(), child::toString);
            run.verdict().assertNeverAbove(LIMIT);
            run.verdict().assertReached(LIMIT);
            assertEquals(200, child.count("total"), child::toString);
            assertEquals(150, child.count("established"), child::toString);
            assertEquals(30, child.count("ConnectException"), child::toString);
            assertEquals(20, child.count("SocketTimeoutException"), child::toString);
            assertTrue(child.stderr().contains("Event 4226 (Tcpip, Warning): TCP/IP has reached the security limit"
                    + " imposed on the number of concurrent TCP connect attempts."), child::toString);
            // the same event in JFR; and no thread was pinned while it waited (none is virtual here; see the
            // virtual-thread test for that)
            final List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
            assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("io.halfopen.LimitReached")),
                    "JFR event io.halfopen.LimitReached");
        }
    }

    @Test
    void withoutTheAgentTheSameStormExceedsTheLimit() throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final Trio trio = Trio.of(peers);
            final Judged<ChildJvm.Result> run = Judged.run(trio.peers(),
                    () -> ChildJvm.run(List.of(), SocketStorm.class, Duration.ofSeconds(60),
                            trio.storm(150, 30, 20, "3000")));
            System.out.println("socket storm without the agent (control): " + run.verdict().summary(LIMIT) + "; "
                    + run.result().result());
            assertEquals(0, run.result().exit(), run.result()::toString);
            assertTrue(run.verdict().peak() > LIMIT, () -> "the control must exceed the limit: "
                    + run.verdict().summary(LIMIT));
        }
    }
}
