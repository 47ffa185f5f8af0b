package io.halfopen.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * tracefs on this machine: where it is mounted (mounting it if it is not, as root), and whether this process can
 * trace the tracepoint {@code sock:inet_sock_set_state} there. {@link #open()} either returns a usable tracefs or
 * throws {@link TraceUnavailable} naming the first thing that is missing: not Linux, not root, no tracefs, no such
 * tracepoint, an unexpected ring-buffer layout.
 *
 * <p>Thread-safe: immutable once opened; {@link #open()} caches its answer per JVM.
 */
public final class TraceFs {

    /** The tracepoint, as tracefs names its directory. */
    public static final String EVENT = "events/sock/inet_sock_set_state";

    private static final Path TRACING = Path.of("/sys/kernel/tracing");
    private static final Path DEBUG_TRACING = Path.of("/sys/kernel/debug/tracing");

    private static volatile Object cached; // a TraceFs or a TraceUnavailable

    private final Path root;
    private final EventLayout layout;
    private final PageLayout pages;

    private TraceFs(final Path root, final EventLayout layout, final PageLayout pages) {
        this.root = root;
        this.layout = layout;
        this.pages = pages;
    }

    /**
     * Returns tracefs, mounting it at {@code /sys/kernel/tracing} first if nothing is mounted (root only), or
     * says why the trace cannot run here. The answer is computed once per JVM.
     *
     * @return the usable tracefs
     * @throws TraceUnavailable naming what is missing
     */
    public static TraceFs open() throws TraceUnavailable {
        Object result = cached;
        if (result == null) {
            synchronized (TraceFs.class) {
                result = cached;
                if (result == null) {
                    try {
                        result = probe();
                    } catch (final TraceUnavailable e) {
                        result = e;
                    }
                    cached = result;
                }
            }
        }
        if (result instanceof TraceUnavailable) {
            throw (TraceUnavailable) result;
        }
        return (TraceFs) result;
    }

    private static TraceFs probe() throws TraceUnavailable {
        final String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new TraceUnavailable("not Linux (os.name=" + os + "): the tracepoint sock:inet_sock_set_state is"
                    + " Linux's");
        }
        final long uid = effectiveUid();
        Path root = mounted();
        if (uid != 0 && (root == null || !Files.isWritable(root.resolve("instances")))) {
            throw new TraceUnavailable("not root (effective uid " + uid + "): tracefs (" + TRACING + ") is root's,"
                    + " and a private trace instance must be created in it");
        }
        if (root == null) {
            root = mount();
        }
        if (!Files.isWritable(root.resolve("instances"))) {
            throw new TraceUnavailable("cannot create trace instances: " + root.resolve("instances")
                    + " is not writable, even as root (a read-only tracefs?)");
        }
        final Path format = root.resolve(EVENT).resolve("format");
        if (!Files.isReadable(format)) {
            throw new TraceUnavailable("no tracepoint sock:inet_sock_set_state in this kernel ("
                    + System.getProperty("os.version") + "): " + format + " is missing");
        }
        try {
            final EventLayout layout = EventLayout.parse(read(format));
            final PageLayout pages = PageLayout.parse(read(root.resolve("events/header_page")),
                    read(root.resolve("events/header_event")));
            return new TraceFs(root, layout, pages);
        } catch (final IOException e) {
            throw new TraceUnavailable("cannot read the tracepoint's format under " + root + ": " + e);
        } catch (final IllegalArgumentException e) {
            throw new TraceUnavailable("this kernel's trace format is not the one this reader knows: "
                    + e.getMessage());
        }
    }

    private static Path mounted() {
        for (final Path candidate : List.of(TRACING, DEBUG_TRACING)) {
            if (Files.isDirectory(candidate.resolve("instances"))) {
                return candidate;
            }
        }
        return null;
    }

    private static Path mount() throws TraceUnavailable {
        final List<String> command = List.of("mount", "-t", "tracefs", "nodev", TRACING.toString());
        String output;
        try {
            final Process mount = new ProcessBuilder(command).redirectErrorStream(true).start();
            output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!mount.waitFor(10, TimeUnit.SECONDS)) {
                mount.destroyForcibly();
                output = "timed out";
            }
        } catch (final IOException e) {
            output = e.toString();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            output = "interrupted";
        }
        final Path root = mounted(); // another JVM may have mounted it meanwhile: then ours failed, and that is fine
        if (root == null) {
            throw new TraceUnavailable("no tracefs: " + TRACING + " is not mounted, and `" + String.join(" ", command)
                    + "` failed" + (output.isEmpty() ? "" : ": " + output));
        }
        return root;
    }

    private static long effectiveUid() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]); // real, effective, ...
                }
            }
        } catch (final IOException | RuntimeException e) {
            // unknown: reported as -1
        }
        return -1;
    }

    /** {@return the mount point, e.g. {@code /sys/kernel/tracing}} */
    public Path root() {
        return root;
    }

    /** {@return where the tracepoint's fields are in its records} */
    public EventLayout layout() {
        return layout;
    }

    /** {@return the ring buffer's page and event headers} */
    public PageLayout pages() {
        return pages;
    }

    /** {@return the instances directory} */
    Path instances() {
        return root.resolve("instances");
    }

    /**
     * Reads a tracefs file to its end. ({@link Files#readString} cannot: tracefs files report size 0, and some,
     * like {@code events/header_page}, then hand it one byte.)
     *
     * @param file a tracefs file
     * @return its text
     * @throws IOException if it cannot be read
     */
    static String read(final Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /**
     * Writes a control file the way {@code echo value > file} does, without truncating or creating it.
     *
     * @param file  a tracefs file
     * @param value what to write
     * @throws UncheckedIOException if the kernel refuses it, with the instance's {@code error_log} if it says more
     */
    static void write(final Path file, final String value) {
        try {
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write '" + value + "' to " + file + errorLog(file), e);
        }
    }

    private static String errorLog(final Path file) {
        for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
            final Path log = dir.resolve("error_log");
            if (Files.isReadable(log)) {
                try {
                    final List<String> lines = new ArrayList<>(Files.readAllLines(log));
                    return lines.isEmpty() ? "" : " (error_log: " + String.join(" | ", lines) + ")";
                } catch (final IOException e) {
                    return "";
                }
            }
        }
        return "";
    }
}
