package io.halfopen.jdk;

import io.halfopen.limiter.HalfOpenLimiter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * A {@link SocketFactory} whose sockets wait for a slot of a {@link HalfOpenLimiter} before their TCP connect:
 * give it to any client that takes a socket factory (OkHttp's {@code socketFactory}, Jakarta Mail's
 * {@code mail.smtp.socketFactory}, JDBC and LDAP drivers), and the whole process keeps no more than the
 * limiter's number of connects half-open.
 *
 * <pre>{@code
 * SocketFactory sockets = new HalfOpenSocketFactory(HalfOpenLimiter.xpSp2());
 * Socket socket = sockets.createSocket();
 * socket.connect(new InetSocketAddress("mx.example.org", 25), 3000);  // queue wait + handshake within 3 s
 * }</pre>
 *
 * <h2>What its sockets do</h2>
 * {@link #createSocket()} returns an unconnected socket whose {@code connect(address, timeout)} follows
 * {@link BlockingConnect}: the queue wait is charged to {@code timeout} and only what remains goes to the real
 * connect, so {@code connect(addr, 3000)} ends within about 3 s whatever the queue; a timeout of 0 means no
 * timeout, as in the JDK, and then only the limiter's timeouts apply (its queue timeout if set, its half-open
 * timeout: 21 s for XP). The outcome is reported to the limiter by exception type (never by message): connected,
 * refused ({@code ConnectException}), timed out (aborted, socket closed first), failed (any other cause). The
 * wait parks without pinning a virtual thread, is interruptible, and ends at once when another thread closes
 * the socket. An unresolved address fails with {@link java.net.UnknownHostException}, a closed limiter with
 * {@link io.halfopen.limiter.LimiterClosedException}; no slot is held after any failure.
 *
 * <p>The {@code createSocket(host, port, ...)} forms connect at once, through the limiter, with no timeout (as
 * {@code new Socket(host, port)}), and close the socket if the connect fails. A {@code String} host is resolved
 * first ({@link InetAddress#getByName}, so {@code null} is the loopback address, as in the JDK).
 *
 * <p>Thread-safe and stateless but for the limiter: share one instance.
 */
public class HalfOpenSocketFactory extends SocketFactory {

    private final HalfOpenLimiter limiter;

    /**
     * Creates a factory whose sockets go through {@code limiter}.
     *
     * @param limiter the limiter, shared by every socket of the process that should count
     */
    public HalfOpenSocketFactory(final HalfOpenLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
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
     * Returns an unconnected socket whose connects go through the limiter.
     *
     * @return a new socket
     */
    @Override
    public Socket createSocket() {
        return new HalfOpenSocket(limiter);
    }

    /**
     * Returns a socket connected to {@code host}:{@code port} through the limiter, with no timeout.
     *
     * @param host the host name (resolved here) or literal address; {@code null} for loopback
     * @param port the port
     * @return the connected socket
     * @throws java.net.UnknownHostException if {@code host} does not resolve
     * @throws IOException                   if the connect failed
     */
    @Override
    public Socket createSocket(final String host, final int port) throws IOException {
        return createSocket(InetAddress.getByName(host), port, null, 0);
    }

    /**
     * Returns a socket bound to {@code localHost}:{@code localPort} and connected to {@code host}:{@code port}
     * through the limiter, with no timeout.
     *
     * @param host      the host name (resolved here) or literal address; {@code null} for loopback
     * @param port      the port
     * @param localHost the local address to bind, or {@code null} for any
     * @param localPort the local port, 0 for any
     * @return the connected socket
     * @throws IOException if the bind or the connect failed
     */
    @Override
    public Socket createSocket(final String host, final int port, final InetAddress localHost, final int localPort)
            throws IOException {
        return createSocket(InetAddress.getByName(host), port, localHost, localPort);
    }

    /**
     * Returns a socket connected to {@code host}:{@code port} through the limiter, with no timeout.
     *
     * @param host the address
     * @param port the port
     * @return the connected socket
     * @throws IOException if the connect failed
     */
    @Override
    public Socket createSocket(final InetAddress host, final int port) throws IOException {
        return createSocket(host, port, null, 0);
    }

    /**
     * Returns a socket bound to {@code localAddress}:{@code localPort} and connected to
     * {@code address}:{@code port} through the limiter, with no timeout.
     *
     * @param address      the address
     * @param port         the port
     * @param localAddress the local address to bind, or {@code null} for any
     * @param localPort    the local port, 0 for any
     * @return the connected socket
     * @throws IOException if the bind or the connect failed
     */
    @Override
    public Socket createSocket(final InetAddress address, final int port, final InetAddress localAddress,
            final int localPort) throws IOException {
        Objects.requireNonNull(address, "address");
        final InetSocketAddress remote = new InetSocketAddress(address, port);
        final Socket socket = createSocket();
        try {
            if (localAddress != null || localPort != 0) {
                socket.bind(new InetSocketAddress(localAddress, localPort));
            }
            socket.connect(remote, 0);
            return socket;
        } catch (final IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "HalfOpenSocketFactory[" + limiter + "]";
    }
}
