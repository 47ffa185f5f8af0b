package io.halfopen.jdk;

import io.halfopen.limiter.HalfOpenLimiter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * Blocking {@link SocketChannel} connects through a {@link HalfOpenLimiter}, for NIO code that connects in
 * blocking mode:
 *
 * <pre>{@code
 * HalfOpenSocketChannels channels = new HalfOpenSocketChannels(limiter);   // share it, like the limiter
 * SocketChannel channel = SocketChannel.open();
 * channels.connect(channel, new InetSocketAddress("mx.example.org", 25), 3000);
 * }</pre>
 *
 * The rules are {@link BlockingConnect}'s: the queue wait is charged to the timeout (0 for none, as in the JDK),
 * the outcome is reported by exception type once the socket is out of SYN_SENT, an interrupt or the limiter's
 * failure ends the wait with no slot held. The real connect is the channel's own socket adaptor's
 * {@code connect(address, timeout)}, so exceptions are the ones {@code channel.socket().connect} throws. A
 * {@code SocketChannel} tells nobody when another thread closes it, so a wait for a slot notices such a close
 * within 10 ms (it looks at {@link SocketChannel#isOpen()}), not at once as the factory's sockets do.
 *
 * <p>Thread-safe; stateless but for the limiter.
 */
public final class HalfOpenSocketChannels {

    private final HalfOpenLimiter limiter;

    /**
     * Creates the connector.
     *
     * @param limiter the limiter every connect goes through
     */
    public HalfOpenSocketChannels(final HalfOpenLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    /**
     * Returns the limiter.
     *
     * @return the limiter
     */
    public HalfOpenLimiter limiter() {
        return limiter;
    }

    /**
     * Connects a blocking channel to {@code address} through the limiter.
     *
     * @param channel       an open, unconnected channel in blocking mode
     * @param address       the resolved address
     * @param timeoutMillis milliseconds for the whole connect, queue included; 0 for no timeout
     * @throws IllegalBlockingModeException if the channel is in non-blocking mode
     * @throws IllegalArgumentException     if {@code address} is not an {@link InetSocketAddress} or
     *                                      {@code timeoutMillis} is negative
     * @throws UnknownHostException         if {@code address} is unresolved
     * @throws java.nio.channels.ClosedChannelException if the channel is closed
     * @throws java.nio.channels.AlreadyConnectedException if it is connected
     * @throws java.nio.channels.ConnectionPendingException if a non-blocking connect is pending on it
     * @throws IOException                  as {@link BlockingConnect#run}
     */
    public void connect(final SocketChannel channel, final SocketAddress address, final int timeoutMillis)
            throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(address, "address");
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis must be 0 (none) or positive, was " + timeoutMillis);
        }
        if (!(address instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("Unsupported address type " + address.getClass().getName());
        }
        final InetSocketAddress remote = (InetSocketAddress) address;
        if (remote.isUnresolved()) {
            throw new UnknownHostException(remote.getHostName());
        }
        if (!channel.isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
        if (!channel.isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        if (channel.isConnected()) {
            throw new java.nio.channels.AlreadyConnectedException();
        }
        if (channel.isConnectionPending()) {
            throw new java.nio.channels.ConnectionPendingException();
        }
        new BlockingConnect(limiter, remote, channel::close)
                .watchClosed(() -> !channel.isOpen())
                .run(timeoutMillis, millis -> channel.socket().connect(remote, millis));
    }
}
