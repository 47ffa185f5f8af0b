package io.halfopen.testkit.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The destinations a watch counts: exactly some peers (address and port), or any address on some ports. Gives
 * each destination a small index, matches a traced record's destination to it, and writes the tracepoint filter
 * that lets the kernel drop every other port's records before they reach the buffer.
 *
 * <p>Thread-safe: the peers are fixed; in port mode new destinations are indexed under a concurrent map.
 */
public final class Destinations {

    /** A filter longer than this is not written (the kernel takes less than a page); ports are then matched here. */
    private static final int MAX_FILTER = 3000;

    private record Key(long high, long low, int port) {
    }

    private final boolean exact;
    private final Set<Integer> ports;
    private final Map<Key, Integer> indexes = new ConcurrentHashMap<>();
    private final List<InetSocketAddress> destinations = new CopyOnWriteArrayList<>();

    private Destinations(final boolean exact, final Set<Integer> ports) {
        this.exact = exact;
        this.ports = ports;
    }

    /**
     * {@return destinations that are exactly these peers}
     *
     * @param peers the peers, resolved; IPv4 peers also match dual-stack sockets' IPv4-mapped destinations
     * @throws IllegalArgumentException if there are none, or one is unresolved or has port 0
     */
    public static Destinations exactly(final Collection<InetSocketAddress> peers) {
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("no peers to watch");
        }
        final Set<Integer> ports = new TreeSet<>();
        final Destinations destinations = new Destinations(true, ports);
        for (final InetSocketAddress peer : peers) {
            if (peer.getAddress() == null) {
                throw new IllegalArgumentException("a peer must be resolved, was " + peer);
            }
            checkPort(peer.getPort());
            ports.add(peer.getPort());
            final Key key = key(peer);
            if (!destinations.indexes.containsKey(key)) {
                destinations.indexes.put(key, destinations.destinations.size());
                destinations.destinations.add(new InetSocketAddress(peer.getAddress(), peer.getPort()));
            }
        }
        return destinations;
    }

    /**
     * {@return destinations that are every address on these ports}
     *
     * @param ports the peers' ports
     * @throws IllegalArgumentException if there are none, or one is not a port
     */
    public static Destinations onPorts(final Collection<Integer> ports) {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("no ports to watch");
        }
        ports.forEach(Destinations::checkPort);
        return new Destinations(false, new TreeSet<>(ports));
    }

    private static void checkPort(final int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a peer's port must be 1 to 65535, was " + port);
        }
    }

    private static Key key(final InetSocketAddress peer) {
        final byte[] bytes = peer.getAddress().getAddress();
        if (peer.getAddress() instanceof Inet4Address) {
            return new Key(0, 0xffffL << 32 | (readInt(bytes, 0) & 0xffffffffL), peer.getPort());
        }
        return new Key(readLong(bytes, 0), readLong(bytes, 8), peer.getPort());
    }

    private static int readInt(final byte[] bytes, final int at) {
        return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8
                | bytes[at + 3] & 0xff;
    }

    private static long readLong(final byte[] bytes, final int at) {
        return (long) readInt(bytes, at) << 32 | readInt(bytes, at + 4) & 0xffffffffL;
    }

    /**
     * Returns the index of a traced destination, or -1 if it is not watched.
     *
     * @param high the address's first 8 bytes, big-endian (IPv4 mapped)
     * @param low  its last 8 bytes
     * @param port the port
     * @return the index, or -1
     */
    public int index(final long high, final long low, final int port) {
        if (!ports.contains(port)) {
            return -1;
        }
        final Key key = new Key(high, low, port);
        final Integer index = indexes.get(key);
        if (index != null) {
            return index;
        }
        if (exact) {
            return -1;
        }
        synchronized (this) {
            return indexes.computeIfAbsent(key, k -> {
                destinations.add(address(k));
                return destinations.size() - 1;
            });
        }
    }

    private static InetSocketAddress address(final Key key) {
        final byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (key.high() >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (key.low() >>> (56 - 8 * i));
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), key.port()); // mapped IPv4 → Inet4Address
        } catch (final UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * {@return its destination}
     *
     * @param index an index from {@link #index}
     */
    public InetSocketAddress get(final int index) {
        return destinations.get(index);
    }

    /** {@return the destinations indexed so far (all the peers, in exact mode), in index order} */
    public List<InetSocketAddress> all() {
        return new ArrayList<>(destinations);
    }

    /** {@return whether these are exact peers rather than ports} */
    public boolean exact() {
        return exact;
    }

    /** {@return the ports watched, ascending} */
    public Set<Integer> ports() {
        return ports;
    }

    /**
     * The tracepoint filter: TCP sockets entering or leaving SYN_SENT ({@code TCP_SYN_SENT} is 2), to one of
     * the ports (as ranges where they are consecutive). Without the port clause when it would be too long.
     *
     * @return the filter expression
     */
    public String kernelFilter() {
        final String states = "protocol == 6 && (oldstate == 2 || newstate == 2)";
        final StringBuilder clause = new StringBuilder();
        final List<Integer> sorted = new ArrayList<>(ports);
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            if (clause.length() > 0) {
                clause.append(" || ");
            }
            if (i == j) {
                clause.append("dport == ").append(sorted.get(i));
            } else {
                clause.append("(dport >= ").append(sorted.get(i)).append(" && dport <= ").append(sorted.get(j))
                        .append(')');
            }
            i = j + 1;
        }
        final String filter = states + " && (" + clause + ")";
        return filter.length() <= MAX_FILTER ? filter : states;
    }

    @Override
    public String toString() {
        return exact ? destinations.toString() : "ports " + ports;
    }
}
