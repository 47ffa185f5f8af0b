package io.halfopen.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One file per finished watch in the directory named by {@value KernelJudge#EVIDENCE_PROPERTY} (or the
 * environment variable {@value KernelJudge#EVIDENCE_VARIABLE}), saying which judge gave the verdict, so that CI
 * can check that none fell back to the sampler. Nothing is written when neither is set, or when the property is set
 * to the empty string (a test that judges by the sampler on purpose). A file is a few
 * {@code key=value} lines: {@code label}, {@code judge} ({@code traced}, {@code sampled} or {@code failed}),
 * {@code mode}, {@code verdict}.
 *
 * <p>Thread-safe: each watch writes its own file.
 */
final class Evidence {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Evidence() {
    }

    static void record(final SynSentVerdict verdict, final JudgeMode mode) {
        write(verdict.label(), verdict.judge().name().toLowerCase(java.util.Locale.ROOT), mode,
                verdict.summary().replace('\n', ' '));
    }

    static void failed(final String label, final JudgeMode mode, final Judge judge, final String why) {
        write(label, "failed", mode, judge.words() + ": " + String.valueOf(why).replace('\n', ' '));
    }

    private static void write(final String label, final String judge, final JudgeMode mode, final String verdict) {
        String dir = System.getProperty(KernelJudge.EVIDENCE_PROPERTY); // set but empty: none, whatever the variable
        if (dir == null) {
            dir = System.getenv(KernelJudge.EVIDENCE_VARIABLE);
        }
        if (dir == null || dir.isBlank()) {
            return;
        }
        final String name = label.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + ProcessHandle.current().pid() + "-"
                + SEQUENCE.incrementAndGet() + ".judge";
        final String text = "label=" + label + "\njudge=" + judge + "\nmode=" + mode.name().toLowerCase(
                java.util.Locale.ROOT) + "\nverdict=" + verdict + "\n";
        try {
            final Path directory = Path.of(dir);
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(name), text, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot leave the kernel judge's evidence in " + dir, e);
        }
    }
}
