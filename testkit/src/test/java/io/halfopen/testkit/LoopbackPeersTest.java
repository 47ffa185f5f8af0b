package io.halfopen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The three kinds of loopback peer do what their names say, as the kernel judges them. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LoopbackPeersTest {

    @Test
    void anAcceptingPeerAcceptsARefusingOneResetsADroppingOneLeavesTheConnectInSynSent() throws IOException {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final InetSocketAddress accepting = peers.accepting();
            final InetSocketAddress refusing = peers.refusing();
            final InetSocketAddress dropping = peers.dropping();
            try (SynSentWatch kernel = KernelJudge.watcher().label("peers").samplerBeside(false)
                    .watch(List.of(accepting, refusing, dropping));
                 SocketChannel accepted = SocketChannel.open(accepting);
                 SocketChannel refused = SocketChannel.open();
                 SocketChannel dropped = SocketChannel.open();
                 Selector selector = Selector.open()) {
                assertTrue(accepted.isConnected());
                assertThrows(ConnectException.class, () -> refused.connect(refusing));
                dropped.configureBlocking(false);
                assertFalse(dropped.connect(dropping));
                dropped.register(selector, SelectionKey.OP_CONNECT);
                assertEquals(0, selector.select(200), "a SYN to the dropping peer is never answered");
                assertEquals(1, kernel.countNow(dropping));
                assertEquals(0, kernel.countNow(accepting) + kernel.countNow(refusing));
            }
        }
    }

    @Test
    void aClosingPeerAcceptsAndClosesAtOnce() throws IOException {
        try (LoopbackPeers peers = new LoopbackPeers();
             SocketChannel client = SocketChannel.open(peers.acceptingAndClosing())) {
            assertEquals(-1, client.read(java.nio.ByteBuffer.allocate(1)), "closed by the peer");
        }
    }

    @Test
    void peersLiveOnLoopbackOnly() throws IOException {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LoopbackPeers(InetAddress.getByName("192.0.2.1")));
        assertTrue(e.getMessage().contains("192.0.2.1"), e.getMessage());
    }
}
