package io.halfopen.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One private tracefs instance ({@code instances/halfopen-testkit-<pid>-<n>-<random>}): its own ring buffer,
 * clock and filter, independent of every other instance (other JVMs, other engineers' tools trace at the same
 * time). Removed by {@link #remove()}, or by a shutdown hook if the JVM exits first; instances whose JVM died
 * without either (killed) are removed by the next one created on the machine.
 *
 * <p>Thread-safe: the control files are written by the owner; {@link #remove()} is idempotent and may race the
 * shutdown hook.
 */
public final class TraceInstance {

    static final String PREFIX = "halfopen-testkit-";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Set<TraceInstance> LIVE = ConcurrentHashMap.newKeySet();

    static {
        final Thread hook = new Thread(() -> List.copyOf(LIVE).forEach(TraceInstance::remove),
                "syn-sent-trace-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private final TraceFs fs;
    private final Path dir;
    private final List<AutoCloseable> users = new ArrayList<>();
    private boolean removed; // guarded by this

    private TraceInstance(final TraceFs fs, final Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    /**
     * Creates an instance, with the {@code mono} clock (the clock of {@link System#nanoTime()}, one across CPUs),
     * the given per-CPU buffer and the tracepoint's filter; the tracepoint is not enabled yet.
     *
     * @param fs       tracefs
     * @param filter   the tracepoint filter
     * @param bufferKb the ring buffer per CPU, in KiB
     * @return the instance
     */
    public static TraceInstance create(final TraceFs fs, final String filter, final int bufferKb) {
        removeStale(fs);
        final String name = PREFIX + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
        final TraceInstance instance = new TraceInstance(fs, fs.instances().resolve(name));
        try {
            Files.createDirectory(instance.dir);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the trace instance " + instance.dir, e);
        }
        LIVE.add(instance);
        try {
            TraceFs.write(instance.dir.resolve("tracing_on"), "0");
            TraceFs.write(instance.dir.resolve("trace_clock"), "mono");
            TraceFs.write(instance.dir.resolve("buffer_size_kb"), Integer.toString(bufferKb));
            TraceFs.write(instance.event("filter"), filter);
        } catch (final RuntimeException e) {
            instance.remove();
            throw e;
        }
        return instance;
    }

    private Path event(final String file) {
        return dir.resolve(TraceFs.EVENT).resolve(file);
    }

    /** {@return the instance's directory} */
    public Path dir() {
        return dir;
    }

    /** {@return each CPU's {@code trace_pipe_raw}, by CPU number} */
    public Map<Integer, Path> cpuPipes() {
        final Map<Integer, Path> pipes = new HashMap<>();
        try (DirectoryStream<Path> cpus = Files.newDirectoryStream(dir.resolve("per_cpu"), "cpu*")) {
            for (final Path cpu : cpus) {
                pipes.put(Integer.parseInt(cpu.getFileName().toString().substring(3)), cpu.resolve("trace_pipe_raw"));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot list " + dir.resolve("per_cpu"), e);
        }
        return pipes;
    }

    /** {@return the size of one ring-buffer page as {@code trace_pipe_raw} hands it out} */
    public int pageBytes() {
        final Path subBuffer = dir.resolve("buffer_subbuf_size_kb");
        if (Files.isReadable(subBuffer)) {
            try {
                return Integer.parseInt(TraceFs.read(subBuffer).trim()) * 1024;
            } catch (final IOException | NumberFormatException e) {
                throw new IllegalStateException("cannot read " + subBuffer, e);
            }
        }
        return 4096; // kernels before 6.8: one page
    }

    /**
     * Makes {@code user} (a reader of the instance's files) closed before the instance is removed.
     *
     * @param user what to close
     */
    public synchronized void closeBeforeRemoval(final AutoCloseable user) {
        users.add(user);
    }

    /** Enables the tracepoint and starts recording. */
    public void start() {
        TraceFs.write(event("enable"), "1");
        TraceFs.write(dir.resolve("tracing_on"), "1");
    }

    /** Stops recording; what is in the buffer stays readable. */
    public void stopRecording() {
        TraceFs.write(dir.resolve("tracing_on"), "0");
    }

    /**
     * Reads one CPU's counters: {@code entries} (unread), {@code overrun}, {@code commit overrun},
     * {@code dropped events}, {@code read events}.
     *
     * @param cpu the CPU
     * @return the counters by name
     */
    public Map<String, Long> stats(final int cpu) {
        final Map<String, Long> stats = new HashMap<>();
        try {
            for (final String line : TraceFs.read(dir.resolve("per_cpu/cpu" + cpu + "/stats")).split("\n")) {
                final int colon = line.indexOf(':');
                if (colon > 0) {
                    try {
                        stats.put(line.substring(0, colon).trim(), Long.parseLong(line.substring(colon + 1).trim()));
                    } catch (final NumberFormatException timestamp) {
                        // "oldest event ts" and "now ts" are times, not counters
                    }
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the trace counters of cpu " + cpu, e);
        }
        return stats;
    }

    /**
     * {@return the first unread records of every CPU as tracefs prints them (its {@code trace} file, which does not
     * consume them), for a diagnosis}
     *
     * @param lines how many lines at most
     */
    String unread(final int lines) {
        try {
            final String[] all = TraceFs.read(dir.resolve("trace")).split("\n");
            final StringBuilder text = new StringBuilder();
            int shown = 0;
            for (final String line : all) {
                if (!line.startsWith("#") && !line.isBlank() && shown++ < lines) {
                    text.append("\n  ").append(line.strip());
                }
            }
            return text.length() == 0 ? "(none)" : text.toString();
        } catch (final IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /**
     * Removes the instance: closes its readers, disables the tracepoint, deletes the directory (retrying while
     * a closing reader still holds a file). Idempotent; never throws.
     */
    public void remove() {
        final List<AutoCloseable> toClose;
        synchronized (this) {
            if (removed) {
                return;
            }
            removed = true;
            toClose = new ArrayList<>(users);
        }
        for (final AutoCloseable user : toClose) {
            try {
                user.close();
            } catch (final Exception e) {
                // best effort: the rmdir below says whether it mattered
            }
        }
        removeDirectory(dir);
        LIVE.remove(this);
    }

    private static void removeDirectory(final Path dir) {
        try {
            TraceFs.write(dir.resolve("tracing_on"), "0");
            TraceFs.write(dir.resolve(TraceFs.EVENT).resolve("enable"), "0");
        } catch (final UncheckedIOException gone) {
            // already removed, or half created: the rmdir decides
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (true) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (final IOException busy) {
                if (System.nanoTime() - deadline > 0) {
                    System.err.println("syn-sent-trace: could not remove the trace instance " + dir + ": " + busy);
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // a reader's file is still closing
            }
        }
    }

    /** Removes the instances of JVMs that no longer run (killed before their shutdown hook ran). */
    static void removeStale(final TraceFs fs) {
        try (DirectoryStream<Path> instances = Files.newDirectoryStream(fs.instances(), PREFIX + "*")) {
            for (final Path instance : instances) {
                final String rest = instance.getFileName().toString().substring(PREFIX.length());
                final int dash = rest.indexOf('-');
                try {
                    final long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        removeDirectory(instance);
                    }
                } catch (final NumberFormatException notOurs) {
                    // not a name this class makes
                }
            }
        } catch (final IOException e) {
            // listing failed: nothing stale is removed, and creating the new instance will say what is wrong
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
