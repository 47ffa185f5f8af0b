package io.halfopen.agent.jdk;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.AbstractSelectableChannel;

/**
 * The JDK internals the agent needs, as method and var handles resolved once at start-up against the running
 * JDK (17 and 25 share every one of these). Each group is resolved on its own; a group that does not resolve
 * (another JDK) is {@code null} and the paths that need it are reported as counted only, or left alone.
 *
 * <p>Requires {@code java.base}'s {@code sun.nio.ch}, {@code java.net} and {@code java.nio.channels.spi} to be
 * open to the agent's module, which the agent arranges through {@link java.lang.instrument.Instrumentation}
 * before it calls {@link #resolve}. Immutable, thread-safe.
 */
public final class JdkInternals {

    /** {@code IOStatus.UNAVAILABLE}: "would block", a connect in progress. */
    public static final int UNAVAILABLE = -2;

    /**
     * Handles on {@code sun.nio.ch.Net}: connect, poll, shutdown, accept.
     *
     * @param connect        {@code connect(ProtocolFamily, FileDescriptor, SocketAddress)}
     * @param pollConnectNow {@code pollConnectNow(FileDescriptor)}
     * @param shutdown       {@code shutdown(FileDescriptor, int)}
     * @param shutRdwr       {@code SHUT_RDWR}
     * @param accept         {@code accept(FileDescriptor, FileDescriptor, InetSocketAddress[])}
     * @param closeFd        a {@code SocketDispatcher}'s {@code close(FileDescriptor)}
     */
    public record NetCalls(MethodHandle connect, MethodHandle pollConnectNow, MethodHandle shutdown, int shutRdwr,
            MethodHandle accept, MethodHandle closeFd) {

        /**
         * {@code Net.connect(family, fd, remote)}.
         *
         * @param family the protocol family
         * @param fd     the socket
         * @param remote the address
         * @return 1 if connected, {@link #UNAVAILABLE} if in progress
         * @throws IOException if the connect failed at once
         */
        public int connect(final ProtocolFamily family, final FileDescriptor fd, final SocketAddress remote)
                throws IOException {
            try {
                return (int) connect.invokeExact(family, fd, remote);
            } catch (final IOException | RuntimeException | Error e) {
                throw e;
            } catch (final Throwable t) {
                throw new IOException(t);
            }
        }

        /**
         * {@code Net.pollConnectNow(fd)}.
         *
         * @param fd the socket
         * @return whether the connect completed
         * @throws IOException why it failed
         */
        public boolean pollConnectNow(final FileDescriptor fd) throws IOException {
            try {
                return (boolean) pollConnectNow.invokeExact(fd);
            } catch (final IOException | RuntimeException | Error e) {
                throw e;
            } catch (final Throwable t) {
                throw new IOException(t);
            }
        }

        /**
         * {@code Net.shutdown(fd, SHUT_RDWR)}: a socket in SYN_SENT goes to CLOSE at once.
         *
         * @param fd the socket
         * @throws IOException if the call failed
         */
        public void shutdown(final FileDescriptor fd) throws IOException {
            try {
                shutdown.invokeExact(fd, shutRdwr);
            } catch (final IOException | RuntimeException | Error e) {
                throw e;
            } catch (final Throwable t) {
                throw new IOException(t);
            }
        }

        /**
         * {@code Net.accept(fd, newfd, isaa)}.
         *
         * @param fd    the listening socket
         * @param newfd receives the accepted socket
         * @param isaa  receives the remote address
         * @return 1 if a connection was accepted, {@link #UNAVAILABLE} if none is pending
         * @throws IOException if the accept failed
         */
        public int accept(final FileDescriptor fd, final FileDescriptor newfd, final InetSocketAddress[] isaa)
                throws IOException {
            try {
                return (int) accept.invokeExact(fd, newfd, isaa);
            } catch (final IOException | RuntimeException | Error e) {
                throw e;
            } catch (final Throwable t) {
                throw new IOException(t);
            }
        }

        /**
         * Closes a socket file descriptor the JDK has not wrapped yet (an accepted connection turned away).
         *
         * @param fd the socket
         * @throws IOException if the close failed
         */
        public void closeFd(final FileDescriptor fd) throws IOException {
            try {
                closeFd.invokeExact(fd);
            } catch (final IOException | RuntimeException | Error e) {
                throw e;
            } catch (final Throwable t) {
                throw new IOException(t);
            }
        }
    }

    /**
     * Handles on {@code sun.nio.ch.SocketChannelImpl} and its selection keys.
     *
     * @param type              {@code SocketChannelImpl}
     * @param state             its {@code state}
     * @param stateLock         its {@code stateLock}
     * @param fd                its {@code fd}
     * @param family            its {@code family}
     * @param connectionPending {@code ST_CONNECTIONPENDING}
     * @param closed            {@code ST_CLOSED}
     * @param blockingConnect   its {@code blockingConnect(SocketAddress, long)}
     * @param setEventOps       {@code SelectorImpl.setEventOps(SelectionKeyImpl)}
     * @param nioReadyOps       {@code SelectionKeyImpl.nioReadyOps(int)}
     * @param keys              {@code AbstractSelectableChannel.keys}
     * @param keyLock           {@code AbstractSelectableChannel.keyLock}
     */
    public record ChannelCalls(Class<?> type, VarHandle state, VarHandle stateLock, VarHandle fd, VarHandle family,
            int connectionPending, int closed, MethodHandle blockingConnect, MethodHandle setEventOps, MethodHandle nioReadyOps,
            VarHandle keys, VarHandle keyLock) {

        /**
         * The channel's state: {@link #connectionPending} while a connect is pending, {@link #closed} once its
         * socket is closed.
         *
         * @param channel a {@code SocketChannelImpl}
         * @return the state
         */
        public int state(final Object channel) {
            return (int) state.getVolatile(channel);
        }

        /**
         * The monitor that guards the channel's state (and its close).
         *
         * @param channel a {@code SocketChannelImpl}
         * @return the monitor
         */
        public Object stateLock(final Object channel) {
            return stateLock.get(channel);
        }

        /**
         * The channel's socket.
         *
         * @param channel a {@code SocketChannelImpl}
         * @return its file descriptor object
         */
        public FileDescriptor fd(final Object channel) {
            return (FileDescriptor) fd.get(channel);
        }

        /**
         * The channel's protocol family.
         *
         * @param channel a {@code SocketChannelImpl}
         * @return the family
         */
        public ProtocolFamily family(final Object channel) {
            return (ProtocolFamily) family.get(channel);
        }

        /**
         * {@code blockingConnect(remote, nanos)}: the socket adaptor's timed connect.
         *
         * @param channel a blocking {@code SocketChannelImpl}
         * @param remote  the address
         * @param nanos   the timeout
         * @throws IOException what the connect throws
         */
        public void blockingConnect(final Object channel, final SocketAddress remote, final long nanos)
                throws IOException {
            try {
                blockingConnect.invoke(channel, remote, nanos);
            } catch (final IOException | RuntimeException | Error e) {
                throw e;
            } catch (final Throwable t) {
                throw new IOException(t);
            }
        }

        /**
         * Queues a key so that its selector translates its interest set again, then wakes the selector.
         *
         * @param key a {@code SelectionKeyImpl}
         */
        public void requeue(final SelectionKey key) {
            try {
                setEventOps.invoke(key.selector(), key);
            } catch (final RuntimeException | Error e) {
                throw e;
            } catch (final Throwable t) {
                throw new IllegalStateException(t);
            }
            key.selector().wakeup();
        }

        /**
         * Sets a key's ready set without the public API's validity check.
         *
         * @param key a {@code SelectionKeyImpl}
         * @param ops the ready set
         */
        public void nioReadyOps(final Object key, final int ops) {
            try {
                nioReadyOps.invoke(key, ops);
            } catch (final RuntimeException | Error e) {
                throw e;
            } catch (final Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /**
         * The channel's current selection keys, a copy (with {@code null} holes, as the JDK keeps them).
         *
         * @param channel a {@code SocketChannelImpl}
         * @return the keys
         */
        public SelectionKey[] keys(final Object channel) {
            final Object lock = keyLock.get(channel);
            synchronized (lock) {
                final SelectionKey[] all = (SelectionKey[]) keys.get(channel);
                return all == null ? new SelectionKey[0] : all.clone();
            }
        }
    }

    /**
     * Handles on {@code sun.nio.ch.NioSocketImpl}, the platform {@code Socket} implementation.
     *
     * @param type    {@code NioSocketImpl}
     * @param connect its {@code connect(SocketAddress, int)}
     * @param close   its {@code close()}
     * @param fd      {@code SocketImpl.fd}
     */
    public record SocketCalls(Class<?> type, MethodHandle connect, MethodHandle close, VarHandle fd) {

        /**
         * The original {@code connect(remote, millis)}.
         *
         * @param impl   a {@code NioSocketImpl}
         * @param remote the address
         * @param millis the timeout, 0 for none
         * @throws IOException what the connect throws
         */
        public void connect(final Object impl, final SocketAddress remote, final int millis) throws IOException {
            try {
                connect.invoke(impl, remote, millis);
            } catch (final IOException | RuntimeException | Error e) {
                throw e;
            } catch (final Throwable t) {
                throw new IOException(t);
            }
        }

        /**
         * {@code close()}.
         *
         * @param impl a {@code NioSocketImpl}
         * @throws IOException what the close throws
         */
        public void close(final Object impl) throws IOException {
            try {
                close.invoke(impl);
            } catch (final IOException | RuntimeException | Error e) {
                throw e;
            } catch (final Throwable t) {
                throw new IOException(t);
            }
        }

        /**
         * The socket's file descriptor object.
         *
         * @param impl a {@code NioSocketImpl}
         * @return it
         */
        public FileDescriptor fd(final Object impl) {
            return (FileDescriptor) fd.get(impl);
        }
    }

    /** {@code sun.nio.ch.Net}'s handles, or {@code null} if they did not resolve. */
    public final NetCalls net;
    /** {@code SocketChannelImpl}'s handles, or {@code null} if they did not resolve. */
    public final ChannelCalls channels;
    /** {@code NioSocketImpl}'s handles, or {@code null} if they did not resolve. */
    public final SocketCalls sockets;
    /** Why a group did not resolve; empty if every one did. */
    public final String problems;

    private JdkInternals(final NetCalls net, final ChannelCalls channels, final SocketCalls sockets,
            final String problems) {
        this.net = net;
        this.channels = channels;
        this.sockets = sockets;
        this.problems = problems;
    }

    /**
     * Resolves every group.
     *
     * @return the handles
     */
    public static JdkInternals resolve() {
        final StringBuilder problems = new StringBuilder();
        NetCalls net = null;
        ChannelCalls channels = null;
        SocketCalls sockets = null;
        try {
            net = resolveNet();
        } catch (final ReflectiveOperationException | RuntimeException e) {
            problems.append("sun.nio.ch.Net: ").append(e).append("; ");
        }
        try {
            channels = resolveChannels();
        } catch (final ReflectiveOperationException | RuntimeException e) {
            problems.append("sun.nio.ch.SocketChannelImpl: ").append(e).append("; ");
        }
        try {
            sockets = resolveSockets();
        } catch (final ReflectiveOperationException | RuntimeException e) {
            problems.append("sun.nio.ch.NioSocketImpl: ").append(e).append("; ");
        }
        return new JdkInternals(net, channels, sockets, problems.toString());
    }

    private static MethodHandles.Lookup lookupIn(final Class<?> type) throws IllegalAccessException {
        return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
    }

    private static NetCalls resolveNet() throws ReflectiveOperationException {
        final Class<?> net = Class.forName("sun.nio.ch.Net");
        final MethodHandles.Lookup l = lookupIn(net);
        final MethodHandle connect = l.findStatic(net, "connect",
                MethodType.methodType(int.class, ProtocolFamily.class, FileDescriptor.class, SocketAddress.class));
        final MethodHandle poll = l.findStatic(net, "pollConnectNow",
                MethodType.methodType(boolean.class, FileDescriptor.class));
        final MethodHandle shutdown = l.findStatic(net, "shutdown",
                MethodType.methodType(void.class, FileDescriptor.class, int.class));
        final int shutRdwr = (int) l.findStaticVarHandle(net, "SHUT_RDWR", int.class).get();
        final MethodHandle accept = l.findStatic(net, "accept", MethodType.methodType(int.class,
                FileDescriptor.class, FileDescriptor.class, InetSocketAddress[].class));
        final Class<?> dispatcherType = Class.forName("sun.nio.ch.SocketDispatcher");
        final MethodHandles.Lookup dl = lookupIn(dispatcherType);
        final MethodHandle newDispatcher = dl.findConstructor(dispatcherType, MethodType.methodType(void.class));
        final Object dispatcher;
        try {
            dispatcher = newDispatcher.invoke();
        } catch (final Throwable t) {
            throw new IllegalStateException("new SocketDispatcher() failed", t);
        }
        final MethodHandle close = dl.findVirtual(dispatcherType, "close",
                MethodType.methodType(void.class, FileDescriptor.class)).bindTo(dispatcher);
        return new NetCalls(connect, poll, shutdown, shutRdwr, accept, close);
    }

    private static ChannelCalls resolveChannels() throws ReflectiveOperationException {
        final Class<?> type = Class.forName("sun.nio.ch.SocketChannelImpl");
        final MethodHandles.Lookup l = lookupIn(type);
        final VarHandle state = l.findVarHandle(type, "state", int.class);
        final VarHandle stateLock = l.findVarHandle(type, "stateLock", Object.class);
        final VarHandle fd = l.findVarHandle(type, "fd", FileDescriptor.class);
        final VarHandle family = l.findVarHandle(type, "family", ProtocolFamily.class);
        final int pending = (int) l.findStaticVarHandle(type, "ST_CONNECTIONPENDING", int.class).get();
        final int closed = (int) l.findStaticVarHandle(type, "ST_CLOSED", int.class).get();
        final MethodHandle blockingConnect = l.findVirtual(type, "blockingConnect",
                MethodType.methodType(void.class, SocketAddress.class, long.class));
        final Class<?> selector = Class.forName("sun.nio.ch.SelectorImpl");
        final Class<?> key = Class.forName("sun.nio.ch.SelectionKeyImpl");
        final MethodHandle setEventOps = lookupIn(selector).findVirtual(selector, "setEventOps",
                MethodType.methodType(void.class, key));
        final MethodHandle nioReadyOps = lookupIn(key).findVirtual(key, "nioReadyOps",
                MethodType.methodType(void.class, int.class));
        final MethodHandles.Lookup al = lookupIn(AbstractSelectableChannel.class);
        final VarHandle keys = al.findVarHandle(AbstractSelectableChannel.class, "keys", SelectionKey[].class);
        final VarHandle keyLock = al.findVarHandle(AbstractSelectableChannel.class, "keyLock", Object.class);
        return new ChannelCalls(type, state, stateLock, fd, family, pending, closed, blockingConnect, setEventOps,
                nioReadyOps, keys, keyLock);
    }

    private static SocketCalls resolveSockets() throws ReflectiveOperationException {
        final Class<?> type = Class.forName("sun.nio.ch.NioSocketImpl");
        final MethodHandles.Lookup l = lookupIn(type);
        final MethodHandle connect = l.findVirtual(type, "connect",
                MethodType.methodType(void.class, SocketAddress.class, int.class));
        final MethodHandle close = l.findVirtual(type, "close", MethodType.methodType(void.class));
        final VarHandle fd = lookupIn(SocketImpl.class).findVarHandle(SocketImpl.class, "fd", FileDescriptor.class);
        return new SocketCalls(type, connect, close, fd);
    }
}
