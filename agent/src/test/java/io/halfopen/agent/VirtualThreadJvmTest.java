package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.agent.programs.VirtualThreadStorm;
import io.halfopen.testkit.LoopbackPeers;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2,000 virtual threads connecting through the agent (JDK 21 and later): the ones waiting for a slot park
 * without pinning their carrier (JFR records no {@code jdk.VirtualThreadPinned}), and the kernel stays at the
 * limit.
 */
@Tag("child-jvm")
class VirtualThreadJvmTest {

    @Test
    void virtualThreadsWaitingForASlotAreNeverPinned(@TempDir final Path dir) throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21 or later");
        final Path recording = dir.resolve("virtual.jfr");
        try (LoopbackPeers peers = new LoopbackPeers()) {
            // accepts and closes at once, with a backlog of 4,096: 1,960 connects must never meet a full accept
            // queue, where a dropped SYN is resent only after 1 s, past the 300 ms half-open timeout. With testkit's
            // accepting() (backlog 128; the agent's own peer had 1,024) 8 of them timed out on JDK 25 at load 15.
            final InetSocketAddress accept = peers.acceptingAndClosing();
            final InetSocketAddress drop = peers.dropping();
            final Judged<ChildJvm.Result> run = Judged.run(List.of(accept, drop),
                    () -> ChildJvm.run(List.of(ChildJvm.javaagent("halfOpenTimeout=300ms"),
                            "-XX:StartFlightRecording=filename=" + recording + ",settings=profile"),
                            VirtualThreadStorm.class, Duration.ofSeconds(90), "10000",
                            SocketStormJvmTest.target(accept, 1960), SocketStormJvmTest.target(drop, 40)));
            final ChildJvm.Result child = run.result();
            final List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
            final List<RecordedEvent> pinnedEvents = events.stream()
                    .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned")).toList();
            final long pinned = pinnedEvents.size();
            System.out.println("virtual threads with the agent: " + run.verdict().summary(10) + "; " + child.result()
                    + "; JFR jdk.VirtualThreadPinned events: " + pinned);
            assertEquals(0, child.exit(), child::toString);
            run.verdict().assertNeverAbove(10);
            run.verdict().assertReached(10);
            assertEquals(2000, child.count("total"), child::toString);
            assertEquals(1960, child.count("established"), child::toString);
            assertEquals(0, pinned, () -> "virtual threads pinned while waiting for a slot, where: " + pinnedEvents.stream()
                    .map(e -> e.getStackTrace() == null ? "(no stack)" : e.getStackTrace().getFrames().stream()
                            .limit(12).map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName()
                                    + ":" + f.getLineNumber()).toList().toString())
                    .toList());
            assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("io.halfopen.LimitReached")));
        }
    }
}
