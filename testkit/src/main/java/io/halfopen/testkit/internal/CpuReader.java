package io.halfopen.testkit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Streams one CPU's ring buffer ({@code per_cpu/cpuN/trace_pipe_raw}) while the watch runs, so that the buffer
 * only has to hold what arrives between two reads, however long the storm: each {@code read} consumes one page
 * (the kernel blocks it while the buffer is empty), which is decoded into a batch of transitions towards the
 * watched destinations and handed to {@link #drainTo}. After a page that was not full the reader pauses
 * {@value #PACING_MICROS} µs, so that a trickle of events costs one wake-up per pause rather than one per event,
 * unless someone {@link #hurry() hurries} it. Closing the channel (from any thread) ends the blocked read, and
 * only that ends the reader: a read that returns nothing is retried.
 *
 * <p>Thread-safety: one daemon thread reads; {@link #drainTo}, {@link #records()} and {@link #hurry()} may be
 * called from any thread. {@link #records()} is written after the page's batch is in the pending store, so
 * a caller that sees {@code records()} equal the kernel's count of read events also sees every one of them.
 */
final class CpuReader {

    static final long PACING_MICROS = 1000;
    /** The largest record of the tracepoint, with headers: a page with less room than this left is full. */
    private static final int LARGEST_RECORD = 128;

    private final int cpu;
    private final FileChannel channel;
    private final ByteBuffer page;
    private final RingBufferPages decoder;
    private final Destinations destinations;
    private final Thread thread;
    private final Object lock = new Object();
    private final EventColumns pending = new EventColumns(); // guarded by lock
    private volatile long records;
    private volatile long emptyReads;
    private volatile long lostInPages;
    private volatile boolean lossUncounted;
    private volatile boolean hurried;
    private volatile Throwable failure;

    CpuReader(final int cpu, final Path pipe, final int pageBytes, final RingBufferPages decoder,
            final Destinations destinations) throws IOException {
        this.cpu = cpu;
        this.channel = FileChannel.open(pipe);
        this.page = ByteBuffer.allocateDirect(pageBytes);
        this.decoder = decoder;
        this.destinations = destinations;
        this.thread = new Thread(this::run, "syn-sent-trace-cpu" + cpu);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        final EventColumns batch = new EventColumns();
        final RingBufferPages.Sink sink = (nanos, socket, oldState, newState, sport, dport, protocol, high, low) -> {
            if (protocol == 6 && (oldState == 2 || newState == 2)) {
                final int destination = destinations.index(high, low, dport);
                if (destination >= 0) {
                    batch.add(nanos, socket, destination, EventColumns.info(oldState, newState, sport));
                }
            }
        };
        try {
            while (true) {
                page.clear();
                while (page.hasRemaining()) {
                    if (channel.read(page) < 0) {
                        // The kernel returns 0 bytes, without blocking, when it cannot hand out the reader page
                        // at the moment although the buffer is not empty (seen while a network namespace was
                        // torn down): not the end, which only close() makes. Try again shortly.
                        emptyReads++;
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(hurried ? 50 : PACING_MICROS));
                    }
                }
                page.flip();
                final RingBufferPages.PageSummary summary = decoder.decode(page, sink);
                synchronized (lock) {
                    pending.addAll(batch);
                }
                batch.clear();
                if (summary.lost() > 0) {
                    lostInPages += summary.lost();
                } else if (summary.lost() < 0) {
                    lossUncounted = true;
                }
                records += summary.records(); // after the batch is pending: see the class comment
                final boolean full = summary.dataLength() >= page.capacity() - 16 - LARGEST_RECORD;
                if (!full && !hurried) {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(PACING_MICROS)); // batching, see above
                }
            }
        } catch (final ClosedChannelException stopped) {
            // closed by stop(): every page was read before
        } catch (final IOException | RuntimeException | Error e) {
            failure = e;
        }
    }

    /** Moves the transitions decoded so far into {@code target}. */
    void drainTo(final EventColumns target) {
        synchronized (lock) {
            target.addAll(pending);
            pending.clear();
        }
    }

    /**
     * {@return the lock the reader takes to hand over each decoded page; whoever holds it stops the reader after its
     * current page (the loss test fills the buffer that way)}
     */
    Object handOverLock() {
        return lock;
    }

    /** {@return data records decoded so far, of any event} */
    long records() {
        return records;
    }

    /** {@return reads that returned nothing without blocking (the kernel could not hand a page out then)} */
    long emptyReads() {
        return emptyReads;
    }

    /** {@return events the page headers said were lost} */
    long lostInPages() {
        return lostInPages;
    }

    /** {@return whether a page said events were lost without saying how many} */
    boolean lossUncounted() {
        return lossUncounted;
    }

    /** {@return what ended the reader abnormally, or null} */
    Throwable failure() {
        return failure;
    }

    /** {@return whether the reading thread still runs} */
    boolean alive() {
        return thread.isAlive();
    }

    int cpu() {
        return cpu;
    }

    /**
     * Makes the reader read on without pausing (or stop pausing) until {@link #relax()}.
     */
    void hurry() {
        hurried = true;
        LockSupport.unpark(thread);
    }

    void relax() {
        hurried = false;
    }

    /** Ends the reader: closes its channel, which ends a blocked read, and waits for the thread. */
    void close() throws InterruptedException {
        try {
            channel.close();
        } catch (final IOException e) {
            // closing a tracefs file does not fail in a way that matters here
        }
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
