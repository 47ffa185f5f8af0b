package io.halfopen.jdk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Peers on 127.0.0.1 for one test, closed with it (harness.md, recipe E; no privileges needed):
 * {@link #accepting()} accepts and holds every connection, {@link #refusing()} is a port bound by a socket that
 * never listens (a SYN gets RST), {@link #dropping()} is a listener with backlog 1 that never accepts, its accept
 * queue filled here, so that the kernel drops every further SYN and a connect stays in SYN_SENT.
 *
 * <p>The testkit module (issue 19) will own one {@code LoopbackPeers} for every module; this one lives here until
 * it lands on main.
 */
final class LoopbackPeers implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    synchronized <T extends AutoCloseable> T keep(final T resource) {
        resources.push(resource);
        return resource;
    }

    /** A peer that accepts every connection and closes it at once: for storms of many thousand connects. */
    InetSocketAddress acceptingAndClosing() throws IOException {
        final ServerSocket server = keep(new ServerSocket(0, 4096, LOOPBACK));
        final Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    server.accept().close();
                } catch (final IOException closed) {
                    return;
                }
            }
        }, "closing-peer-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return new InetSocketAddress(LOOPBACK, server.getLocalPort());
    }

    /** A peer that accepts every connection and keeps it open until the test ends. */
    InetSocketAddress accepting() throws IOException {
        final ServerSocket server = keep(new ServerSocket(0, 4096, LOOPBACK));
        final Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    keep(server.accept());
                } catch (final IOException closed) {
                    return;
                }
            }
        }, "accepting-peer-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return new InetSocketAddress(LOOPBACK, server.getLocalPort());
    }

    /** A port that answers a SYN with RST: bound (so nobody else takes it) but not listening. */
    InetSocketAddress refusing() throws IOException {
        final Socket holder = keep(new Socket());
        holder.setReuseAddress(false);
        holder.bind(new InetSocketAddress(LOOPBACK, 0));
        return new InetSocketAddress(LOOPBACK, holder.getLocalPort());
    }

    /** A port whose SYNs are dropped; checked by a probe that must time out. */
    InetSocketAddress dropping() throws IOException {
        final ServerSocket server = keep(new ServerSocket(0, 1, LOOPBACK)); // never accepts
        final InetSocketAddress peer = new InetSocketAddress(LOOPBACK, server.getLocalPort());
        for (int i = 0; i < 2; i++) { // backlog + 1 handshakes complete and fill the accept queue
            keep(new Socket()).connect(peer, 1000);
        }
        try (Socket probe = new Socket()) {
            probe.connect(peer, 200);
        } catch (final SocketTimeoutException dropped) {
            return peer;
        }
        throw new IOException("the dropping peer " + peer + " answered a third connect: its queue did not fill");
    }

    @Override
    public synchronized void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (final Exception ignored) {
                // best effort: the test is over
            }
        }
    }
}
