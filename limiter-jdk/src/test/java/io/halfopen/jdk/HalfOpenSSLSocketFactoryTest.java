package io.halfopen.jdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.DummySSLServerSocketFactory;
import com.icegreen.greenmail.util.DummySSLSocketFactory;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.testkit.LoopbackPeers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HalfOpenSSLSocketFactory} against a TLS echo server on loopback (GreenMail's test key pair): TLS
 * over a limited plain socket, so that the TCP handshake counts and the TLS one does not.
 */
class HalfOpenSSLSocketFactoryTest {

    private final LoopbackPeers peers = new LoopbackPeers();
    private final LocalServers servers = new LocalServers();
    private final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("tls").maxHalfOpen(1)
            .halfOpenTimeout(Duration.ofSeconds(30)).build();
    private final SSLSocketFactory trustAll = new DummySSLSocketFactory();
    private InetSocketAddress tlsEcho;

    @BeforeEach
    void startTlsEcho() throws IOException {
        final SSLServerSocket server = (SSLServerSocket) servers.keep(new DummySSLServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        final Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    final Socket s = servers.keep(server.accept());
                    final Thread echo = new Thread(() -> {
                        try (InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (final IOException ignored) {
                            // the client left
                        }
                    });
                    echo.setDaemon(true);
                    echo.start();
                } catch (final IOException closed) {
                    return;
                }
            }
        }, "tls-echo");
        acceptor.setDaemon(true);
        acceptor.start();
        tlsEcho = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    @AfterEach
    void stop() {
        servers.close();
        peers.close();
    }

    private static void assertEchoes(final Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write("ping\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        final byte[] back = socket.getInputStream().readNBytes(5);
        assertEquals("ping\n", new String(back, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void theConnectingFormsConnectThroughTheLimiterThenLayerTls() throws Exception {
        final HalfOpenSSLSocketFactory factory = new HalfOpenSSLSocketFactory(limiter, trustAll);
        try (Socket socket = factory.createSocket("127.0.0.1", tlsEcho.getPort())) {
            assertInstanceOf(SSLSocket.class, socket);
            ((SSLSocket) socket).startHandshake();
            assertEchoes(socket);
        }
        try (Socket socket = factory.createSocket(tlsEcho.getAddress(), tlsEcho.getPort())) {
            assertEchoes(socket);
        }
        assertEquals(2, limiter.stats().established());
        assertEquals(0, limiter.stats().halfOpen());
    }

    @Test
    void anUnconnectedSocketIsAnSslSocketThatKeepsSettingsMadeBeforeItsConnect() throws Exception {
        final HalfOpenSSLSocketFactory factory = new HalfOpenSSLSocketFactory(limiter, trustAll);
        try (SSLSocket socket = (SSLSocket) factory.createSocket()) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            assertTrue(!socket.isConnected());
            socket.connect(tlsEcho, 3000);
            socket.startHandshake();
            assertEquals("TLSv1.2", socket.getSession().getProtocol(), "the setting made before the connect held");
            assertArrayEquals(new String[] {"TLSv1.2"}, socket.getEnabledProtocols());
            assertEchoes(socket);
        }
        assertEquals(1, limiter.stats().established());
    }

    @Test
    void onlyTheTcpHandshakeHoldsASlotNotTheTlsOne() throws Exception {
        final InetSocketAddress silent = peers.accepting(); // accepts TCP, never answers the TLS ClientHello
        final HalfOpenSSLSocketFactory factory = new HalfOpenSSLSocketFactory(limiter, trustAll);
        try (SSLSocket stuck = (SSLSocket) factory.createSocket()) {
            stuck.connect(silent, 3000);
            stuck.setSoTimeout(300);
            assertEquals(0, limiter.stats().halfOpen(), "connected: the slot is free before any TLS");
            try (Socket other = factory.createSocket("127.0.0.1", tlsEcho.getPort())) {
                assertEchoes(other); // the only slot was free for it while the first TLS handshake hangs
            }
            assertThrows(SocketTimeoutException.class, stuck::startHandshake);
        }
        assertEquals(2, limiter.stats().established());
    }

    @Test
    void theUnconnectedSocketWaitsForASlotWithinItsTimeoutAndRefusalsAreReported() throws Exception {
        final ConnectAttempt held = limiter.acquire(tlsEcho, Duration.ofSeconds(5));
        final HalfOpenSSLSocketFactory factory = new HalfOpenSSLSocketFactory(limiter, trustAll);
        final Socket socket = factory.createSocket();
        final long start = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> socket.connect(tlsEcho, 400));
        final long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took >= 350 && took < 3000, "took " + took + " ms");
        assertTrue(socket.isClosed());
        held.cancel();
        assertThrows(ConnectException.class, () -> factory.createSocket("127.0.0.1", peers.refusing().getPort()));
        assertEquals(1, limiter.stats().refused());
        assertEquals(0, limiter.stats().halfOpen() + limiter.stats().queued());
    }

    @Test
    void layeringOverAConnectedSocketIsTheDelegatesAndLayeringTwiceIsRefused() throws Exception {
        final HalfOpenSSLSocketFactory factory = new HalfOpenSSLSocketFactory(limiter, trustAll);
        final Socket plain = new HalfOpenSocketFactory(limiter).createSocket();
        plain.connect(tlsEcho, 3000);
        try (Socket tls = factory.createSocket(plain, "127.0.0.1", tlsEcho.getPort(), true)) {
            assertEchoes(tls);
        }
        assertEquals(1, limiter.stats().established(), "counted once: by the plain socket's connect");
        assertThrows(IllegalArgumentException.class, () -> new HalfOpenSSLSocketFactory(limiter, factory));
        assertArrayEquals(trustAll.getSupportedCipherSuites(), factory.getSupportedCipherSuites());
    }
}
