package io.halfopen.agent;

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
 * Peers on 127.0.0.1 that accept, refuse and drop connects, owned by one test. Interim: the testkit module's
 * {@code LoopbackPeers} replaces it once it is on main (same three methods).
 * <ul>
 *   <li>{@link #accepting()}: accepts every connection and keeps it open.</li>
 *   <li>{@link #refusing()}: a port bound by a socket that never listens: a SYN gets RST.</li>
 *   <li>{@link #dropping()}: backlog 1, never accepts, its accept queue filled by two connects made here; the
 *       kernel then drops every further SYN. Checked: a third connect stays pending.</li>
 * </ul>
 */
final class LoopbackPeers implements AutoCloseable {

    private final InetAddress address = InetAddress.getLoopbackAddress();
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

    InetSocketAddress accepting() throws IOException {
        final ServerSocketChannel server = ServerSocketChannel.open();
        resources.add(server);
        server.bind(new InetSocketAddress(address, 0), 1024);
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

    InetSocketAddress refusing() throws IOException {
        final SocketChannel holder = SocketChannel.open();
        resources.add(holder);
        holder.setOption(StandardSocketOptions.SO_REUSEADDR, false);
        holder.bind(new InetSocketAddress(address, 0));
        return (InetSocketAddress) holder.getLocalAddress();
    }

    InetSocketAddress dropping() throws IOException {
        final ServerSocketChannel server = ServerSocketChannel.open();
        resources.add(server);
        server.bind(new InetSocketAddress(address, 0), 1);
        final InetSocketAddress peer = (InetSocketAddress) server.getLocalAddress();
        for (int i = 0; i < 2; i++) {
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
                    return peer;
                }
            }
            throw new IOException("the dropping peer " + peer + " answered a third connect");
        }
    }

    /** One peer of each kind, and the storm's target arguments ({@code host:port:count}) for them. */
    record Trio(InetSocketAddress accept, InetSocketAddress refuse, InetSocketAddress drop) {

        java.util.Set<Integer> ports() {
            return java.util.Set.of(accept.getPort(), refuse.getPort(), drop.getPort());
        }

        /** The arguments of a storm program: {@code leading...}, then so many connects to each peer. */
        String[] storm(final int toAccept, final int toRefuse, final int toDrop, final String... leading) {
            final List<String> args = new ArrayList<>(List.of(leading));
            args.add(target(accept, toAccept));
            args.add(target(refuse, toRefuse));
            args.add(target(drop, toDrop));
            return args.toArray(new String[0]);
        }
    }

    /** A {@code host:port:count} argument for the storm programs. */
    static String target(final InetSocketAddress peer, final int count) {
        return peer.getHostString() + ":" + peer.getPort() + ":" + count;
    }

    /** Starts one peer of each kind. */
    Trio trio() throws IOException {
        return new Trio(accepting(), refusing(), dropping());
    }

    /** Registers something to close with the peers. */
    <T extends AutoCloseable> T own(final T resource) {
        resources.add(resource);
        return resource;
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
