package io.halfopen.agent.limit;

import io.halfopen.agent.bootstrap.Hooks;
import io.halfopen.agent.jdk.JdkInternals;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.session.InboundSessionLimiter;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.Future;

/**
 * The agent's {@link Hooks}: routes each woven call to the connects of its kind. Which limiter each kind uses is
 * decided at start-up: the real one for the paths the agent limits, an unlimited one (it counts, never delays)
 * for any it only counts. Thread-safe.
 */
public final class AgentHooks implements Hooks {

    private final SocketConnects sockets;
    private final ChannelConnects channels;
    private final AsyncConnects async;
    private final InboundSessions sessions;
    private final JdkInternals internals;

    /**
     * Creates the hooks.
     *
     * @param socketLimiter  for {@code Socket} connects
     * @param channelLimiter for {@code SocketChannel} connects, blocking and not
     * @param asyncLimiter   for {@code AsynchronousSocketChannel} connects
     * @param inbound        the inbound session limit, or {@code null} for none
     * @param internals      the JDK's internals, resolved
     */
    public AgentHooks(final HalfOpenLimiter socketLimiter, final HalfOpenLimiter channelLimiter,
            final HalfOpenLimiter asyncLimiter, final InboundSessionLimiter inbound, final JdkInternals internals) {
        this.internals = internals;
        this.sockets = new SocketConnects(socketLimiter, internals.sockets);
        this.channels = new ChannelConnects(channelLimiter, internals);
        this.async = new AsyncConnects(asyncLimiter);
        this.sessions = inbound == null ? null : new InboundSessions(inbound, internals.net);
    }

    /**
     * How many non-blocking connects are held now, without a SYN, waiting for a slot.
     *
     * @return the number
     */
    public int heldNonBlockingConnects() {
        return channels.held();
    }

    @Override
    public boolean socketConnect(final Object impl, final SocketAddress remote, final int millis) throws IOException {
        return sockets.connect(impl, remote, millis);
    }

    @Override
    public void socketClosing(final Object impl) {
        sockets.closing(impl);
        if (sessions != null) {
            sessions.closed(internals.sockets.fd(impl));
        }
    }

    @Override
    public boolean channelConnect(final Object channel, final SocketAddress remote) throws IOException {
        return channels.connect(channel, remote);
    }

    @Override
    public boolean channelBlockingConnect(final Object channel, final SocketAddress remote, final long nanos)
            throws IOException {
        return channels.blockingConnect(channel, remote, nanos);
    }

    @Override
    public int netConnect(final Object channel, final ProtocolFamily family, final FileDescriptor fd,
            final SocketAddress remote) throws IOException {
        return channels.netConnect(channel, family, fd, remote);
    }

    @Override
    public boolean pollConnectNow(final Object channel, final FileDescriptor fd) throws IOException {
        return channels.pollConnectNow(channel, fd);
    }

    @Override
    public Throwable channelConnectExit(final Object channel, final boolean connected, final Throwable thrown) {
        return channels.exit(channel, connected, thrown);
    }

    @Override
    public int interestEvents(final Object key, final int events) {
        return channels.interestEvents(key, events);
    }

    @Override
    public boolean suppressReadyOps(final Object channel, final Object key, final int initialOps) {
        return channels.suppressReadyOps(channel, key, initialOps);
    }

    @Override
    public void channelClosing(final Object channel) {
        channels.closing(channel);
        if (sessions != null) {
            sessions.closed(internals.channels.fd(channel));
        }
    }

    @Override
    public void channelMaybeClosed(final Object channel) {
        channels.socketMayBeClosed(channel);
    }

    @Override
    public Object asyncConnect(final Object channel, final SocketAddress remote, final Object attachment,
            final CompletionHandler<?, ?> handler) {
        return async.connect(channel, remote, attachment, handler);
    }

    @Override
    public Future<?> asyncConnectExit(final Object channel, final CompletionHandler<?, ?> handler,
            final Future<?> returned, final Throwable thrown) {
        return async.exit(handler, returned, thrown);
    }

    @Override
    public void asyncClosed(final Object channel) {
        async.closed(channel);
    }

    @Override
    public int netAccept(final FileDescriptor fd, final FileDescriptor newfd, final InetSocketAddress[] isaa)
            throws IOException {
        return sessions == null ? internals.net.accept(fd, newfd, isaa) : sessions.accept(fd, newfd, isaa);
    }

    @Override
    public void socketFdClosed(final FileDescriptor fd) {
        if (sessions != null) {
            sessions.closed(fd);
        }
    }
}
