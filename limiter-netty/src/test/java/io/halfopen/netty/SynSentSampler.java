package io.halfopen.netty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the kernel's SYN_SENT sockets, the ground truth for "never more than N half-open": a daemon thread
 * reads {@code /proc/net/tcp} and {@code /proc/net/tcp6} about every millisecond and counts the sockets in
 * state {@code 02} (SYN_SENT) whose remote port is one of the watched ports and that belong to this process
 * (their inode is one of this JVM's open socket descriptors), so that other processes' connects do not
 * count. Linux only. Reusable: {@link #start}, run the workload, {@link #stop()}, then read
 * {@link #peak()} and {@link #samples()}.
 *
 * <pre>{@code
 * try (SynSentSampler sampler = SynSentSampler.start(Set.of(peerPort))) {
 *     ... connect ...
 *     sampler.stop();
 *     assertTrue(sampler.peak() <= limit);
 * }
 * }</pre>
 *
 * <p>A sample is not an atomic snapshot: the kernel lists its tables bucket by bucket, about a page per
 * {@code read}, so a socket that closes while a sample is read and another that opens meanwhile can both be
 * counted, and a sample may count one more than were ever half-open at once. The walk also resumes where the
 * previous {@code read} stopped by position, so when sockets come and go the same socket can be listed twice:
 * sockets are counted once per inode. The reads are kept as short as possible (one reused buffer, nothing
 * allocated per line); {@link #peakSockets()} shows the sockets behind the peak, for a diagnosis. Only the
 * peers' ports are watched, so peers must own their ports for the whole test (a port that was merely bound
 * and released may be taken by another process's listener, whose clients would then be counted).
 *
 * <p>Thread-safe: the counters are written by the sampling thread and read through volatiles.
 */
public final class SynSentSampler implements AutoCloseable {

    private static final String SYN_SENT = "02";
    private static final Path[] TABLES = {Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")};

    private final Set<Integer> remotePorts;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int peak;
    private volatile int last;
    private volatile long samples;
    private volatile long nonZeroSamples;
    private volatile Throwable failure;
    private volatile String peakSockets = "";

    private SynSentSampler(final Set<Integer> remotePorts, final long intervalNanos) {
        this.remotePorts = Set.copyOf(remotePorts);
        this.intervalNanos = intervalNanos;
        this.thread = new Thread(this::run, "syn-sent-sampler");
        this.thread.setDaemon(true);
    }

    /**
     * Starts sampling every millisecond.
     *
     * @param remotePorts the peers' ports: only SYN_SENT sockets to one of them count
     * @return the running sampler
     */
    public static SynSentSampler start(final Set<Integer> remotePorts) {
        return start(remotePorts, TimeUnit.MILLISECONDS.toNanos(1));
    }

    /**
     * Starts sampling at the given interval.
     *
     * @param remotePorts   the peers' ports
     * @param intervalNanos the pause between two samples
     * @return the running sampler
     */
    public static SynSentSampler start(final Set<Integer> remotePorts, final long intervalNanos) {
        final SynSentSampler sampler = new SynSentSampler(remotePorts, intervalNanos);
        sampler.thread.start();
        return sampler;
    }

    /**
     * Counts the SYN_SENT sockets to the given ports once, now.
     *
     * @param remotePorts the peers' ports
     * @return how many sockets are in SYN_SENT towards them
     */
    public static int countNow(final Set<Integer> remotePorts) {
        return new Table().count(remotePorts, null);
    }

    /**
     * Reads the tables with as few and as quick reads as possible, reusing one buffer and allocating nothing
     * per line, to keep each sample's walk of the kernel's tables short (see the class comment).
     */
    private static final class Table {
        private byte[] buffer = new byte[1 << 16];

        private final java.util.Map<String, String> inodes = new java.util.LinkedHashMap<>();
        private final Set<String> ownSockets = new java.util.HashSet<>();
        private final Set<String> foreignSockets = new java.util.HashSet<>();

        int count(final Set<Integer> remotePorts, final StringBuilder matches) {
            inodes.clear();
            for (final Path table : TABLES) {
                final int length = read(table);
                parse(length, remotePorts);
            }
            inodes.keySet().removeIf(this::isForeign);
            if (matches != null) {
                inodes.values().forEach(line -> matches.append(line).append('\n'));
            }
            return inodes.size();
        }

        /**
         * Whether a socket belongs to another process: only this JVM's sockets count, since the promise is
         * about one process (one limiter), and other tests on the machine may connect to a port that a peer
         * here happens to reuse. A socket in SYN_SENT always has an open descriptor (closing one aborts the
         * connect), so {@code /proc/self/fd} lists every socket of ours that the kernel lists.
         */
        private boolean isForeign(final String inode) {
            if (ownSockets.contains(inode)) {
                return false;
            }
            if (!foreignSockets.contains(inode)) {
                rescanOwnSockets();
                if (ownSockets.contains(inode)) {
                    return false;
                }
                foreignSockets.add(inode);
            }
            return true;
        }

        private void rescanOwnSockets() {
            try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                fds.forEach(fd -> {
                    try {
                        final String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            ownSockets.add(target.substring("socket:[".length(), target.length() - 1));
                        }
                    } catch (final IOException closedMeanwhile) {
                        // the descriptor closed while listing: not a socket of ours any more
                    }
                });
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private int read(final Path table) {
            int length = 0;
            try (InputStream in = Files.newInputStream(table)) {
                while (true) {
                    if (length == buffer.length) {
                        buffer = Arrays.copyOf(buffer, buffer.length * 2);
                    }
                    final int n = in.read(buffer, length, buffer.length - length);
                    if (n < 0) {
                        return length;
                    }
                    length += n;
                }
            } catch (final NoSuchFileException noIpv6) {
                return 0;
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        // "  sl  local_address rem_address   st ..." then e.g. "   0: 0100007F:A1B2 0100007F:1F90 02 ..."
        private int parse(final int length, final Set<Integer> remotePorts) {
            int count = 0;
            int lineStart = indexOf('\n', 0, length) + 1; // skip the header
            while (lineStart > 0 && lineStart < length) {
                int lineEnd = indexOf('\n', lineStart, length);
                if (lineEnd < 0) {
                    lineEnd = length;
                }
                final int remoteStart = skipField(skipField(skipSpaces(lineStart, lineEnd), lineEnd), lineEnd);
                final int stateStart = skipField(remoteStart, lineEnd);
                if (stateStart + 1 < lineEnd && buffer[stateStart] == SYN_SENT.charAt(0)
                        && buffer[stateStart + 1] == SYN_SENT.charAt(1)) {
                    final int colon = lastIndexOf(':', remoteStart, stateStart);
                    int port = 0;
                    for (int i = colon + 1; i < stateStart && buffer[i] != ' '; i++) {
                        port = (port << 4) | Character.digit(buffer[i], 16);
                    }
                    final String inode = inode(stateStart, lineEnd);
                    if (remotePorts.contains(port) && !inodes.containsKey(inode)) {
                        count++;
                        inodes.put(inode, new String(buffer, lineStart, lineEnd - lineStart,
                                StandardCharsets.US_ASCII).trim());
                    }
                }
                lineStart = lineEnd + 1;
            }
            return count;
        }

        /** The inode: the tenth field; fields 4 to 9 follow the state. */
        private String inode(final int stateStart, final int lineEnd) {
            int i = stateStart;
            for (int field = 0; field < 6; field++) {
                i = skipField(i, lineEnd);
            }
            final int end = skipField(i, lineEnd);
            return new String(buffer, i, end - i, StandardCharsets.US_ASCII).trim();
        }

        private int skipSpaces(int i, final int end) {
            while (i < end && buffer[i] == ' ') {
                i++;
            }
            return i;
        }

        private int skipField(int i, final int end) {
            while (i < end && buffer[i] != ' ') {
                i++;
            }
            return skipSpaces(i, end);
        }

        private int indexOf(final char c, final int from, final int end) {
            for (int i = from; i < end; i++) {
                if (buffer[i] == c) {
                    return i;
                }
            }
            return -1;
        }

        private int lastIndexOf(final char c, final int from, final int end) {
            for (int i = end - 1; i >= from; i--) {
                if (buffer[i] == c) {
                    return i;
                }
            }
            return from - 1;
        }
    }

    private void run() {
        try {
            final Table table = new Table();
            final StringBuilder matches = new StringBuilder();
            while (running) {
                matches.setLength(0);
                final int now = table.count(remotePorts, matches);
                last = now;
                if (now > peak) {
                    peak = now;
                    peakSockets = matches.toString();
                }
                if (now > 0) {
                    nonZeroSamples++;
                }
                samples++;
                LockSupport.parkNanos(intervalNanos); // pacing, not waiting for a condition
            }
        } catch (final Throwable t) {
            failure = t;
        }
    }

    /**
     * Stops sampling and waits for the sampling thread to end.
     *
     * @return this sampler, for reading its results
     */
    public SynSentSampler stop() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("the SYN_SENT sampler failed", failure);
        }
        return this;
    }

    /** @return the most SYN_SENT sockets seen in one sample */
    public int peak() {
        return peak;
    }

    /** @return the {@code /proc} lines of the sockets counted in the first sample that saw the peak */
    public String peakSockets() {
        return peakSockets;
    }

    /** @return the count in the latest sample */
    public int last() {
        return last;
    }

    /** @return how many samples were taken */
    public long samples() {
        return samples;
    }

    /** @return how many samples saw at least one SYN_SENT socket */
    public long nonZeroSamples() {
        return nonZeroSamples;
    }

    @Override
    public void close() {
        running = false;
    }

    @Override
    public String toString() {
        return "SynSentSampler[peak " + peak + ", " + samples + " samples, " + nonZeroSamples + " non-zero]";
    }
}
