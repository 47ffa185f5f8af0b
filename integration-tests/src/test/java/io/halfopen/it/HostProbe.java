package io.halfopen.it;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Checks that a freshly started host answers the way its plan says, before any scenario relies on it: the
 * accepting endpoints accept, the dropping ones leave a connect pending, the refusing ones refuse at once.
 */
final class HostProbe {

    private static final Duration READY_DEADLINE = Duration.ofSeconds(20);
    private static final long DROP_PROBE_MILLIS = 300;

    private HostProbe() {
    }

    /**
     * Waits until every accepting endpoint accepts (its listener may still be starting; IPv6 neighbours may
     * still be resolving), then checks every other kind once.
     *
     * @param host the host
     * @throws IOException if an endpoint does not behave as planned, with what it did instead
     */
    static void verify(final PeerHost host) throws IOException {
        for (final PeerKind kind : host.kinds()) {
            for (final Family family : host.families(kind)) {
                for (final InetSocketAddress endpoint : host.endpoints(kind, family)) {
                    switch (kind) {
                        case ACCEPT -> awaitAccepting(endpoint);
                        case DROP -> expectPending(endpoint);
                        case RESET, ICMP -> expectRefused(endpoint);
                        default -> throw new IllegalStateException("unknown kind " + kind);
                    }
                }
            }
        }
    }

    private static void awaitAccepting(final InetSocketAddress endpoint) throws IOException {
        final long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        IOException last = null;
        while (System.nanoTime() - deadline < 0) {
            try (SocketChannel channel = SocketChannel.open()) {
                channel.socket().connect(endpoint, 1000);
                return;
            } catch (final IOException notYet) {
                last = notYet;
                pause(); // the peer's listener is starting in another process: nothing to wait on but time
            }
        }
        throw new IOException("the accepting peer " + endpoint + " did not accept within " + READY_DEADLINE, last);
    }

    private static void expectPending(final InetSocketAddress endpoint) throws IOException {
        try (SocketChannel channel = SocketChannel.open(); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            if (!channel.connect(endpoint)) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(DROP_PROBE_MILLIS) == 0) {
                    return;
                }
                try {
                    channel.finishConnect();
                } catch (final IOException refused) {
                    throw new IOException("the dropping peer " + endpoint + " answered: " + refused, refused);
                }
            }
            throw new IOException("the dropping peer " + endpoint + " accepted the connect");
        }
    }

    private static void expectRefused(final InetSocketAddress endpoint) throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.socket().connect(endpoint, 2000);
        } catch (final ConnectException refused) {
            return;
        } catch (final IOException other) {
            throw new IOException("the refusing peer " + endpoint + " did not refuse: " + other, other);
        }
        throw new IOException("the refusing peer " + endpoint + " accepted the connect");
    }

    private static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
}
