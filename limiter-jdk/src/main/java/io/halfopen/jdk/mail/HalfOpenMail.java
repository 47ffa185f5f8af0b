package io.halfopen.jdk.mail;

import io.halfopen.jdk.HalfOpenSSLSocketFactory;
import io.halfopen.jdk.HalfOpenSocketFactory;
import io.halfopen.limiter.HalfOpenLimiter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Puts Jakarta Mail's connects (Eclipse Angus: SMTP delivery, IMAP, POP3) through a {@link HalfOpenLimiter},
 * with the session properties Jakarta Mail already reads:
 *
 * <pre>{@code
 * Properties props = new Properties();
 * props.put("mail.smtp.host", "mx.example.org");
 * props.put("mail.smtp.connectiontimeout", "3000");   // covers the wait for a slot and the TCP handshake
 * HalfOpenMail.limit(props, "smtp", limiter);
 * Session session = Session.getInstance(props);
 * }</pre>
 *
 * <h2>What it sets, for protocol {@code p}</h2>
 * <ul>
 *   <li>{@code mail.p.socketFactory}: a {@link HalfOpenSocketFactory} (an instance property, set with
 *       {@code put}); Jakarta Mail creates its socket with it and connects it with
 *       {@code mail.p.connectiontimeout}, which then covers the queue wait too (unset or 0: no timeout, only the
 *       limiter's apply).</li>
 *   <li>{@code mail.p.socketFactory.fallback = false}: otherwise Jakarta Mail retries a connect that failed
 *       through the factory with a plain {@code new Socket()}, outside the limiter (a refused connect, a queue
 *       timeout or a closed limiter would each be retried unthrottled).</li>
 *   <li>STARTTLS ({@code mail.smtp.starttls.enable}): nothing more; TLS is layered over the limited socket by
 *       Jakarta Mail, with {@code mail.p.ssl.socketFactory} if set, which is left as it is.</li>
 *   <li>SSL from the start ({@code smtps}, {@code imaps}, {@code pop3s}, or {@code mail.p.ssl.enable=true}, set
 *       before calling this): Jakarta Mail never creates a socket with an {@code SSLSocketFactory} given as
 *       {@code mail.p.ssl.socketFactory}; it connects a plain {@code new Socket()} and only layers TLS with it,
 *       which would bypass the limiter. So an {@code SSLSocketFactory} there (a {@code MailSSLSocketFactory}, an
 *       {@code SSLContext}'s) is replaced by a plain {@code SocketFactory} whose sockets are TLS over a limited
 *       socket, with that same factory's TLS. Without one, the limited {@code mail.p.socketFactory} is used and
 *       Jakarta Mail layers its default TLS (or {@code mail.p.ssl.trust}'s) over it.</li>
 * </ul>
 * A factory given by class name ({@code mail.p.socketFactory.class}, {@code mail.p.ssl.socketFactory.class}) or
 * another socket factory instance already set is refused with an {@link IllegalArgumentException} naming it,
 * rather than silently replaced or left to bypass the limiter.
 *
 * <p>Thread-safe (stateless); the properties are the caller's.
 */
public final class HalfOpenMail {

    private HalfOpenMail() {
    }

    /**
     * Sets the properties that put protocol {@code protocol}'s connects through {@code limiter}.
     *
     * @param props    the session properties; changed in place
     * @param protocol the Jakarta Mail protocol name: {@code smtp}, {@code smtps}, {@code imap}, {@code imaps},
     *                 {@code pop3}, {@code pop3s}
     * @param limiter  the limiter, shared by every session of the process that should count
     * @return {@code props}
     * @throws IllegalArgumentException if {@code protocol} is blank or has a dot, or the properties already name
     *                                  another socket factory (see the class comment)
     */
    public static Properties limit(final Properties props, final String protocol, final HalfOpenLimiter limiter) {
        Objects.requireNonNull(props, "props");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(limiter, "limiter");
        if (protocol.isBlank() || protocol.indexOf('.') >= 0) {
            throw new IllegalArgumentException("protocol must be a Jakarta Mail protocol name such as smtp or smtps,"
                    + " was '" + protocol + "'");
        }
        final String prefix = "mail." + protocol;
        refuseClassName(props, prefix + ".socketFactory.class");
        final Object plain = props.get(prefix + ".socketFactory");
        if (plain != null && !(plain instanceof HalfOpenSocketFactory)) {
            throw new IllegalArgumentException(prefix + ".socketFactory is already set to " + plain
                    + ": halfopen would replace it; give the limiter its connects by removing it");
        }
        props.put(prefix + ".socketFactory", new HalfOpenSocketFactory(limiter));
        props.put(prefix + ".socketFactory.fallback", "false");
        if (sslFromStart(props, protocol, prefix)) {
            refuseClassName(props, prefix + ".ssl.socketFactory.class");
            final Object ssl = props.get(prefix + ".ssl.socketFactory");
            if (ssl instanceof HalfOpenSSLSocketFactory) {
                props.put(prefix + ".ssl.socketFactory",
                        new TlsOverLimitedSockets((HalfOpenSSLSocketFactory) ssl));
            } else if (ssl instanceof SSLSocketFactory) {
                props.put(prefix + ".ssl.socketFactory",
                        new TlsOverLimitedSockets(new HalfOpenSSLSocketFactory(limiter, (SSLSocketFactory) ssl)));
            } else if (ssl != null && !(ssl instanceof TlsOverLimitedSockets)) {
                throw new IllegalArgumentException(prefix + ".ssl.socketFactory is set to " + ssl
                        + ", which is no SSLSocketFactory: halfopen cannot layer it over a limited socket");
            }
        }
        return props;
    }

    private static boolean sslFromStart(final Properties props, final String protocol, final String prefix) {
        final String lower = protocol.toLowerCase(Locale.ROOT);
        return lower.endsWith("s") || Boolean.parseBoolean(props.getProperty(prefix + ".ssl.enable", "false"));
    }

    private static void refuseClassName(final Properties props, final String key) {
        final String name = props.getProperty(key);
        if (name != null && !name.isEmpty()) {
            throw new IllegalArgumentException(key + " is set to " + name + ": Jakarta Mail would create that factory"
                    + " itself, outside the limiter; put an instance in the properties instead and call limit again");
        }
    }

    /**
     * The socket factory put in {@code mail.p.ssl.socketFactory} for SSL from the start: deliberately not an
     * {@code SSLSocketFactory} (Jakarta Mail only calls {@code createSocket()} on a plain one), and its sockets are
     * {@code SSLSocket}s (so Jakarta Mail does not layer its default TLS over them again).
     */
    static final class TlsOverLimitedSockets extends SocketFactory {
        private final HalfOpenSSLSocketFactory tls;

        TlsOverLimitedSockets(final HalfOpenSSLSocketFactory tls) {
            this.tls = tls;
        }

        @Override
        public Socket createSocket() {
            return tls.createSocket();
        }

        @Override
        public Socket createSocket(final String host, final int port) throws IOException {
            return tls.createSocket(host, port);
        }

        @Override
        public Socket createSocket(final String host, final int port, final InetAddress localHost,
                final int localPort) throws IOException {
            return tls.createSocket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(final InetAddress host, final int port) throws IOException {
            return tls.createSocket(host, port);
        }

        @Override
        public Socket createSocket(final InetAddress address, final int port, final InetAddress localAddress,
                final int localPort) throws IOException {
            return tls.createSocket(address, port, localAddress, localPort);
        }

        @Override
        public String toString() {
            return "TlsOverLimitedSockets[" + tls + "]";
        }
    }
}
