package io.halfopen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code /proc} sampler's one-off counts, on a machine whose tables are long. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SynSentSamplerTest {

    private final LoopbackPeers peers = new LoopbackPeers();
    private final List<AutoCloseable> sockets = new ArrayList<>();

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp6")), "needs /proc/net/tcp6 (Linux with IPv6)");
    }

    @AfterEach
    void close() throws Exception {
        for (final AutoCloseable socket : sockets) {
            socket.close();
        }
        peers.close();
    }

    /**
     * The kernel lists listening sockets first, so 600 listeners (about 90 KB of {@code /proc/net/tcp6}) put the
     * SYN_SENT sockets past the sampler's first 64 KB buffer. The sampler once took the short read that fills
     * its buffer's last bytes for the table's end, and counted none of them.
     */
    @Test
    void countsEverySocketInSynSentWhenTheTableIsLongerThanItsBuffer() throws IOException {
        for (int i = 0; i < 600; i++) {
            final ServerSocketChannel listener = ServerSocketChannel.open();
            sockets.add(listener);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }
        final InetSocketAddress dropping = peers.dropping();
        for (int i = 0; i < 10; i++) {
            final SocketChannel connect = SocketChannel.open();
            sockets.add(connect);
            connect.configureBlocking(false);
            connect.connect(dropping);
        }
        assertEquals(10, SynSentSampler.countNowTowards(List.of(dropping)), "exact peers");
        assertEquals(10, SynSentSampler.countNow(Set.of(dropping.getPort())), "ports");
    }
}
