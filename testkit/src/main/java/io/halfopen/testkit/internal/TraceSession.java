package io.halfopen.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One trace from start to stop: a private instance, one {@link CpuReader} per CPU streaming its buffer, and the
 * {@link SynSentLedger} that merges them. {@link #countNow} first catches up: it waits until every CPU's reader
 * has decoded every record the kernel handed out (the instance's per-CPU {@code stats}: no unread entries, and
 * {@code read events} equal to the records decoded), then applies everything stamped before the call.
 *
 * <p>Thread-safe: {@link #countNow}, {@link #stop} and {@link #abort} are serialized on this object.
 */
public final class TraceSession {

    /** How long after a bound every record stamped before it is surely committed (a write takes microseconds). */
    private static final long COMMIT_MARGIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /** How long the readers may take to catch up before the trace is called broken. */
    private static final long CATCH_UP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final Destinations destinations;
    private final TraceInstance instance;
    private final List<CpuReader> readers;
    private final SynSentLedger ledger;
    private final long startNanos;
    private Outcome outcome;

    private TraceSession(final Destinations destinations, final TraceInstance instance, final List<CpuReader> readers,
            final int cpus) {
        this.destinations = destinations;
        this.instance = instance;
        this.readers = readers;
        this.ledger = new SynSentLedger(destinations, cpus);
        readers.forEach(CpuReader::start);
        instance.start();
        this.startNanos = System.nanoTime();
    }

    /**
     * Starts tracing the destinations' SYN_SENT transitions; returns once the tracepoint records.
     *
     * @param destinations what to count
     * @param bufferKb     the ring buffer per CPU, KiB
     * @return the running session
     * @throws TraceUnavailable if the trace cannot run here
     */
    public static TraceSession start(final Destinations destinations, final int bufferKb) throws TraceUnavailable {
        final TraceFs fs = TraceFs.open();
        final TraceInstance instance = TraceInstance.create(fs, destinations.kernelFilter(), bufferKb);
        final List<CpuReader> readers = new ArrayList<>();
        try {
            final RingBufferPages decoder = new RingBufferPages(fs.pages(), fs.layout());
            final int pageBytes = instance.pageBytes();
            final TreeMap<Integer, Path> pipes = new TreeMap<>(instance.cpuPipes());
            for (final Map.Entry<Integer, Path> pipe : pipes.entrySet()) {
                readers.add(new CpuReader(pipe.getKey(), pipe.getValue(), pageBytes, decoder, destinations));
            }
            instance.closeBeforeRemoval(() -> {
                for (final CpuReader reader : readers) {
                    reader.close();
                }
            });
            final int cpus = pipes.isEmpty() ? 0 : pipes.lastKey() + 1;
            return new TraceSession(destinations, instance, readers, cpus);
        } catch (final IOException e) {
            instance.remove();
            throw new UncheckedIOException("cannot open the trace instance's buffers in " + instance, e);
        } catch (final RuntimeException | Error e) {
            instance.remove();
            throw e;
        }
    }

    /** {@return when the trace began recording, in {@link System#nanoTime()}} */
    public long startNanos() {
        return startNanos;
    }

    /**
     * {@return the exact number of sockets in SYN_SENT towards the destinations now, counting every transition the
     * kernel made before this call}
     */
    public synchronized int countNow() {
        checkRunning();
        final long bound = System.nanoTime();
        catchUp(bound);
        ledger.processUpTo(bound);
        return ledger.count();
    }

    /**
     * {@return the exact number of sockets in SYN_SENT towards it now}
     *
     * @param destination a destination index ({@link Destinations#index})
     */
    public synchronized int countNow(final int destination) {
        checkRunning();
        final long bound = System.nanoTime();
        catchUp(bound);
        ledger.processUpTo(bound);
        return ledger.count(destination);
    }

    private void checkRunning() {
        if (outcome != null) {
            throw new IllegalStateException("the trace was stopped");
        }
    }

    private void catchUp(final long bound) {
        readers.forEach(CpuReader::hurry);
        try {
            final long deadline = System.nanoTime() + CATCH_UP_TIMEOUT_NANOS;
            while (true) {
                boolean caughtUp = System.nanoTime() - bound >= COMMIT_MARGIN_NANOS;
                final StringBuilder behind = new StringBuilder();
                for (final CpuReader reader : readers) {
                    if (reader.failure() != null) {
                        throw new IllegalStateException("the trace reader of cpu " + reader.cpu() + " failed",
                                reader.failure());
                    }
                    if (!reader.alive()) {
                        throw new IllegalStateException("the trace reader of cpu " + reader.cpu() + " ended");
                    }
                    final Map<String, Long> stats = instance.stats(reader.cpu());
                    final long unread = stats.getOrDefault("entries", 0L);
                    final long handedOut = stats.getOrDefault("read events", 0L);
                    if (unread > 0 || reader.records() != handedOut) {
                        caughtUp = false;
                        behind.append(" cpu").append(reader.cpu()).append(": ").append(unread).append(" unread, ")
                                .append(handedOut).append(" handed out, ").append(reader.records())
                                .append(" decoded, ").append(reader.emptyReads()).append(" empty reads;");
                    }
                }
                if (caughtUp) {
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the trace readers did not catch up within "
                            + TimeUnit.NANOSECONDS.toSeconds(CATCH_UP_TIMEOUT_NANOS) + " s:" + behind
                            + " unread, as tracefs prints them: " + instance.unread(10));
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50)); // the readers run on their own threads
            }
        } finally {
            readers.forEach(CpuReader::relax);
        }
        readers.forEach(ledger::take);
    }

    /**
     * Stops recording, reads what is left, removes the instance and says what the trace saw. Idempotent.
     *
     * @return the outcome
     */
    public synchronized Outcome stop() {
        if (outcome != null) {
            return outcome;
        }
        final long endNanos = System.nanoTime();
        final List<String> problems = new ArrayList<>();
        try {
            instance.stopRecording();
            catchUp(endNanos);
            ledger.processUpTo(Long.MAX_VALUE);
            long lost = 0;
            for (final CpuReader reader : readers) {
                final Map<String, Long> stats = instance.stats(reader.cpu());
                final long cpuLost = stats.getOrDefault("overrun", 0L) + stats.getOrDefault("commit overrun", 0L)
                        + stats.getOrDefault("dropped events", 0L);
                if (cpuLost > 0) {
                    problems.add("cpu " + reader.cpu() + " lost " + cpuLost + " events (" + stats + ")");
                }
                lost += Math.max(cpuLost, reader.lostInPages()); // two views of the same loss
                if (reader.lossUncounted()) {
                    problems.add("cpu " + reader.cpu() + ": a page said events were lost before it");
                }
            }
            if (lost > 0) {
                problems.add(0, "the trace lost " + lost + " events: the buffer filled faster than it was read (a"
                        + " larger buffer helps: -Dhalfopen.trace.bufferKb)");
            }
        } catch (final RuntimeException e) {
            problems.add("the trace could not be read to its end: " + e);
        } finally {
            instance.remove();
        }
        for (final CpuReader reader : readers) {
            if (reader.failure() != null) {
                problems.add("the reader of cpu " + reader.cpu() + " failed: " + reader.failure());
            }
        }
        if (ledger.lateTransitions() > 0) {
            problems.add(ledger.lateTransitions() + " transitions arrived after later ones had been counted");
        }
        if (ledger.doubleEntries() > 0) {
            problems.add(ledger.doubleEntries() + " sockets entered SYN_SENT twice without leaving it");
        }
        outcome = new Outcome(ledger.result(), startNanos, endNanos, List.copyOf(problems));
        return outcome;
    }

    /** Removes the instance without reading on (the watch failed elsewhere). */
    public synchronized void abort() {
        instance.remove();
    }

    /** {@return the CPUs' readers} */
    List<CpuReader> readers() {
        return readers;
    }

    /** {@return the instance traced into} */
    TraceInstance instance() {
        return instance;
    }

    /** {@return the destinations counted} */
    public Destinations destinations() {
        return destinations;
    }

    /**
     * What a stopped trace saw.
     *
     * @param result     the transitions and exact counts
     * @param startNanos when recording began ({@link System#nanoTime()})
     * @param endNanos   when it was stopped
     * @param problems   why the count may not be exact: lost events, late or repeated transitions (empty: exact)
     */
    public record Outcome(SynSentLedger.Result result, long startNanos, long endNanos, List<String> problems) {
    }
}
