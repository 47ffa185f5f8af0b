package io.halfopen.jdk;

import io.halfopen.limiter.HalfOpenLimiter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Objects;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An {@link SSLSocketFactory} that layers TLS over plain sockets limited by a {@link HalfOpenLimiter}: the TCP
 * handshake waits for a half-open slot (the rules of {@link HalfOpenSocketFactory}), the TLS handshake does
 * not, since by then the connection is established and its slot free. So {@code smtps}, STARTTLS and HTTPS
 * count what XP counted: the TCP connect.
 *
 * <pre>{@code
 * SSLSocketFactory tls = new HalfOpenSSLSocketFactory(limiter, (SSLSocketFactory) SSLSocketFactory.getDefault());
 * SSLSocket socket = (SSLSocket) tls.createSocket("mail.example.org", 465);   // limited TCP, then TLS
 * }</pre>
 *
 * <ul>
 *   <li>The connecting forms ({@code createSocket(host, port, ...)}) connect a {@link HalfOpenSocket} with no
 *       timeout, then layer TLS on it with the delegate's
 *       {@link SSLSocketFactory#createSocket(Socket, String, int, boolean)}.</li>
 *   <li>{@link #createSocket()} returns an unconnected {@link SSLSocket} that does the same at its connect, so
 *       {@code connect(address, timeout)} follows the factory's timeout rules and the result is a real
 *       {@code SSLSocket} (TLS settings made before the connect are kept).</li>
 *   <li>{@link #createSocket(Socket, String, int, boolean)} (STARTTLS: TLS over a socket already connected) is
 *       the delegate's: that socket's TCP connect is whoever made it's business, for example a
 *       {@link HalfOpenSocketFactory}'s socket.</li>
 * </ul>
 *
 * <p>Jakarta Mail: do not put this factory in {@code mail.smtps.ssl.socketFactory} yourself. Jakarta Mail never
 * creates a socket with an {@code SSLSocketFactory} given there (it connects a plain {@code new Socket()} and only
 * layers TLS with the factory), so the TCP connect would bypass the limiter;
 * {@link io.halfopen.jdk.mail.HalfOpenMail#limit} sets the properties that work.
 *
 * <p>Thread-safe, stateless but for the limiter and the delegate.
 */
public class HalfOpenSSLSocketFactory extends SSLSocketFactory {

    private final HalfOpenLimiter limiter;
    private final SSLSocketFactory tls;

    /**
     * Creates a factory that layers {@code tls} over sockets limited by {@code limiter}.
     *
     * @param limiter the limiter
     * @param tls     the TLS factory to layer with, for example {@code SSLContext.getSocketFactory()}
     */
    public HalfOpenSSLSocketFactory(final HalfOpenLimiter limiter, final SSLSocketFactory tls) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.tls = Objects.requireNonNull(tls, "tls");
        if (tls instanceof HalfOpenSSLSocketFactory) {
            throw new IllegalArgumentException("tls is already a HalfOpenSSLSocketFactory (" + tls
                    + "): layering it again would count each connect twice");
        }
    }

    /**
     * Returns a factory over the JDK's default TLS context ({@link SSLSocketFactory#getDefault()}).
     *
     * @param limiter the limiter
     * @return the factory
     */
    public static HalfOpenSSLSocketFactory overDefaultTls(final HalfOpenLimiter limiter) {
        return new HalfOpenSSLSocketFactory(limiter, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /**
     * Returns the limiter.
     *
     * @return the limiter
     */
    public final HalfOpenLimiter limiter() {
        return limiter;
    }

    /**
     * Returns the TLS factory layered over the limited sockets.
     *
     * @return the delegate
     */
    public final SSLSocketFactory tls() {
        return tls;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }

    /**
     * Returns an unconnected {@link SSLSocket} whose connect is limited, with TLS layered after it.
     *
     * @return a new socket
     */
    @Override
    public Socket createSocket() {
        return new LayeredSslSocket(limiter, tls);
    }

    /**
     * Layers TLS over {@code socket}, already connected: the delegate's, unchanged.
     *
     * @param socket    the connected socket
     * @param host      the server's host name, for SNI and identification
     * @param port      the server's port
     * @param autoClose whether closing the TLS socket closes {@code socket}
     * @return the TLS socket
     * @throws IOException as the delegate
     */
    @Override
    public Socket createSocket(final Socket socket, final String host, final int port, final boolean autoClose)
            throws IOException {
        return tls.createSocket(socket, host, port, autoClose);
    }

    @Override
    public Socket createSocket(final String host, final int port) throws IOException {
        return createSocket(InetAddress.getByName(host), port, null, 0, host);
    }

    @Override
    public Socket createSocket(final String host, final int port, final InetAddress localHost, final int localPort)
            throws IOException {
        return createSocket(InetAddress.getByName(host), port, localHost, localPort, host);
    }

    @Override
    public Socket createSocket(final InetAddress host, final int port) throws IOException {
        return createSocket(host, port, null, 0, null);
    }

    @Override
    public Socket createSocket(final InetAddress address, final int port, final InetAddress localAddress,
            final int localPort) throws IOException {
        return createSocket(address, port, localAddress, localPort, null);
    }

    private Socket createSocket(final InetAddress address, final int port, final InetAddress localAddress,
            final int localPort, final String hostName) throws IOException {
        final Socket plain = new HalfOpenSocketFactory(limiter).createSocket(address, port, localAddress,
                localPort);
        try {
            return tls.createSocket(plain, hostName != null ? hostName : address.getHostAddress(), port, true);
        } catch (final IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "HalfOpenSSLSocketFactory[" + limiter + ", tls " + tls + "]";
    }
}
