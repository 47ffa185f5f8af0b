package io.halfopen.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.JudgeMode;
import io.halfopen.testkit.LoopbackPeers;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The trace's plumbing: lost events are reported, instances are private, removed, and stale ones cleaned up. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TraceSessionTest {

    private final LoopbackPeers peers = new LoopbackPeers();

    @BeforeEach
    void requireTheTrace() {
        final Optional<String> missing = KernelJudge.traceUnavailableBecause();
        if (missing.isPresent() && KernelJudge.mode() == JudgeMode.TRACE) {
            fail("the kernel trace is required here and cannot run: " + missing.get());
        }
        assumeTrue(missing.isEmpty(), () -> "the kernel trace cannot run here: " + missing.orElse(""));
    }

    private static void refusedConnects(final InetSocketAddress refusing, final int count) throws IOException {
        for (int i = 0; i < count; i++) {
            try (SocketChannel socket = SocketChannel.open()) {
                socket.connect(refusing);
                fail("the refusing peer accepted");
            } catch (final ConnectException expected) {
                // refused, as it should be
            }
        }
    }

    /**
     * The known-bad control for loss detection: readers held back while 5,000 connects fill a 64 KiB buffer
     * (about 850 records a CPU) must make the outcome say events were lost; so must a stalled reader in any run.
     */
    @Test
    void eventsLostBecauseTheReadersFellBehindAreReported() throws Exception {
        final InetSocketAddress refusing = peers.refusing();
        final TraceSession session = TraceSession.start(Destinations.exactly(List.of(refusing)), 64);
        final TraceSession.Outcome outcome;
        try {
            final List<CpuReader> readers = session.readers();
            holdAll(readers, 0, () -> {
                refusedConnects(refusing, 5_000);
                return null;
            });
        } finally {
            outcome = session.stop();
        }
        assertFalse(outcome.problems().isEmpty(), "5,000 connects into a 64 KiB buffer that nobody read");
        assertTrue(outcome.problems().get(0).contains("lost"), outcome.problems()::toString);
    }

    private interface Body {
        Void run() throws Exception;
    }

    private static void holdAll(final List<CpuReader> readers, final int i, final Body body) throws Exception {
        if (i == readers.size()) {
            body.run();
            return;
        }
        synchronized (readers.get(i).handOverLock()) {
            holdAll(readers, i + 1, body);
        }
    }

    @Test
    void aNormalRunReportsNoProblemAndRemovesItsInstance() throws Exception {
        final InetSocketAddress refusing = peers.refusing();
        final TraceSession first = TraceSession.start(Destinations.exactly(List.of(refusing)), 1024);
        final TraceSession second = TraceSession.start(Destinations.exactly(List.of(refusing)), 1024);
        final Path one = first.instance().dir();
        final Path two = second.instance().dir();
        assertFalse(one.equals(two), "each trace has its own instance");
        assertTrue(one.getFileName().toString().startsWith(TraceInstance.PREFIX + ProcessHandle.current().pid() + "-"));
        refusedConnects(refusing, 100);
        final TraceSession.Outcome outcome = first.stop();
        assertEquals(List.of(), outcome.problems());
        assertEquals(200, outcome.result().size());
        assertFalse(Files.exists(one), "stopped: its instance is gone");
        assertTrue(Files.exists(two), "the other trace is independent");
        assertEquals(200, second.stop().result().size(), "and saw the same connects");
        assertFalse(Files.exists(two));
    }

    @Test
    void anInstanceLeftByAJvmThatDiedIsRemovedByTheNextTrace() throws Exception {
        final TraceFs fs = TraceFs.open();
        final long dead = deadPid();
        final Path stale = fs.instances().resolve(TraceInstance.PREFIX + dead + "-1-abcde");
        Files.createDirectory(stale);
        final Path foreign = fs.instances().resolve("not-ours-" + ProcessHandle.current().pid());
        Files.createDirectory(foreign);
        try {
            TraceSession.start(Destinations.onPorts(List.of(9)), 256).stop();
            assertFalse(Files.exists(stale), "the dead JVM's instance is removed");
            assertTrue(Files.exists(foreign), "another tool's instance is left alone");
        } finally {
            Files.deleteIfExists(stale);
            Files.deleteIfExists(foreign);
        }
    }

    private static long deadPid() throws Exception {
        final Process process = new ProcessBuilder("true").start();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        return process.pid(); // reaped: no such process any more (until the pid is reused, far away)
    }

    /**
     * A JVM that exits without stopping its trace leaves no instance (the shutdown hook removes it); one killed
     * with SIGKILL leaves it, and the next trace on the machine removes it.
     */
    @Test
    void aJvmThatExitsOrIsKilledWhileTracingLeavesNoInstanceBehindForLong() throws Exception {
        final TraceFs fs = TraceFs.open();
        final Process exits = child("exit");
        assertTrue(exits.waitFor(30, TimeUnit.SECONDS), "the child did not exit");
        assertEquals(0, exits.exitValue(), output(exits));
        assertEquals(List.of(), instancesOf(fs, exits.pid()), "the shutdown hook removes the instance");

        final Process killed = child("hang");
        try {
            final String ready = new String(killed.getInputStream().readNBytes(6));
            assertEquals("ready\n", ready, () -> "the child did not start tracing: " + ready + output(killed));
            assertEquals(1, instancesOf(fs, killed.pid()).size(), "tracing");
        } finally {
            killed.destroyForcibly();
            assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(1, instancesOf(fs, killed.pid()).size(), "SIGKILL runs no hook");
        TraceSession.start(Destinations.onPorts(List.of(9)), 256).stop();
        assertEquals(List.of(), instancesOf(fs, killed.pid()), "the next trace removed it");
    }

    private static Process child(final String mode) throws IOException {
        final String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final String classPath = location(TraceSession.class) + java.io.File.pathSeparator
                + location(TracingChild.class);
        return new ProcessBuilder(launcher, "-cp", classPath, TracingChild.class.getName(), mode)
                .redirectErrorStream(true).start();
    }

    private static String location(final Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (final java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String output(final Process process) {
        try {
            return new String(process.getInputStream().readAllBytes());
        } catch (final IOException e) {
            return "(its output could not be read: " + e + ")";
        }
    }

    private static List<Path> instancesOf(final TraceFs fs, final long pid) throws IOException {
        final List<Path> found = new ArrayList<>();
        try (var instances = Files.newDirectoryStream(fs.instances(), TraceInstance.PREFIX + pid + "-*")) {
            instances.forEach(found::add);
        }
        return found;
    }
}
