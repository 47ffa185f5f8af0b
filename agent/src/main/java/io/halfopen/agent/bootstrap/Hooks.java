package io.halfopen.agent.bootstrap;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.Future;

/**
 * What the code that the agent weaves into the JDK calls: one method for each place it instruments. The agent
 * implements it (in the application class loader) and installs the implementation in {@link HalfOpenHooks}
 * before it instruments any class; this interface and {@link HalfOpenHooks} are the only halfopen types that
 * the bootstrap class loader sees.
 *
 * <p>Every parameter and result is a {@code java.base} type, so that the JDK's own classes can call it. The
 * instrumented objects ({@code sun.nio.ch.NioSocketImpl}, {@code SocketChannelImpl}, {@code SelectionKeyImpl},
 * {@code UnixAsynchronousSocketChannelImpl}, the server sockets) are passed as {@link Object}: the
 * implementation reaches their internals through method handles resolved once at start-up.
 *
 * <p>Implementations are thread-safe: every method is called by whichever application thread runs the
 * instrumented JDK method, often many at once.
 */
public interface Hooks {

    /**
     * {@code NioSocketImpl.connect(SocketAddress, int)}, before its body: a blocking {@code Socket} connect.
     *
     * @param impl   the socket's {@code NioSocketImpl}
     * @param remote the address to connect to, as given
     * @param millis the caller's connect timeout, 0 for none
     * @return {@code true} if the hook connected the socket itself (the body is skipped), {@code false} to run
     *         the body unchanged
     * @throws IOException what the connect throws
     */
    boolean socketConnect(Object impl, SocketAddress remote, int millis) throws IOException;

    /**
     * {@code NioSocketImpl.close()}, before its body.
     *
     * @param impl the socket's {@code NioSocketImpl}
     */
    void socketClosing(Object impl);

    /**
     * {@code SocketChannelImpl.connect(SocketAddress)}, before its body.
     *
     * @param channel the channel
     * @param remote  the address, as given
     * @return {@code true} if the hook connected a blocking channel itself (the body is skipped and
     *         {@code connect} returns {@code true}), {@code false} to run the body
     * @throws IOException what the connect throws
     */
    boolean channelConnect(Object channel, SocketAddress remote) throws IOException;

    /**
     * {@code SocketChannelImpl.blockingConnect(SocketAddress, long)} (the socket adaptor's timed connect), before
     * its body.
     *
     * @param channel the channel
     * @param remote  the address, as given
     * @param nanos   the caller's timeout
     * @return {@code true} if the hook connected the channel itself, {@code false} to run the body
     * @throws IOException what the connect throws
     */
    boolean channelBlockingConnect(Object channel, SocketAddress remote, long nanos) throws IOException;

    /**
     * Replaces the call {@code Net.connect(family, fd, remote)} inside {@code SocketChannelImpl}'s connect
     * methods: where a non-blocking connect is held until a slot is free.
     *
     * @param channel the channel whose method makes the call
     * @param family  the protocol family
     * @param fd      the channel's socket
     * @param remote  the checked remote address
     * @return what {@code Net.connect} returns: 1 if connected, {@code IOStatus.UNAVAILABLE} (-2) if pending
     * @throws IOException what {@code Net.connect} throws
     */
    int netConnect(Object channel, ProtocolFamily family, FileDescriptor fd, SocketAddress remote) throws IOException;

    /**
     * Replaces the call {@code Net.pollConnectNow(fd)} inside {@code SocketChannelImpl}'s connect methods.
     *
     * @param channel the channel whose method makes the call
     * @param fd      the channel's socket
     * @return whether the connect completed
     * @throws IOException why the connect failed
     */
    boolean pollConnectNow(Object channel, FileDescriptor fd) throws IOException;

    /**
     * {@code SocketChannelImpl.connect}, {@code finishConnect} and {@code blockingConnect}, after their body.
     *
     * @param channel   the channel
     * @param connected whether the method reports the channel connected
     * @param thrown    what it throws, or {@code null}
     * @return what it must throw instead, or {@code thrown}
     */
    Throwable channelConnectExit(Object channel, boolean connected, Throwable thrown);

    /**
     * {@code SelectionKeyImpl.translateInterestOps()}, after its body: the poll events a selector registers.
     *
     * @param key    the selection key
     * @param events the events the JDK translated
     * @return the events to register: 0 while the key's channel holds its connect, {@code events} otherwise
     */
    int interestEvents(Object key, int events);

    /**
     * {@code SocketChannelImpl.translateReadyOps(int, int, SelectionKeyImpl)}, before its body.
     *
     * @param channel    the channel
     * @param key        the selection key
     * @param initialOps the ready set the JDK starts from
     * @return {@code true} to report nothing ready (the channel holds its connect), {@code false} to run the body
     */
    boolean suppressReadyOps(Object channel, Object key, int initialOps);

    /**
     * {@code SocketChannelImpl.implCloseSelectableChannel()}, before its body.
     *
     * @param channel the channel
     */
    void channelClosing(Object channel);

    /**
     * {@code SocketChannelImpl.implCloseSelectableChannel()} and {@code kill()}, after their body: the socket
     * may now be closed.
     *
     * @param channel the channel
     */
    void channelMaybeClosed(Object channel);

    /**
     * {@code UnixAsynchronousSocketChannelImpl.implConnect}, before its body.
     *
     * @param channel    the channel
     * @param remote     the address, as given
     * @param attachment the caller's attachment
     * @param handler    the caller's handler, {@code null} for the {@link Future} form
     * @return {@code null} to run the body unchanged; a {@link CompletionHandler} to run it with that handler
     *         instead; anything else to skip the body, {@link HalfOpenHooks#NO_RESULT} for a {@code null}
     *         result or a {@link Future} to return
     */
    Object asyncConnect(Object channel, SocketAddress remote, Object attachment, CompletionHandler<?, ?> handler);

    /**
     * {@code UnixAsynchronousSocketChannelImpl.implConnect}, after its body.
     *
     * @param channel  the channel
     * @param handler  the handler the body ran with
     * @param returned what the body returned
     * @param thrown   what it throws, or {@code null}
     * @return what {@code implConnect} returns
     */
    Future<?> asyncConnectExit(Object channel, CompletionHandler<?, ?> handler, Future<?> returned, Throwable thrown);

    /**
     * {@code UnixAsynchronousSocketChannelImpl.implClose()}, after its body.
     *
     * @param channel the channel
     */
    void asyncClosed(Object channel);

    /**
     * Replaces the call {@code Net.accept(fd, newfd, isaa)} inside the JDK's server sockets: where the inbound
     * session limit turns away a connection from one computer too many.
     *
     * @param fd    the listening socket
     * @param newfd receives the accepted socket
     * @param isaa  receives the remote address
     * @return what {@code Net.accept} returns: 1 if a connection was accepted, {@code IOStatus.UNAVAILABLE} if
     *         none is pending (also when one was refused and closed)
     * @throws IOException what {@code Net.accept} throws
     */
    int netAccept(FileDescriptor fd, FileDescriptor newfd, InetSocketAddress[] isaa) throws IOException;

    /**
     * The close of any instrumented socket or channel: ends the inbound session of an accepted one.
     *
     * @param fd the socket's file descriptor object
     */
    void socketFdClosed(FileDescriptor fd);
}
