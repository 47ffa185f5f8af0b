package io.halfopen.cli;

import io.halfopen.netty.InboundSessionLimitHandler;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.OpenHandle;
import io.halfopen.session.SessionRefusedException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The session demo's server: Netty NIO on 127.0.0.1, an ephemeral port. Every child pipeline starts with
 * one shared {@link InboundSessionLimitHandler}; an admitted channel is greeted with {@link #GREETING}, a
 * refused one gets {@link #REFUSAL_LINE} and is closed (SMTP's wording: the handler writes a protocol line,
 * and SMB has none). Listens on loopback only.
 *
 * <p>After the greeting it speaks a line protocol shaped like SMB's steps, one reply line per command:
 * {@code USER name} (session setup as a user: "235 logged on as name"), {@code NULL} (an anonymous session
 * setup: "235 null session"), {@code OPEN path} (open a file or pipe: "250 opened path"), anything else
 * ("250 ok"). A logon the limiter refuses is answered "530 code text" and the connection closed.
 */
final class SessionDemoServer implements AutoCloseable {

    /** What an admitted computer reads first. */
    static final String GREETING = "220 halfopen demo server ready";
    /** What a refused computer reads before the server closes the connection. */
    static final String REFUSAL_LINE = "421 4.7.0 Too many connections, try again later";

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final List<OpenHandle> handles = new CopyOnWriteArrayList<>();

    /**
     * Binds the server.
     *
     * @param limiter the session limiter the server admits into
     * @throws InterruptedException if interrupted while binding
     */
    @SuppressWarnings("deprecation") // NioEventLoopGroup: deprecated in 4.2, the only NIO group in 4.1
    SessionDemoServer(final InboundSessionLimiter limiter) throws InterruptedException {
        final InboundSessionLimitHandler sessions =
                new InboundSessionLimitHandler(limiter).withRefusalLine(REFUSAL_LINE + "\r\n");
        group = new NioEventLoopGroup(1);
        try {
            serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(final SocketChannel ch) {
                            ch.pipeline().addLast(sessions, new LineProtocol());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        } catch (final InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Returns where the server listens: 127.0.0.1 and its ephemeral port.
     *
     * @return the listening address
     */
    InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Returns every handle a client opened with {@code OPEN}, open or closed since.
     *
     * @return the handles, in the order they were opened
     */
    List<OpenHandle> handles() {
        return handles;
    }

    /** Closes the listening channel and every child channel, waiting at most a few seconds. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** The protocol behind the limit handler: greets admitted channels, then answers one line per command. */
    private final class LineProtocol extends ChannelInboundHandlerAdapter {
        private final StringBuilder pending = new StringBuilder();

        @Override
        public void channelActive(final ChannelHandlerContext ctx) {
            reply(ctx, GREETING);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            final ByteBuf buf = (ByteBuf) msg;
            try {
                pending.append(buf.toString(StandardCharsets.US_ASCII));
            } finally {
                buf.release();
            }
            int end;
            while ((end = pending.indexOf("\n")) >= 0) {
                final String command = pending.substring(0, end).strip();
                pending.delete(0, end + 1);
                execute(ctx, command);
            }
        }

        private void execute(final ChannelHandlerContext ctx, final String command) {
            try {
                if (command.startsWith("USER ")) {
                    final String user = command.substring(5).strip();
                    InboundSessionLimitHandler.authenticate(ctx.channel(), user, "Windows 2000 2195");
                    reply(ctx, "235 logged on as " + user);
                } else if (command.equals("NULL")) {
                    InboundSessionLimitHandler.authenticateAnonymously(ctx.channel());
                    reply(ctx, "235 null session");
                } else if (command.startsWith("OPEN ")) {
                    final String path = command.substring(5).strip();
                    handles.add(InboundSessionLimitHandler.open(ctx.channel(), path));
                    reply(ctx, "250 opened " + path);
                } else {
                    reply(ctx, "250 ok");
                }
            } catch (final SessionRefusedException refused) {
                ctx.writeAndFlush(line("530 " + refused.errorCode() + " " + refused.errorText()))
                        .addListener(ChannelFutureListener.CLOSE);
            } catch (final IllegalStateException ended) {
                ctx.close(); // the limiter ended the connection meanwhile; its callback closes the channel too
            }
        }

        private void reply(final ChannelHandlerContext ctx, final String text) {
            ctx.writeAndFlush(line(text));
        }

        private ByteBuf line(final String text) {
            return Unpooled.copiedBuffer(text + "\r\n", StandardCharsets.US_ASCII);
        }
    }
}
