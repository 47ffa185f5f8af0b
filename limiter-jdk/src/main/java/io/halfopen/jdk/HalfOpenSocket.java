package io.halfopen.jdk;

import io.halfopen.limiter.HalfOpenLimiter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * A plain {@link Socket} whose {@link #connect(SocketAddress, int)} first waits for a slot of a
 * {@link HalfOpenLimiter}, by the rules of {@link BlockingConnect}: the queue wait is charged to the connect
 * timeout, the outcome is reported once the socket has left SYN_SENT, a close from another thread ends the wait
 * at once. Everything else is the JDK's socket, unchanged. Created by {@link HalfOpenSocketFactory}.
 *
 * <p>Thread-safety as {@link Socket}: one thread connects; {@link #close()} may come from any thread.
 */
final class HalfOpenSocket extends Socket {

    private static final AtomicReferenceFieldUpdater<HalfOpenSocket, BlockingConnect> CONNECTING =
            AtomicReferenceFieldUpdater.newUpdater(HalfOpenSocket.class, BlockingConnect.class, "connecting");

    private final HalfOpenLimiter limiter;
    private volatile BlockingConnect connecting; // set once, by the first connect

    HalfOpenSocket(final HalfOpenLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    /**
     * Connects with no timeout, as {@link Socket#connect(SocketAddress)}: only the limiter's timeouts apply.
     *
     * @param endpoint the address
     * @throws IOException as {@link #connect(SocketAddress, int)}
     */
    @Override
    public void connect(final SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    /**
     * Waits for a half-open slot, then connects within what remains of {@code timeout}.
     *
     * @param endpoint the address, resolved
     * @param timeout  milliseconds for the whole connect, queue included; 0 for no timeout (then only the
     *                 limiter's queue and half-open timeouts apply)
     * @throws IllegalArgumentException if {@code endpoint} is null or not an {@link InetSocketAddress}, or
     *                                  {@code timeout} is negative (as the JDK's socket)
     * @throws UnknownHostException     if {@code endpoint} is unresolved (as the JDK's socket)
     * @throws java.net.SocketTimeoutException if the timeout or the limiter's half-open timeout ran out
     * @throws io.halfopen.limiter.HalfOpenLimitException if the limiter failed the attempt (closed, queue full,
     *                                  queue timeout)
     * @throws IOException              the connect's own failure otherwise
     */
    @Override
    public void connect(final SocketAddress endpoint, final int timeout) throws IOException {
        if (endpoint == null) {
            throw new IllegalArgumentException("connect: The address can't be null");
        }
        if (timeout < 0) {
            throw new IllegalArgumentException("connect: timeout can't be negative, was " + timeout);
        }
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        if (isConnected()) {
            throw new SocketException("already connected to " + getRemoteSocketAddress());
        }
        if (!(endpoint instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("Unsupported address type " + endpoint.getClass().getName());
        }
        final InetSocketAddress remote = (InetSocketAddress) endpoint;
        if (remote.isUnresolved()) {
            throw new UnknownHostException(remote.getHostName());
        }
        final BlockingConnect connect = new BlockingConnect(limiter, remote, this::closeSocket);
        if (!CONNECTING.compareAndSet(this, null, connect)) {
            throw new SocketException("a connect is already in progress on this socket; it cannot"
                    + " connect to " + remote);
        }
        if (isClosed()) { // closed between the check above and publishing the connect
            connect.socketClosed();
        }
        connect.run(timeout, millis -> super.connect(remote, millis));
    }

    private void closeSocket() throws IOException {
        super.close();
    }

    /**
     * Closes the socket, from any thread; a connect waiting for a slot ends at once and holds no slot once this
     * returns.
     *
     * @throws IOException as {@link Socket#close()}
     */
    @Override
    public void close() throws IOException {
        final BlockingConnect before = connecting;
        if (before != null) {
            before.socketClosed(); // first: a connect in flight that this close ends must know its owner closed it
        }
        super.close();
        final BlockingConnect after = connecting; // a connect that published itself meanwhile: it re-checks
        if (after != null) {                       // isClosed() after publishing, and one of the two sees the other
            after.socketClosed();
        }
    }

    @Override
    public String toString() {
        return "HalfOpenSocket[" + super.toString() + ", limiter " + limiter.name() + "]";
    }
}
