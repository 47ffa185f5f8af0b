package io.halfopen.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Unprivileged peers on 127.0.0.1 (or another loopback address) that accept, refuse and drop connects
 * (harness.md, Recipe E), owned by one test and closed with it.
 * <ul>
 *   <li>{@link #accepting()}: a listener whose thread accepts every connection and keeps it open;
 *       {@link #acceptingAndClosing()} closes each at once.</li>
 *   <li>{@link #refusing()}: a port bound by a socket that never listens: a connect gets an immediate RST.</li>
 *   <li>{@link #dropping()}: a listener with backlog 1 that never accepts, whose accept queue is filled by two
 *       plain connects made here (backlog + 1); the kernel then drops every further SYN, so a connect stays in
 *       SYN_SENT until the client gives up. Verified on creation: a third connect must stay pending.</li>
 * </ul>
 */
public final class LoopbackPeers implements AutoCloseable {

    private final InetAddress address;
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

    /** Peers on 127.0.0.1. */
    public LoopbackPeers() {
        this(InetAddress.getLoopbackAddress());
    }

    /**
     * Peers on the given loopback address, e.g. {@code ::1}.
     *
     * @param address a loopback address
     */
    public LoopbackPeers(final InetAddress address) {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("peers live on loopback only, was " + address);
        }
        this.address = address;
    }

    /**
     * Starts a peer that accepts every connection.
     *
     * @return its address
     * @throws IOException if it cannot bind
     */
    public InetSocketAddress accepting() throws IOException {
        final ServerSocketChannel server = ServerSocketChannel.open();
        resources.add(server);
        server.bind(new InetSocketAddress(address, 0), 128);
        final Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    resources.add(server.accept());
                }
            } catch (final IOException closed) {
                // the test is over
            }
        }, "accepting-peer");
        acceptor.setDaemon(true);
        acceptor.start();
        return (InetSocketAddress) server.getLocalAddress();
    }

    /**
     * Starts a peer that accepts every connection and closes it at once, for storms of many thousand connects
     * (nothing stays open; the client side sees the close).
     *
     * @return its address
     * @throws IOException if it cannot bind
     */
    public InetSocketAddress acceptingAndClosing() throws IOException {
        final ServerSocketChannel server = ServerSocketChannel.open();
        resources.add(server);
        server.bind(new InetSocketAddress(address, 0), 4096);
        final Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    server.accept().close();
                }
            } catch (final IOException closed) {
                // the test is over
            }
        }, "closing-peer");
        acceptor.setDaemon(true);
        acceptor.start();
        return (InetSocketAddress) server.getLocalAddress();
    }

    /**
     * Returns a loopback port with nothing listening, which answers a SYN with RST. The port is held by a bound
     * socket that neither listens nor connects (and has SO_REUSEADDR off), so that no other process can start
     * listening on it while the test runs.
     *
     * @return its address
     * @throws IOException if it cannot bind
     */
    public InetSocketAddress refusing() throws IOException {
        final SocketChannel holder = SocketChannel.open();
        resources.add(holder);
        holder.setOption(StandardSocketOptions.SO_REUSEADDR, false);
        holder.bind(new InetSocketAddress(address, 0));
        return (InetSocketAddress) holder.getLocalAddress();
    }

    /**
     * Starts a peer that drops every SYN: a full accept queue that is never drained.
     *
     * @return its address
     * @throws IOException if it cannot bind, or if a probe connect was not left pending
     */
    public InetSocketAddress dropping() throws IOException {
        final ServerSocketChannel server = ServerSocketChannel.open();
        resources.add(server);
        server.bind(new InetSocketAddress(address, 0), 1); // backlog 1; never accept()
        final InetSocketAddress peer = (InetSocketAddress) server.getLocalAddress();
        for (int i = 0; i < 2; i++) { // backlog + 1 handshakes complete and fill the accept queue
            final SocketChannel filler = SocketChannel.open();
            resources.add(filler);
            filler.connect(peer);
        }
        try (SocketChannel probe = SocketChannel.open(); Selector selector = Selector.open()) {
            probe.setOption(StandardSocketOptions.SO_LINGER, 0);
            probe.configureBlocking(false);
            if (!probe.connect(peer)) {
                probe.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(300) == 0) {
                    return peer; // still SYN_SENT after 300 ms: SYNs are dropped
                }
            }
            throw new IOException("the dropping peer " + peer + " answered a third connect: its accept queue"
                    + " did not fill as expected");
        }
    }

    /**
     * Returns the ports of the given addresses.
     *
     * @param addresses the peers
     * @return their ports
     */
    public static java.util.Set<Integer> ports(final List<InetSocketAddress> addresses) {
        final java.util.Set<Integer> ports = new java.util.HashSet<>();
        addresses.forEach(address -> ports.add(address.getPort()));
        return ports;
    }

    @Override
    public void close() {
        final List<AutoCloseable> all = new ArrayList<>(resources);
        resources.clear();
        for (final AutoCloseable resource : all) {
            try {
                resource.close();
            } catch (final Exception ignored) {
                // best effort
            }
        }
    }
}
