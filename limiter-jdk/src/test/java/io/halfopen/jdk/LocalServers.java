package io.halfopen.jdk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What this module's tests need beyond the testkit's {@code LoopbackPeers}: a peer that accepts and closes at once
 * (for 10,000 connects, without holding 10,000 sockets), and a place to keep a test's own servers and accepted
 * sockets until it ends. Loopback only.
 */
final class LocalServers implements AutoCloseable {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    synchronized <T extends AutoCloseable> T keep(final T resource) {
        resources.push(resource);
        return resource;
    }

    /** A peer that accepts every connection and closes it at once. */
    InetSocketAddress acceptingAndClosing() throws IOException {
        final ServerSocket server = keep(new ServerSocket(0, 4096, InetAddress.getLoopbackAddress()));
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
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
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
