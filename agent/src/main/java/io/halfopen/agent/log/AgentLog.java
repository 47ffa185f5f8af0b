package io.halfopen.agent.log;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the agent's messages go: {@code System.Logger} (the default, so they land wherever the application
 * logs), standard error, or a file. Both the agent's own lines and limiter-core's (event 4226 among them, through
 * {@link AgentSlf4jProvider}) come here.
 *
 * <p>Records are handed to one daemon thread ({@code halfopen-agent-log}) through a bounded queue and written
 * there, never on the caller's thread: the caller is often inside a JDK connect, and the application's logging
 * framework may itself open sockets (a socket appender) or take locks; writing from our own thread keeps it
 * out of the connect path. A full queue drops the record and counts it; the next record written says how many
 * were dropped. Once the JVM is exiting nothing more goes to {@code System.Logger}, whose handlers shut down with
 * it (java.util.logging's own shutdown hook closes them, and a record published after that is lost without a
 * word): a shutdown hook writes what is still queued to stderr (or the file), and the writer thread, which
 * writes each record under the same lock and first asks whether the JVM is exiting, sends any record it still
 * takes there too. (Seen before: a child JVM that exited a few seconds after start, on a loaded machine, lost
 * the refusals it had logged, because the writer took them from the queue and handed them to the closed
 * handlers while the hook drained an empty queue.) Only a record handed to {@code System.Logger} in the
 * microseconds between that question and the JVM's exit can still be lost. The hook waits at most a second for
 * a record being written, so a blocked logging framework cannot hold up the exit.
 *
 * <p>Thread-safe.
 */
public final class AgentLog {

    /** The {@code System.Logger} name of the agent's own messages. */
    public static final String AGENT_LOGGER = "io.halfopen.agent";

    private static final String SHADED_PREFIX = "io.halfopen.agent.shaded.";
    private static final int CAPACITY = 4096;

    private static final BlockingQueue<Entry> QUEUE = new ArrayBlockingQueue<>(CAPACITY);
    private static final AtomicLong DROPPED = new AtomicLong();
    private static volatile Sink sink = new LoggerSink();
    private static volatile Thread writer;
    /** Held while one record is written, by the writer thread and by the exit hook's drain. */
    private static final ReentrantLock WRITING = new ReentrantLock();
    /**
     * Set by the exit hook: from then on records go to stderr or the file. The hook waits at most
     * {@link #EXIT_WAIT_MILLIS} for a record being written (an application's logging framework could block),
     * so that it can never hold up the JVM's exit for longer.
     */
    private static volatile boolean exiting;
    private static final long EXIT_WAIT_MILLIS = 1000;
    /** Never started: registering it fails once the JVM has begun to exit. */
    private static final Thread EXIT_PROBE = new Thread(() -> { }, "halfopen-agent-exit-probe");

    private AgentLog() {
    }

    /** A destination. */
    private interface Sink {
        void write(Entry entry);
    }

    private record Entry(Level level, String logger, String message, Throwable thrown, Instant time) {
    }

    /** Sends records to {@code System.Logger}. */
    public static void toSystemLogger() {
        sink = new LoggerSink();
    }

    /** Sends records to standard error. */
    public static void toStderr() {
        sink = new StreamSink(System.err);
    }

    /**
     * Appends records to a file, creating it if needed.
     *
     * @param file the file
     * @throws IOException if it cannot be opened for appending
     */
    public static void toFile(final Path file) throws IOException {
        final PrintStream out = new PrintStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), true, StandardCharsets.UTF_8);
        sink = new StreamSink(out);
    }

    /**
     * Logs an agent message.
     *
     * @param level   the level
     * @param message the text
     */
    public static void log(final Level level, final String message) {
        log(level, AGENT_LOGGER, message, null);
    }

    /**
     * Logs a message.
     *
     * @param level   the level
     * @param logger  the logger name; a relocated limiter-core name is shown as the original
     * @param message the text
     * @param thrown  an exception to show, or {@code null}
     */
    public static void log(final Level level, final String logger, final String message, final Throwable thrown) {
        final String name = logger.startsWith(SHADED_PREFIX) ? logger.substring(SHADED_PREFIX.length()) : logger;
        final Entry entry = new Entry(level, name, message, thrown, Instant.now());
        ensureWriter();
        if (!QUEUE.offer(entry)) {
            DROPPED.incrementAndGet();
        }
    }

    /** Writes what is queued on the calling thread, to standard error, for a JVM about to exit. */
    public static void drainToStderr() {
        final Sink out = sink instanceof LoggerSink ? new StreamSink(System.err) : sink;
        Entry e;
        while ((e = QUEUE.poll()) != null) {
            out.write(e);
        }
    }

    private static void ensureWriter() {
        if (writer == null) {
            startWriter();
        }
    }

    private static synchronized void startWriter() {
        if (writer != null) {
            return;
        }
        final Thread t = new Thread(AgentLog::writeLoop, "halfopen-agent-log");
        t.setDaemon(true);
        writer = t;
        t.start();
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(AgentLog::drainAtExit, "halfopen-agent-log-exit"));
        } catch (final IllegalStateException shuttingDown) {
            // the JVM is already exiting: nothing more to add
        }
    }

    private static void drainAtExit() {
        exiting = true;
        boolean locked = false;
        try {
            locked = WRITING.tryLock(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            final Sink out = target();
            Entry e;
            while ((e = QUEUE.poll()) != null) {
                out.write(e);
            }
        } finally {
            if (locked) {
                WRITING.unlock();
            }
        }
    }

    /** The sink to write to now: stderr instead of {@code System.Logger} once the JVM is exiting. */
    private static Sink target() {
        final Sink current = sink;
        return current instanceof LoggerSink && (exiting || jvmExiting()) ? new StreamSink(System.err) : current;
    }

    /** Whether the JVM has begun to run its shutdown hooks (then no hook can be added). Under WRITING. */
    private static boolean jvmExiting() {
        try {
            Runtime.getRuntime().addShutdownHook(EXIT_PROBE);
        } catch (final IllegalStateException shuttingDown) {
            return true;
        }
        Runtime.getRuntime().removeShutdownHook(EXIT_PROBE);
        return false;
    }

    private static void writeLoop() {
        while (true) {
            try {
                final Entry e = QUEUE.take();
                WRITING.lock();
                try {
                    final Sink out = target();
                    final long dropped = DROPPED.getAndSet(0);
                    if (dropped > 0) {
                        out.write(new Entry(Level.WARNING, AGENT_LOGGER, dropped + " log records were dropped (the"
                                + " agent's log queue of " + CAPACITY + " was full)", null, Instant.now()));
                    }
                    out.write(e);
                } finally {
                    WRITING.unlock();
                }
            } catch (final InterruptedException stop) {
                return;
            } catch (final Throwable t) {
                // a broken logging framework must not kill the writer
                System.err.println("halfopen-agent: logging failed: " + t);
            }
        }
    }

    /** To {@code System.Logger}; loggers are looked up on the writer thread, lazily. */
    private static final class LoggerSink implements Sink {
        @Override
        public void write(final Entry e) {
            final System.Logger logger = System.getLogger(e.logger());
            if (e.thrown() == null) {
                logger.log(e.level(), e.message());
            } else {
                logger.log(e.level(), e.message(), e.thrown());
            }
        }
    }

    /** One line per record, to a stream. */
    private static final class StreamSink implements Sink {
        private final PrintStream out;

        StreamSink(final PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(final Entry e) {
            final StringBuilder line = new StringBuilder(160).append(e.time()).append(' ').append(e.level())
                    .append(' ').append(e.logger()).append(": ").append(e.message());
            if (e.thrown() != null) {
                final StringWriter trace = new StringWriter();
                e.thrown().printStackTrace(new PrintWriter(trace));
                line.append(System.lineSeparator()).append(trace);
            }
            synchronized (out) {
                out.println(line);
            }
        }
    }
}
