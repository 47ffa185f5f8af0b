package io.halfopen.agent.limit;

import io.halfopen.agent.jdk.JdkInternals;
import io.halfopen.jdk.BlockingConnect;
import io.halfopen.limiter.HalfOpenLimiter;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code SocketChannel} connects ({@code sun.nio.ch.SocketChannelImpl}): blocking ones (the channel's
 * {@code connect} and its socket adaptor's timed connect) as one limiter-jdk {@link BlockingConnect} each, non-blocking ones
 * (Netty NIO, the JDK's {@code HttpClient}) as one {@link HeldChannelConnect} each. Thread-safe.
 *
 * <p>The hot paths that every channel and selector passes through ({@link #interestEvents},
 * {@link #suppressReadyOps}) cost one volatile read while no connect is held anywhere.
 */
final class ChannelConnects {

    private final HalfOpenLimiter limiter;
    private final JdkInternals internals;
    private final JdkInternals.NetCalls net;
    private final JdkInternals.ChannelCalls calls;
    private final ConcurrentHashMap<Object, BlockingConnect> blocking = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, HeldChannelConnect> nonBlocking = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();

    ChannelConnects(final HalfOpenLimiter limiter, final JdkInternals internals) {
        this.limiter = limiter;
        this.internals = internals;
        this.net = internals.net;
        this.calls = internals.channels;
    }

    /** How many non-blocking connects are held now (for the MBean and tests). */
    int held() {
        return held.get();
    }

    void heldChanged(final int delta) {
        held.addAndGet(delta);
    }

    void forget(final Object channel, final HeldChannelConnect connect) {
        nonBlocking.remove(channel, connect);
    }

    // ------------------------------------------------------------------------------------------ blocking

    /** {@code connect(remote)} before its body: a blocking channel connects through the limiter here. */
    boolean connect(final Object channel, final SocketAddress remote) throws IOException {
        final SocketChannel ch = (SocketChannel) channel;
        if (Bypass.active(channel) || !ch.isBlocking() || !(remote instanceof InetSocketAddress)
                || ((InetSocketAddress) remote).isUnresolved() || !ch.isOpen() || ch.isConnected()
                || ch.isConnectionPending()) {
            return false; // non-blocking (held in netConnect), or the JDK's own checks and exceptions
        }
        runBlocking(ch, (InetSocketAddress) remote, 0);
        return true;
    }

    /** The socket adaptor's {@code blockingConnect(remote, nanos)} before its body. */
    boolean blockingConnect(final Object channel, final SocketAddress remote, final long nanos) throws IOException {
        final SocketChannel ch = (SocketChannel) channel;
        if (Bypass.active(channel) || !ch.isBlocking() || !(remote instanceof InetSocketAddress)
                || ((InetSocketAddress) remote).isUnresolved() || !ch.isOpen() || ch.isConnected()
                || ch.isConnectionPending() || nanos < 0) {
            return false;
        }
        final long millis = nanos == 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
        runBlocking(ch, (InetSocketAddress) remote, (int) Math.min(Integer.MAX_VALUE, millis));
        return true;
    }

    private void runBlocking(final SocketChannel ch, final InetSocketAddress remote, final int millis)
            throws IOException {
        final BlockingConnect connect = new BlockingConnect(limiter, remote, ch::close);
        blocking.put(ch, connect);
        try {
            Outcomes.run(connect, millis, ms -> Bypass.run(ch, m -> {
                if (m == 0) {
                    ch.connect(remote);
                } else {
                    calls.blockingConnect(ch, remote, TimeUnit.MILLISECONDS.toNanos(m));
                }
            }, ms), true);
        } catch (final IOException e) {
            closeQuietly(ch); // as the JDK's connect does on any failure
            throw e;
        } finally {
            blocking.remove(ch, connect);
        }
    }

    // -------------------------------------------------------------------------------------- non-blocking

    /** In place of {@code Net.connect} inside the channel's connect methods. */
    int netConnect(final Object channel, final ProtocolFamily family, final FileDescriptor fd,
            final SocketAddress remote) throws IOException {
        final SocketChannel ch = (SocketChannel) channel;
        if (Bypass.active(channel) || ch.isBlocking() || !(remote instanceof InetSocketAddress)) {
            return net.connect(family, fd, remote);
        }
        final HeldChannelConnect connect = new HeldChannelConnect(this, limiter, internals, ch, family, fd,
                (InetSocketAddress) remote);
        nonBlocking.put(ch, connect);
        return connect.start();
    }

    /** In place of {@code Net.pollConnectNow} inside the channel's connect methods. */
    boolean pollConnectNow(final Object channel, final FileDescriptor fd) throws IOException {
        final HeldChannelConnect connect = Bypass.active(channel) ? null : nonBlocking.get(channel);
        return connect == null ? net.pollConnectNow(fd) : connect.poll(fd);
    }

    /** After {@code connect}, {@code finishConnect} and {@code blockingConnect}. */
    Throwable exit(final Object channel, final boolean connected, final Throwable thrown) {
        if (Bypass.active(channel)) {
            return thrown; // a blocking connect reports through its BlockingConnect
        }
        final HeldChannelConnect connect = nonBlocking.get(channel);
        return connect == null ? thrown : connect.exit(connected, thrown);
    }

    /** {@code SelectionKeyImpl.translateInterestOps()}: no poll events while the key's channel is held. */
    int interestEvents(final Object key, final int events) {
        if (held.get() == 0) {
            return events;
        }
        final SelectionKey k = (SelectionKey) key;
        final HeldChannelConnect connect = nonBlocking.get(k.channel());
        return connect == null ? events : connect.interestEvents(k, events);
    }

    /** {@code translateReadyOps}: a held channel is never ready (a poll that raced the hold reports nothing). */
    boolean suppressReadyOps(final Object channel, final Object key, final int initialOps) {
        if (held.get() == 0) {
            return false;
        }
        final HeldChannelConnect connect = nonBlocking.get(channel);
        if (connect == null || !connect.isHeld()) {
            return false;
        }
        calls.nioReadyOps(key, initialOps);
        return true;
    }

    /** Before {@code implCloseSelectableChannel}. */
    void closing(final Object channel) {
        if (Bypass.active(channel)) {
            return; // the JDK closing a channel whose blocking connect failed, inside that connect
        }
        final BlockingConnect waiting = blocking.get(channel);
        if (waiting != null) {
            waiting.socketClosed();
        }
        final HeldChannelConnect connect = nonBlocking.get(channel);
        if (connect != null) {
            connect.closing();
        }
    }

    /** After {@code implCloseSelectableChannel} and {@code kill}. */
    void socketMayBeClosed(final Object channel) {
        final HeldChannelConnect connect = nonBlocking.get(channel);
        if (connect != null) {
            connect.maybeClosed(channel);
        }
    }

    private static void closeQuietly(final SocketChannel ch) {
        try {
            ch.close();
        } catch (final IOException ignored) {
            // closed either way
        }
    }
}
