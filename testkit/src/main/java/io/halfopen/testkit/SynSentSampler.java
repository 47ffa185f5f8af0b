package io.halfopen.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
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
 * state {@code 02} (SYN_SENT) either towards one of the watched ports and belonging to this process (their
 * inode is one of this JVM's open socket descriptors, so that other processes' connects do not count), or,
 * with {@link #startTowards}, towards exactly one of the watched peers (address and port). Linux only.
 * Reusable: {@link #start}, run the workload, {@link #stop()}, then read {@link #peak()} and
 * {@link #samples()}.
 *
 * <pre>{@code
 * try (SynSentSampler sampler = SynSentSampler.start(Set.of(peerPort))) {
 *     ... connect ...
 *     sampler.stop();
 *     assertTrue(sampler.peak() <= limit);
 * }
 * }</pre>
 *
 * <p>What a sample costs: each read of a table walks the kernel's whole established-connections hash (262,144
 * buckets on a 24 GiB machine), about a millisecond per table whatever it holds. So with exact peers a table's
 * last, empty {@code read} is spared where possible (see {@link #SURELY_AT_END}), and with exact peers
 * ({@link #startTowards}) only
 * {@code /proc/net/tcp6} is read on every sample, since the JDK's and Netty's sockets are dual-stack and list
 * their IPv4 connects there; {@code /proc/net/tcp} is read every {@value #IPV4_TABLE_CHECK_EVERY}th sample,
 * and on every sample from the first one that finds a watched socket in it (IPv4-only sockets, e.g. with
 * {@code -Djava.net.preferIPv4Stack=true}). An interval of 0 samples back to back.
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
    private static final Path IPV4_TABLE = Path.of("/proc/net/tcp");
    private static final Path IPV6_TABLE = Path.of("/proc/net/tcp6");
    /** With exact peers, how often the IPv4 table is read while no watched socket was ever found in it. */
    private static final int IPV4_TABLE_CHECK_EVERY = 32;
    /**
     * A {@code read} of a {@code /proc/net/tcp*} table returns at most one page (the seq_file's buffer) and
     * stops early only at the table's end or when the next line (under 200 bytes) would not fit: a read of
     * fewer bytes than this was the last one, and reading on would only walk the rest of the hash to find
     * nothing more.
     */
    private static final int SURELY_AT_END = 2048;
    /**
     * The room the buffer keeps free for each {@code read}: more than a page, so that a short read means the
     * table's end, not the buffer's (the buffer grows instead).
     */
    private static final int ROOM_PER_READ = 8192;
    /** Samples taken before {@link #startTowards} returns, so that the parsing is compiled when it counts. */
    private static final int WARM_UP_SAMPLES = 200;

    private final Set<Integer> remotePorts;
    private final Set<String> remoteEndpoints;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int peak;
    private volatile int last;
    private volatile long samples;
    private volatile long nonZeroSamples;
    private volatile Throwable failure;
    private volatile String peakSockets = "";
    private volatile int peakSeenTwice;
    private volatile String peakSeenTwiceSockets = "";
    private volatile long startNanos;
    private volatile long endNanos;

    private SynSentSampler(final Set<Integer> remotePorts, final Set<String> remoteEndpoints,
            final long intervalNanos) {
        this.remotePorts = Set.copyOf(remotePorts);
        this.remoteEndpoints = remoteEndpoints == null ? null : Set.copyOf(remoteEndpoints);
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
        final SynSentSampler sampler = new SynSentSampler(remotePorts, null, intervalNanos);
        sampler.thread.start();
        return sampler;
    }

    /**
     * Starts sampling the SYN_SENT sockets towards exactly the given peers (address and port), at the given
     * interval. An IPv4 peer also matches a dual-stack socket's IPv4-mapped form in {@code /proc/net/tcp6}.
     * Every such socket counts, whichever process owns it: the peers must be the test's own (a container, a
     * namespace, or a loopback port it holds), so that nothing else connects to them. Skipping the ownership
     * check keeps each sample to two reads, however many connects come and go.
     *
     * @param peers         the peers' addresses, resolved
     * @param intervalNanos the pause between two samples
     * @return the running sampler
     */
    public static SynSentSampler startTowards(final Collection<InetSocketAddress> peers, final long intervalNanos) {
        return startTowards(peers, intervalNanos, WARM_UP_SAMPLES);
    }

    /**
     * {@link #startTowards(Collection, long)} with a given warm-up: none where the sampler only runs beside the
     * trace, whose figures are then only for comparison.
     */
    static SynSentSampler startTowards(final Collection<InetSocketAddress> peers, final long intervalNanos,
            final int warmUpSamples) {
        final SynSentSampler sampler = new SynSentSampler(ports(peers), procEndpoints(peers), intervalNanos);
        final Table warmUp = new Table(sampler.remoteEndpoints);
        for (int i = 0; i < warmUpSamples; i++) {
            warmUp.count(sampler.remotePorts, null);
        }
        sampler.thread.start();
        return sampler;
    }

    /**
     * Counts the SYN_SENT sockets towards exactly the given peers once, now.
     *
     * @param peers the peers' addresses, resolved
     * @return how many of this process's sockets are in SYN_SENT towards them
     */
    public static int countNowTowards(final Collection<InetSocketAddress> peers) {
        return new Table(procEndpoints(peers)).count(ports(peers), null);
    }

    private static Set<Integer> ports(final Collection<InetSocketAddress> peers) {
        final Set<Integer> ports = new HashSet<>();
        peers.forEach(peer -> ports.add(peer.getPort()));
        return ports;
    }

    /**
     * The peers as {@code /proc/net/tcp*} prints a remote endpoint: the address as 32-bit words in host order
     * (little-endian here), a colon, the port; each in upper-case hex.
     */
    private static Set<String> procEndpoints(final Collection<InetSocketAddress> peers) {
        final Set<String> endpoints = new HashSet<>();
        for (final InetSocketAddress peer : peers) {
            final InetAddress address = peer.getAddress();
            if (address == null) {
                throw new IllegalArgumentException("peer must be resolved, was " + peer);
            }
            final String port = String.format(Locale.ROOT, ":%04X", peer.getPort());
            final byte[] bytes = address.getAddress();
            if (address instanceof Inet4Address) {
                endpoints.add(procWords(bytes) + port);
                final byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                endpoints.add(procWords(mapped) + port);
            } else {
                endpoints.add(procWords(bytes) + port);
            }
        }
        return endpoints;
    }

    private static String procWords(final byte[] bytes) {
        final StringBuilder hex = new StringBuilder(bytes.length * 2);
        for (int word = 0; word < bytes.length; word += 4) {
            for (int i = word + 3; i >= word; i--) {
                hex.append(String.format(Locale.ROOT, "%02X", bytes[i] & 0xff));
            }
        }
        return hex.toString();
    }

    /**
     * Counts the SYN_SENT sockets to the given ports once, now.
     *
     * @param remotePorts the peers' ports
     * @return how many sockets are in SYN_SENT towards them
     */
    public static int countNow(final Set<Integer> remotePorts) {
        return new Table(null).count(remotePorts, null);
    }

    /**
     * Reads the tables with as few and as quick reads as possible, reusing one buffer and allocating nothing
     * per line, to keep each sample's walk of the kernel's tables short (see the class comment).
     */
    private static final class Table {
        private byte[] buffer = new byte[1 << 16];
        private final Set<String> remoteEndpoints;

        /** @param remoteEndpoints the peers in {@code /proc}'s form, or {@code null} to match on ports only */
        Table(final Set<String> remoteEndpoints) {
            this.remoteEndpoints = remoteEndpoints;
        }

        private final java.util.Map<String, String> inodes = new java.util.LinkedHashMap<>();
        private boolean ipv4TableInUse;
        private int sinceIpv4Check;
        private final Set<String> ownSockets = new java.util.HashSet<>();
        private final Set<String> foreignSockets = new java.util.HashSet<>();

        int count(final Set<Integer> remotePorts, final StringBuilder matches) {
            inodes.clear();
            if (remoteEndpoints == null || ipv4TableInUse || ++sinceIpv4Check == IPV4_TABLE_CHECK_EVERY) {
                sinceIpv4Check = 0;
                if (parse(read(IPV4_TABLE), remotePorts) > 0) {
                    ipv4TableInUse = true;
                }
            }
            parse(read(IPV6_TABLE), remotePorts);
            if (remoteEndpoints == null) {
                inodes.keySet().removeIf(this::isForeign); // exact peers are the test's own: no other process
            }
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
                    if (buffer.length - length < ROOM_PER_READ) { // a read must never be cut short by the buffer
                        buffer = Arrays.copyOf(buffer, buffer.length * 2);
                    }
                    final int wanted = buffer.length - length;
                    final int n = in.read(buffer, length, wanted);
                    if (n < 0) {
                        return length;
                    }
                    length += n;
                    if (remoteEndpoints != null && n < SURELY_AT_END) {
                        return length; // see SURELY_AT_END: spares the walk that would only find the end
                    }
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
                    if (remotePorts.contains(port) && isWatched(remoteStart, stateStart)
                            && !inodes.containsKey(inode)) {
                        count++;
                        inodes.put(inode, new String(buffer, lineStart, lineEnd - lineStart,
                                StandardCharsets.US_ASCII).trim());
                    }
                }
                lineStart = lineEnd + 1;
            }
            return count;
        }

        private boolean isWatched(final int remoteStart, final int stateStart) {
            if (remoteEndpoints == null) {
                return true;
            }
            int end = stateStart;
            while (end > remoteStart && buffer[end - 1] == ' ') {
                end--;
            }
            return remoteEndpoints.contains(new String(buffer, remoteStart, end - remoteStart,
                    StandardCharsets.US_ASCII));
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
            final Table table = new Table(remoteEndpoints);
            final StringBuilder matches = new StringBuilder();
            java.util.Map<String, String> previous = java.util.Map.of();
            startNanos = System.nanoTime();
            while (running) {
                matches.setLength(0);
                final int now = table.count(remotePorts, matches);
                last = now;
                if (now > peak) {
                    peak = now;
                    peakSockets = matches.toString();
                }
                final java.util.Map<String, String> current = new java.util.LinkedHashMap<>(table.inodes);
                final java.util.Map<String, String> twice = new java.util.LinkedHashMap<>(current);
                twice.keySet().retainAll(previous.keySet());
                if (twice.size() > peakSeenTwice) {
                    peakSeenTwice = twice.size();
                    peakSeenTwiceSockets = String.join("\n", twice.values());
                }
                previous = current;
                if (now > 0) {
                    nonZeroSamples++;
                }
                samples++;
                if (intervalNanos > 0) {
                    LockSupport.parkNanos(intervalNanos); // pacing, not waiting for a condition
                } else {
                    Thread.yield();
                }
            }
            endNanos = System.nanoTime();
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

    /** {@return the most SYN_SENT sockets seen in one sample} */
    public int peak() {
        return peak;
    }

    /**
     * Returns the most sockets that two consecutive samples both saw in SYN_SENT: the peak without the
     * artefact of a sample that is not a snapshot (see the class comment), where a socket that left SYN_SENT
     * while the sample was read and one that entered it later in the same read are both counted. A socket
     * listed by two samples in a row was in SYN_SENT for the whole of the time between them.
     *
     * @return the peak of sockets seen by two samples in a row
     */
    public int peakSeenTwice() {
        return peakSeenTwice;
    }

    /** {@return the {@code /proc} lines of the sockets behind {@link #peakSeenTwice()}} */
    public String peakSeenTwiceSockets() {
        return peakSeenTwiceSockets;
    }

    /** {@return the {@code /proc} lines of the sockets counted in the first sample that saw the peak} */
    public String peakSockets() {
        return peakSockets;
    }

    /** {@return the count in the latest sample} */
    public int last() {
        return last;
    }

    /** {@return how many samples were taken} */
    public long samples() {
        return samples;
    }

    /** {@return samples taken per second, from the first sample to {@link #stop()} (0 while running)} */
    public double samplesPerSecond() {
        final long elapsed = endNanos - startNanos;
        return endNanos == 0 || elapsed <= 0 ? 0 : samples * 1e9 / elapsed;
    }

    /** {@return how many samples saw at least one SYN_SENT socket} */
    public long nonZeroSamples() {
        return nonZeroSamples;
    }

    @Override
    public void close() {
        running = false;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SynSentSampler[peak %d (%d seen twice), %d samples (%.0f/s), %d"
                + " non-zero]", peak, peakSeenTwice, samples, samplesPerSecond(), nonZeroSamples);
    }
}
