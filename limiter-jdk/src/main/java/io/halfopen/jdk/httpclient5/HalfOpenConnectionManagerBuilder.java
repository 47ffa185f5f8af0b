package io.halfopen.jdk.httpclient5;

import io.halfopen.jdk.HalfOpenSocketFactory;
import io.halfopen.limiter.HalfOpenLimiter;
import java.net.Proxy;
import java.net.Socket;
import java.util.Objects;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.DetachedSocketFactory;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.RegistryBuilder;

/**
 * A {@link PoolingHttpClientConnectionManagerBuilder} for Apache HttpClient 5's classic client whose connections'
 * TCP connects go through a {@link HalfOpenLimiter}:
 *
 * <pre>{@code
 * CloseableHttpClient client = HttpClients.custom()
 *         .setConnectionManager(HalfOpenConnectionManagerBuilder.create(limiter)
 *                 .setDefaultConnectionConfig(ConnectionConfig.custom()
 *                         .setConnectTimeout(Timeout.ofSeconds(3)).build())   // queue wait + TCP handshake
 *                 .build())
 *         .build();
 * }</pre>
 *
 * <h2>The hook</h2>
 * Since 5.4 the classic client creates its plain sockets with a {@code DetachedSocketFactory} and connects them
 * itself with {@code socket.connect(address, connectTimeout)}; the older {@code ConnectionSocketFactory}
 * registry is deprecated and, in 5.6, no longer asked for plain sockets at all (only its TLS layer is used).
 * This builder keeps every setting of the standard builder and replaces only that socket factory, through the
 * builder's {@code createConnectionOperator} (marked {@code @Internal} by HttpClient: checked against 5.6).
 * TLS ({@code https}) is layered by the client's {@link TlsSocketStrategy} over the limited socket, so only the
 * TCP handshake counts. The connect timeout covers the wait for a slot and the handshake (see
 * {@link HalfOpenSocketFactory}); 0 means none, and then only the limiter's timeouts apply. Sockets through a
 * SOCKS proxy ({@code SocketConfig.setSocksProxyAddress}) are the JDK's own and are not counted.
 *
 * <p>Not thread-safe, as any builder; the connection manager it builds is.
 */
public final class HalfOpenConnectionManagerBuilder extends PoolingHttpClientConnectionManagerBuilder {

    private final DetachedSocketFactory sockets;

    private HalfOpenConnectionManagerBuilder(final HalfOpenLimiter limiter) {
        final HalfOpenSocketFactory factory = new HalfOpenSocketFactory(limiter);
        this.sockets = new DetachedSocketFactory() {
            @Override
            public Socket create(final Proxy socksProxy) {
                return socksProxy == null ? factory.createSocket() : new Socket(socksProxy);
            }

            @Override
            public String toString() {
                return factory.toString();
            }
        };
    }

    /**
     * Returns a builder whose connection manager's TCP connects go through {@code limiter}.
     *
     * @param limiter the limiter, shared by every client of the process that should count
     * @return a new builder with the standard defaults
     */
    public static HalfOpenConnectionManagerBuilder create(final HalfOpenLimiter limiter) {
        return new HalfOpenConnectionManagerBuilder(Objects.requireNonNull(limiter, "limiter"));
    }

    /**
     * Not for callers: the standard operator, over the limited socket factory.
     *
     * @param schemePortResolver as the standard builder
     * @param dnsResolver        as the standard builder
     * @param tlsSocketStrategy  as the standard builder
     * @return the operator
     */
    @Override
    protected HttpClientConnectionOperator createConnectionOperator(final SchemePortResolver schemePortResolver,
            final DnsResolver dnsResolver, final TlsSocketStrategy tlsSocketStrategy) {
        return new DefaultHttpClientConnectionOperator(sockets, schemePortResolver, dnsResolver,
                RegistryBuilder.<TlsSocketStrategy>create().register(URIScheme.HTTPS.id, tlsSocketStrategy).build());
    }
}
