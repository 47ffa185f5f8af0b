package io.halfopen.jdk.okhttp;

import io.halfopen.jdk.HalfOpenSocketFactory;
import io.halfopen.limiter.HalfOpenLimiter;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Puts an {@link OkHttpClient}'s TCP connects through a {@link HalfOpenLimiter}, with OkHttp's own hook,
 * {@link OkHttpClient.Builder#socketFactory}:
 *
 * <pre>{@code
 * OkHttpClient client = HalfOpenOkHttp.limit(new OkHttpClient.Builder(), limiter)
 *         .connectTimeout(Duration.ofSeconds(3))   // covers the wait for a slot and the TCP handshake
 *         .build();
 * }</pre>
 *
 * <h2>Timeouts compose</h2>
 * OkHttp connects each route with {@code socket.connect(address, connectTimeout)}; the limited socket charges
 * the wait for a slot to that timeout and gives the real connect only what remains, so a call's connect
 * attempt to one address ends within {@code connectTimeout} whatever the queue, with OkHttp's usual
 * {@code SocketTimeoutException}, and then OkHttp tries its next route as it always does. With
 * {@code connectTimeout(0)} (none) only the limiter's timeouts apply (its half-open timeout: 21 s for XP).
 *
 * <h2>What counts</h2>
 * Every TCP connect OkHttp makes: to the origin or to an HTTP proxy, plain or before TLS (OkHttp layers TLS on
 * the limited socket itself, so HTTPS counts the TCP handshake only). Connects that OkHttp's fast fallback
 * (Happy Eyeballs) abandons are closed by OkHttp; a loser still waiting for a slot leaves the queue at once.
 * A SOCKS proxy's connect does not go through the socket factory and is not counted.
 *
 * <p>Thread-safe (stateless).
 */
public final class HalfOpenOkHttp {

    private HalfOpenOkHttp() {
    }

    /**
     * Sets {@code builder}'s socket factory to one whose sockets go through {@code limiter}.
     *
     * @param builder the client's builder
     * @param limiter the limiter, shared by every client of the process that should count
     * @return {@code builder}
     */
    public static OkHttpClient.Builder limit(final OkHttpClient.Builder builder, final HalfOpenLimiter limiter) {
        Objects.requireNonNull(builder, "builder");
        return builder.socketFactory(new HalfOpenSocketFactory(limiter));
    }
}
