package io.halfopen.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The listeners of a network-namespace peer host: a separate JVM that the fixture starts inside the namespace
 * ({@code ip netns exec}), since a JVM cannot open sockets in another namespace. It listens on every port given,
 * dual-stack on {@code ::}, accepts every connection and closes it at once, prints {@code ready} once all ports
 * are bound, and exits when its standard input closes, so that it never outlives the test JVM.
 */
public final class PeerListener {

    /** What the listener prints once every port is bound. */
    static final String READY = "ready";

    private PeerListener() {
    }

    /**
     * Listens on the given ports.
     *
     * @param args the ports
     * @throws IOException if a port cannot be bound
     */
    public static void main(final String[] args) throws IOException {
        final List<ServerSocketChannel> servers = new ArrayList<>();
        for (final String port : args) {
            final ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(Integer.parseInt(port)), 1024);
            servers.add(server);
        }
        for (final ServerSocketChannel server : servers) {
            final Thread acceptor = new Thread(() -> acceptAndClose(server), "accept-" + server);
            acceptor.setDaemon(true);
            acceptor.start();
        }
        System.out.println(READY);
        System.out.flush();
        while (System.in.read() >= 0) {
            // the fixture never writes: wait for it to close our input, or to die
        }
        System.exit(0);
    }

    private static void acceptAndClose(final ServerSocketChannel server) {
        try {
            while (true) {
                final SocketChannel accepted = server.accept();
                accepted.close();
            }
        } catch (final IOException closed) {
            // the host is being killed
        }
    }
}
