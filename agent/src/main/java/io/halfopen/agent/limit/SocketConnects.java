package io.halfopen.agent.limit;

import io.halfopen.agent.jdk.JdkInternals;
import io.halfopen.jdk.BlockingConnect;
import io.halfopen.limiter.HalfOpenLimiter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code java.net.Socket} connects, through the JDK's platform implementation {@code sun.nio.ch.NioSocketImpl}
 * (every plain {@code Socket}, and the SOCKS and HTTP-proxy sockets that delegate to it): each is one
 * limiter-jdk's {@link BlockingConnect} (the same rules as {@code HalfOpenSocketFactory}'s sockets) that runs the
 * original {@code connect(remote, millis)} once a slot is held.
 * Thread-safe.
 */
final class SocketConnects {

    private final HalfOpenLimiter limiter;
    private final JdkInternals.SocketCalls calls;
    private final ConcurrentHashMap<Object, BlockingConnect> inFlight = new ConcurrentHashMap<>();

    SocketConnects(final HalfOpenLimiter limiter, final JdkInternals.SocketCalls calls) {
        this.limiter = limiter;
        this.calls = calls;
    }

    /** {@code NioSocketImpl.connect(remote, millis)}: returns {@code true} once connected through the limiter. */
    boolean connect(final Object impl, final SocketAddress remote, final int millis) throws IOException {
        if (Bypass.active(impl) || !(remote instanceof InetSocketAddress) || millis < 0) {
            return false; // the original body runs (and throws its own exceptions for bad input)
        }
        final InetSocketAddress isa = (InetSocketAddress) remote;
        if (isa.isUnresolved()) {
            return false; // UnknownHostException from the JDK
        }
        final BlockingConnect connect = new BlockingConnect(limiter, isa, () -> calls.close(impl));
        inFlight.put(impl, connect);
        try {
            Outcomes.run(connect, millis, ms -> Bypass.run(impl, m -> calls.connect(impl, remote, m), ms), false);
        } catch (final IOException e) {
            closeQuietly(impl); // as the JDK's connect does on any failure (a no-op if the JDK already closed it)
            throw e;
        } finally {
            inFlight.remove(impl, connect);
        }
        return true;
    }

    /** {@code NioSocketImpl.close()}: a connect waiting for a slot ends at once. */
    void closing(final Object impl) {
        if (Bypass.active(impl)) {
            return; // the JDK closing a socket whose connect failed, inside that connect
        }
        final BlockingConnect connect = inFlight.get(impl);
        if (connect != null) {
            connect.socketClosed();
        }
    }

    private void closeQuietly(final Object impl) {
        try {
            calls.close(impl);
        } catch (final IOException ignored) {
            // closed either way
        }
    }
}
