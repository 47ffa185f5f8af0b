package io.halfopen.netty;

import io.halfopen.session.AnonymousSessionRefusedException;
import io.halfopen.session.ConnectionInfo;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.OpenHandle;
import io.halfopen.session.SessionConnection;
import io.halfopen.session.SessionLimitExceededException;
import io.halfopen.session.SessionRefusedException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Windows' inbound session limit for a Netty server: admits each accepted channel into an
 * {@link InboundSessionLimiter} session when it becomes active, or refuses it (system error 71 past the
 * limit) and closes it before any later handler sees it.
 *
 * <pre>{@code
 * InboundSessionLimiter limiter = InboundSessionLimiter.xpProfessional();          // 10 computers
 * InboundSessionLimitHandler sessions = new InboundSessionLimitHandler(limiter)
 *         .withRefusalLine("421 4.7.0 Too many connections, try again later\r\n");
 * new ServerBootstrap()
 *         .group(new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory()))
 *         .channel(NioServerSocketChannel.class)
 *         .childHandler(new ChannelInitializer<SocketChannel>() {
 *             protected void initChannel(SocketChannel ch) {
 *                 ch.pipeline().addLast(sessions, new SmtpServerHandler());        // sessions first
 *             }
 *         })
 *         .bind(25);
 * // in SmtpServerHandler, once AUTH succeeds:
 * InboundSessionLimitHandler.authenticate(ctx.channel(), "alice", "Thunderbird");
 * // an SMB-like protocol: an anonymous logon, then a pipe the client holds open
 * InboundSessionLimitHandler.authenticateAnonymously(ctx.channel());
 * OpenHandle pipe = InboundSessionLimitHandler.open(ctx.channel(), "\\PIPE\\spoolss");
 * }</pre>
 *
 * <ul>
 *   <li><b>Admission.</b> On {@code channelActive} the channel is described by
 *       {@link ConnectionInfo#from(InetSocketAddress)} of its remote address (or by the function given to
 *       {@link #withConnectionInfo(Function)}) and admitted; only then is {@code channelActive} passed on.
 *       A channel from a computer that already holds a session joins it, authenticated or not, and is never
 *       refused. Put this handler in the child pipeline ahead of the protocol. Added to a channel that is
 *       already active, it admits (or refuses and closes) the channel at once, in {@code handlerAdded}: the
 *       limit is never skipped.</li>
 *   <li><b>Refusal.</b> A refused channel never reaches later handlers: {@code channelActive},
 *       reads and {@code channelInactive} stop here and reads are released. If a refusal message is
 *       configured it is written first and the channel closes once the write completes; otherwise it
 *       closes at once.</li>
 *   <li><b>Failure.</b> If describing or admitting the channel throws anything else (the describer failed, a
 *       session listener threw an {@link Error}), the channel is handled like a refused one: it holds no
 *       session, it is closed, later handlers never see it, and the failure is logged.</li>
 *   <li><b>Activity.</b> Every read and write refreshes the session's idle time. An open handle
 *       ({@link #open(Channel, String)}) is not activity, but keeps the session from idling out.</li>
 *   <li><b>Ending.</b> When the channel closes (its {@code closeFuture}) the connection leaves its
 *       session, ending the session if it was the last one. When the limiter ends a session
 *       (AutoDisconnect, null-session expiry, {@link InboundSessionLimiter#disconnect(String)}) it closes
 *       the channel.</li>
 * </ul>
 *
 * <p>{@link ChannelHandler.Sharable Sharable} and immutable: one instance serves every child channel of a
 * server; the {@code with} methods return a new handler. Thread-safe.
 */
@ChannelHandler.Sharable
public final class InboundSessionLimitHandler extends ChannelDuplexHandler {

    private static final AttributeKey<SessionConnection> CONNECTION =
            AttributeKey.valueOf(InboundSessionLimitHandler.class, "connection");
    /** Set on a channel that holds no session (refused, or its admission failed): the refusal or the failure. */
    private static final AttributeKey<Throwable> REFUSAL =
            AttributeKey.valueOf(InboundSessionLimitHandler.class, "refusal");
    private static final Logger LOG = LoggerFactory.getLogger(InboundSessionLimitHandler.class);

    private final InboundSessionLimiter limiter;
    private final Function<? super Channel, ConnectionInfo> describer;
    private final Function<? super SessionRefusedException, ?> refusalMessage;

    /**
     * Creates a handler that admits channels into {@code limiter} by remote address and closes refused
     * channels without a word.
     *
     * @param limiter the limiter shared by every channel of the server; never null
     */
    public InboundSessionLimitHandler(final InboundSessionLimiter limiter) {
        this(Objects.requireNonNull(limiter, "limiter"), new ByRemoteAddress(),
                refusal -> null);
    }

    private InboundSessionLimitHandler(final InboundSessionLimiter limiter,
                                       final Function<? super Channel, ConnectionInfo> describer,
                                       final Function<? super SessionRefusedException, ?> refusalMessage) {
        this.limiter = limiter;
        this.describer = describer;
        this.refusalMessage = refusalMessage;
    }

    /**
     * Returns a handler that writes a message to each refused channel before closing it. The message
     * starts its way at this handler's position in the pipeline, so it must be something the handlers in
     * front of this one can write: a {@link io.netty.buffer.ByteBuf} always works.
     *
     * @param message makes the message from the refusal; may return null for none; never null itself
     * @return the new handler
     */
    public InboundSessionLimitHandler withRefusalMessage(final Function<? super SessionRefusedException, ?> message) {
        return new InboundSessionLimitHandler(limiter, describer, Objects.requireNonNull(message, "message"));
    }

    /**
     * Returns a handler that writes {@code line} (US-ASCII, include the line ending) to each refused channel
     * before closing it, such as SMTP's {@code "421 4.7.0 Too many connections, try again later\r\n"}.
     *
     * @param line the protocol line; never null
     * @return the new handler
     */
    public InboundSessionLimitHandler withRefusalLine(final String line) {
        final byte[] bytes = Objects.requireNonNull(line, "line").getBytes(StandardCharsets.US_ASCII);
        return withRefusalMessage(refusal -> Unpooled.wrappedBuffer(bytes));
    }

    /**
     * Returns a handler that describes channels with {@code describer} instead of by remote address: the
     * hook for a computer name learnt elsewhere (a PROXY protocol header, a NetBIOS name) or for declaring
     * channels anonymous. It runs on the channel's event loop in {@code channelActive}; if it throws, the
     * failure is logged and the channel closed before any later handler sees it.
     *
     * @param describer describes a newly active channel; never null
     * @return the new handler
     */
    public InboundSessionLimitHandler withConnectionInfo(final Function<? super Channel, ConnectionInfo> describer) {
        return new InboundSessionLimitHandler(limiter, Objects.requireNonNull(describer, "describer"), refusalMessage);
    }

    /**
     * Returns the limiter this handler admits into.
     *
     * @return the limiter
     */
    public InboundSessionLimiter limiter() {
        return limiter;
    }

    /**
     * Returns the session connection of an admitted channel.
     *
     * @param channel the channel; never null
     * @return its connection, or null if the channel was not (yet) admitted or was refused
     */
    public static SessionConnection connection(final Channel channel) {
        return Objects.requireNonNull(channel, "channel").attr(CONNECTION).get();
    }

    /**
     * Tells the limiter the user a channel authenticated as: the channel moves to that user's session on
     * its computer (see {@link SessionConnection#authenticate(String, String)}). Call it from the protocol
     * handler; any thread will do.
     *
     * @param channel    an admitted channel; never null
     * @param userName   the user name; never null
     * @param clientType the client software, for the session table; never null, may be empty
     * @throws SessionLimitExceededException if that would open a session past the limit (error 71); the
     *                                       channel stays open in its old session, closing it is up to the
     *                                       caller
     * @throws IllegalStateException         if the channel was never admitted or its connection ended
     */
    public static void authenticate(final Channel channel, final String userName, final String clientType) {
        admitted(channel).authenticate(userName, clientType);
    }

    /**
     * Tells the limiter a channel logged on anonymously: it leaves its session for a null session of its own
     * (see {@link SessionConnection#authenticateAnonymously()}). Call it from the protocol handler; any
     * thread will do.
     *
     * @param channel an admitted channel; never null
     * @throws AnonymousSessionRefusedException if anonymous access is restricted (error 5); the channel stays
     *                                          open in its old session, closing it is up to the caller
     * @throws SessionLimitExceededException     if the null session would pass the limit (error 71); likewise
     * @throws IllegalStateException             if the channel was never admitted or its connection ended
     */
    public static void authenticateAnonymously(final Channel channel) {
        admitted(channel).authenticateAnonymously();
    }

    /**
     * Opens a file or pipe on an admitted channel's session, such as {@code \\PIPE\\spoolss}: it counts in the
     * session's Opens and keeps the session from idling out until it is closed or the channel closes (see
     * {@link OpenHandle}).
     *
     * @param channel an admitted channel; never null
     * @param path    what is opened, as the protocol names it; not blank
     * @return the open handle; close it when the client closes the file or pipe
     * @throws IllegalStateException if the channel was never admitted or its connection ended
     */
    public static OpenHandle open(final Channel channel, final String path) {
        return admitted(channel).open(path);
    }

    private static SessionConnection admitted(final Channel channel) {
        final SessionConnection connection = connection(channel);
        if (connection == null) {
            throw new IllegalStateException("channel " + channel + " was not admitted by an InboundSessionLimitHandler");
        }
        return connection;
    }

    /**
     * Admits (or refuses) a channel that is already active when this handler is added to its pipeline: its
     * {@code channelActive} has gone by, and the limit must not be skipped.
     */
    @Override
    public void handlerAdded(final ChannelHandlerContext ctx) {
        final Channel channel = ctx.channel();
        if (channel.isActive() && connection(channel) == null && !refused(ctx)) {
            admit(ctx);
        }
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) {
        if (connection(ctx.channel()) != null || admit(ctx)) {
            ctx.fireChannelActive();
        }
    }

    /** Admits the channel into a session, or refuses and closes it; returns whether it was admitted. */
    private boolean admit(final ChannelHandlerContext ctx) {
        final Channel channel = ctx.channel();
        final SessionConnection connection;
        final Binding binding = new Binding(channel);
        try {
            connection = limiter.admit(describer.apply(channel), binding);
        } catch (final SessionRefusedException refusal) {
            refuse(ctx, refusal);
            return false;
        } catch (final RuntimeException | Error failed) {
            // The describer or a session listener failed; the limiter holds no session for this channel.
            LOG.warn("admitting {} failed; the channel is closed", channel, failed);
            channel.attr(REFUSAL).set(failed);
            channel.config().setAutoRead(false);
            ctx.close();
            return false;
        }
        channel.attr(CONNECTION).set(connection);
        binding.connection = connection;
        channel.closeFuture().addListener(binding);
        return true;
    }

    /**
     * Ties an admitted channel and its connection both ways, in one object: the limiter's disconnect callback closes
     * the channel, and the channel's close ends the connection. {@code connection} is written before the listener is
     * added, which publishes it to the thread that completes the close future.
     */
    private static final class Binding implements Runnable, ChannelFutureListener {
        private final Channel channel;
        SessionConnection connection;

        Binding(final Channel channel) {
            this.channel = channel;
        }

        @Override
        public void run() {
            channel.close();
        }

        @Override
        public void operationComplete(final ChannelFuture closed) {
            connection.close();
        }
    }

    private void refuse(final ChannelHandlerContext ctx, final SessionRefusedException refusal) {
        ctx.channel().attr(REFUSAL).set(refusal);
        ctx.channel().config().setAutoRead(false);
        final Object message = refusalMessage.apply(refusal);
        if (message == null) {
            ctx.close();
        } else {
            ctx.writeAndFlush(message).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        if (refused(ctx)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        touch(ctx);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) {
        if (!refused(ctx)) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        if (!refused(ctx)) {
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        if (refused(ctx)) {
            ctx.close();
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise) {
        touch(ctx);
        ctx.write(msg, promise);
    }

    private static boolean refused(final ChannelHandlerContext ctx) {
        return ctx.channel().hasAttr(REFUSAL); // attr() would create the attribute on every admitted channel
    }

    private static void touch(final ChannelHandlerContext ctx) {
        final SessionConnection connection = ctx.channel().attr(CONNECTION).get();
        if (connection != null) {
            connection.touch();
        }
    }

    /**
     * The default describer: the computer is the remote IP address. It keeps the last description it made and gives
     * it again to the next channel from the same address (a server's connections come from few computers, often one
     * after another), saving the address's text and the description per accept. Thread-safe: a benign race on one
     * volatile field, whose value is immutable; a miss only builds a new description.
     */
    private static final class ByRemoteAddress implements Function<Channel, ConnectionInfo> {
        /** The last address described without a zone, and its description; replaced whole. */
        private record Last(InetAddress address, ConnectionInfo info) { }

        private volatile Last last;

        @Override
        public ConnectionInfo apply(final Channel channel) {
            final SocketAddress remote = channel.remoteAddress();
            if (!(remote instanceof InetSocketAddress inet)) {
                throw new IllegalArgumentException("InboundSessionLimitHandler needs an IP channel, remote address was "
                        + remote + "; use withConnectionInfo to name the computer");
            }
            final InetAddress address = inet.getAddress();
            // Inet6Address.equals ignores the zone, which the computer's name keeps: only zoneless ones are cached
            final boolean zoneless = address instanceof Inet4Address || address instanceof Inet6Address v6
                    && v6.getScopeId() == 0 && v6.getScopedInterface() == null;
            final Last cached = last;
            if (zoneless && cached != null && cached.address().equals(address)) {
                return cached.info();
            }
            final ConnectionInfo fresh = ConnectionInfo.from(inet);
            if (zoneless) {
                last = new Last(address, fresh);
            }
            return fresh;
        }
    }
}
