package io.halfopen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Which judge a watch uses, how it says so, and the evidence it leaves. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KernelJudgeTest {

    private final LoopbackPeers peers = new LoopbackPeers();
    private final List<SocketChannel> sockets = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        System.clearProperty(KernelJudge.MODE_PROPERTY);
        System.clearProperty(KernelJudge.EVIDENCE_PROPERTY);
        for (final SocketChannel socket : sockets) {
            socket.close();
        }
        peers.close();
    }

    private void holdInSynSent(final InetSocketAddress dropping, final int count) throws IOException {
        for (int i = 0; i < count; i++) {
            final SocketChannel socket = SocketChannel.open();
            sockets.add(socket);
            socket.configureBlocking(false);
            socket.connect(dropping);
        }
    }

    @Test
    void whereTheTraceRunsItJudgesAndTheSamplerRunsBesideIt() throws IOException {
        Tracing.require();
        final InetSocketAddress dropping = peers.dropping();
        final SynSentVerdict verdict;
        try (SynSentWatch watch = KernelJudge.watcher().label("beside").watch(List.of(dropping))) {
            assertEquals(Judge.TRACED, watch.judge());
            holdInSynSent(dropping, 3);
            final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() - until < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // lets the sampler see them a while
            }
            verdict = watch.stop();
        }
        assertEquals("peak 3 (traced, exact; limit 3)", verdict.describe(3));
        final SamplerFigures sampler = verdict.sampler().orElseThrow();
        assertEquals(3, sampler.twoPeak(), "held 300 ms: every sample sees them");
        assertTrue(verdict.summary(3).contains("sampled: 3 in one sample, 3 in two in a row"), verdict.summary(3));
        assertTrue(verdict.fallbackReason().isEmpty());
        try (SynSentWatch alone = KernelJudge.watcher().label("alone").samplerBeside(false).watch(List.of(dropping))) {
            assertTrue(alone.stop().sampler().isEmpty(), "without the sampler beside, no sampler figures");
        }
    }

    @Test
    void inSampleModeTheSamplerJudgesAndTheVerdictSaysSoAndWhy() throws IOException {
        System.setProperty(KernelJudge.MODE_PROPERTY, "sample");
        System.setProperty(KernelJudge.EVIDENCE_PROPERTY, ""); // sampled on purpose: no evidence for CI to refuse
        assertEquals(JudgeMode.SAMPLE, KernelJudge.mode());
        final InetSocketAddress dropping = peers.dropping();
        final SynSentVerdict verdict;
        try (SynSentWatch watch = KernelJudge.watcher().label("sampled").watch(List.of(dropping))) {
            assertEquals(Judge.SAMPLED, watch.judge());
            holdInSynSent(dropping, 2);
            assertEquals(2, watch.countNow(), "one walk of /proc");
            assertEquals(2, watch.countNow(dropping));
            verdict = watch.stop();
        }
        assertEquals(Judge.SAMPLED, verdict.judge());
        assertEquals("peak 2 (sampled; limit 10)", verdict.describe(10));
        assertEquals(List.of(), verdict.timeline());
        assertTrue(verdict.fallbackReason().orElseThrow().contains("sample"));
        assertTrue(verdict.sampler().orElseThrow().samples() >= KernelJudge.MIN_SAMPLES, verdict::summary);
        verdict.assertNeverAbove(2);
        final AssertionError above = assertThrows(AssertionError.class, () -> verdict.assertNeverAbove(1));
        assertTrue(above.getMessage().contains("two samples in a row"), above.getMessage());
    }

    @Test
    void aModeNamedWronglyIsRefusedNamingTheValue() {
        System.setProperty(KernelJudge.MODE_PROPERTY, "exact");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, KernelJudge::mode);
        assertEquals("-Dhalfopen.judge must be trace, auto or sample, was 'exact'", e.getMessage());
        System.setProperty(KernelJudge.MODE_PROPERTY, "TRACE");
        assertEquals(JudgeMode.TRACE, KernelJudge.mode(), "any case");
    }

    @Test
    void everyWatchLeavesEvidenceOfTheJudgeThatGaveItsVerdict(@TempDir final Path evidence) throws IOException {
        System.setProperty(KernelJudge.EVIDENCE_PROPERTY, evidence.toString());
        final InetSocketAddress dropping = peers.dropping();
        final Judge judge;
        try (SynSentWatch watch = KernelJudge.watcher().label("evidence test").watch(List.of(dropping))) {
            judge = watch.judge();
            holdInSynSent(dropping, 1);
            watch.stop();
        }
        final List<Path> files;
        try (Stream<Path> list = Files.list(evidence)) {
            files = list.toList();
        }
        assertEquals(1, files.size(), files::toString);
        assertTrue(files.get(0).getFileName().toString().startsWith("evidence_test-"), files::toString);
        final String text = Files.readString(files.get(0));
        assertTrue(text.contains("label=evidence test\n"), text);
        assertTrue(text.contains("judge=" + (judge == Judge.TRACED ? "traced" : "sampled") + "\n"), text);
        assertTrue(text.contains("verdict=peak 1 (" + judge.words() + ")"), text);
    }

    /**
     * Not root: with the trace required the watch fails, naming what is missing; in auto mode the sampler
     * judges and the verdict says "sampled". As root, both run in a child JVM as {@code nobody}.
     */
    @Test
    void aRequiredTraceThatCannotRunFailsTheWatchNamingWhatIsMissing() throws Exception {
        final String required;
        final String auto;
        if (KernelJudge.traceUnavailableBecause().isEmpty()) {
            required = asNobody("trace");
            auto = asNobody("auto");
        } else {
            System.setProperty(KernelJudge.EVIDENCE_PROPERTY, ""); // fails and falls back on purpose
            System.setProperty(KernelJudge.MODE_PROPERTY, "trace");
            required = assertThrows(TraceUnavailableException.class,
                    () -> KernelJudge.watch(List.of(peers.dropping()))).getMessage();
            System.setProperty(KernelJudge.MODE_PROPERTY, "auto");
            auto = JudgeChild.watchOnce();
        }
        assertTrue(required.contains("halfopen.judge=trace requires the exact kernel trace, and it cannot run here:")
                && required.contains("not root (effective uid"), required);
        assertTrue(auto.contains("peak 0 (sampled)") && auto.contains("not traced: not root"), auto);
    }

    private static String asNobody(final String mode) throws Exception {
        final String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Path readable = Files.createTempDirectory("halfopen-judge-child-");
        try {
            final String classPath = readableCopy(location(KernelJudge.class), readable.resolve("classes"))
                    + java.io.File.pathSeparator
                    + readableCopy(location(JudgeChild.class), readable.resolve("test-classes"));
            return asNobody(mode, launcher, classPath);
        } finally {
            try (Stream<Path> files = Files.walk(readable)) {
                for (final Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /**
     * Copies a class tree where {@code nobody} can read it: the build's own directories may sit under a private
     * temporary directory (a fresh clone in {@code mktemp -d}).
     */
    private static Path readableCopy(final Path from, final Path to) throws IOException {
        final java.util.Set<java.nio.file.attribute.PosixFilePermission> directory =
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x");
        final java.util.Set<java.nio.file.attribute.PosixFilePermission> file =
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(to.getParent(), directory);
        try (Stream<Path> tree = Files.walk(from)) {
            for (final Path source : tree.toList()) {
                final Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, directory);
                } else {
                    Files.copy(source, target);
                    Files.setPosixFilePermissions(target, file);
                }
            }
        }
        return to;
    }

    private static String asNobody(final String mode, final String launcher, final String classPath)
            throws Exception {
        final ProcessBuilder builder = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", launcher, "-D" + KernelJudge.MODE_PROPERTY + "=" + mode,
                "-D" + KernelJudge.EVIDENCE_PROPERTY + "=", "-cp", classPath, JudgeChild.class.getName())
                .redirectErrorStream(true);
        builder.environment().remove(KernelJudge.MODE_VARIABLE);
        final Process child = builder.start();
        final String output = new String(child.getInputStream().readAllBytes());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), output);
        if (mode.equals("trace")) {
            assertNotEquals(0, child.exitValue(), output);
        } else {
            assertEquals(0, child.exitValue(), output);
        }
        return output;
    }

    private static Path location(final Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
