package io.halfopen.agent.weave;

/**
 * The JDK code paths through which a JVM opens TCP connections, each one the agent instruments. The start-up
 * log lists them by {@link #id()}: those it limits, those it only counts (an unlimited limiter sees them, nothing
 * waits), those it could not instrument.
 */
public enum ConnectPath {

    /** {@code java.net.Socket.connect}, through {@code sun.nio.ch.NioSocketImpl}. */
    SOCKET("socket", "java.net.Socket connect (sun.nio.ch.NioSocketImpl.connect)", "sun.nio.ch.NioSocketImpl"),
    /** A blocking {@code SocketChannel.connect}. */
    CHANNEL_BLOCKING("channel-blocking", "SocketChannel blocking connect (SocketChannelImpl.connect)",
            "sun.nio.ch.SocketChannelImpl"),
    /** {@code SocketChannel.socket().connect(address, timeout)}. */
    CHANNEL_ADAPTOR("channel-adaptor", "SocketChannel socket adaptor timed connect (SocketChannelImpl.blockingConnect)",
            "sun.nio.ch.SocketChannelImpl"),
    /** A non-blocking {@code SocketChannel.connect}, then {@code finishConnect} (Netty NIO, the JDK's HttpClient). */
    CHANNEL_NON_BLOCKING("channel-non-blocking",
            "SocketChannel non-blocking connect (held without a SYN until granted; SocketChannelImpl.connect,"
                    + " finishConnect, SelectionKeyImpl.translateInterestOps)",
            "sun.nio.ch.SocketChannelImpl"),
    /** {@code AsynchronousSocketChannel.connect}. */
    ASYNC("async", "AsynchronousSocketChannel connect (UnixAsynchronousSocketChannelImpl.implConnect)",
            "sun.nio.ch.UnixAsynchronousSocketChannelImpl");

    private final String id;
    private final String description;
    private final String jdkClass;

    ConnectPath(final String id, final String description, final String jdkClass) {
        this.id = id;
        this.description = description;
        this.jdkClass = jdkClass;
    }

    /**
     * The short name used in the start-up log.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * What the path is, and which JDK methods carry it.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * The JDK class the path is woven into.
     *
     * @return a binary class name
     */
    public String jdkClass() {
        return jdkClass;
    }
}
