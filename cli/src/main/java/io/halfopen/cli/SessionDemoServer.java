package io.halfopen.cli;

import io.halfopen.netty.InboundSessionLimitHandler;
import io.halfopen.session.InboundSessionLimiter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The session demo's server: Netty NIO on 127.0.0.1, an ephemeral port. Every child pipeline starts with
 * one shared {@link InboundSessionLimitHandler}; an admitted channel is greeted with {@link #GREETING}, a
 * refused one gets {@link #REFUSAL_LINE} and is closed (SMTP's wording: the handler writes a protocol line,
 * and SMB has none). Reads are discarded. Listens on loopback only.
 */
final class SessionDemoServer implements AutoCloseable {

    /** What an admitted computer reads first. */
    static final String GREETING = "220 halfopen demo server ready";
    /** What a refused computer reads before the server closes the connection. */
    static final String REFUSAL_LINE = "421 4.7.0 Too many connections, try again later";

    private final EventLoopGroup group;
    private final Channel serverChannel;

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
        final Greeter greeter = new Greeter();
        group = new NioEventLoopGroup(1);
        try {
            serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(final SocketChannel ch) {
                            ch.pipeline().addLast(sessions, greeter);
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

    /** Closes the listening channel and every child channel, waiting at most a few seconds. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** The protocol behind the limit handler: greets admitted channels, ignores what they send. */
    @ChannelHandler.Sharable
    private static final class Greeter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(final ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.copiedBuffer(GREETING + "\r\n", StandardCharsets.US_ASCII));
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
