package io.halfopen.netty;

import io.halfopen.session.InboundSessionLimiter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Test fixture: a Netty NIO server on 127.0.0.1 whose child pipeline is the session limit handler, then
 * {@link ConcurrentComputers} (an independent count of admitted computers), then a protocol handler that
 * greets with "220 ready" (SMTP-like). Refused clients get "421 4.7.0 Too many connections...".
 */
final class LoopbackServer implements AutoCloseable {

    static final String REFUSAL_LINE = "421 4.7.0 Too many connections, try again later";
    static final String GREETING = "220 ready";

    @SuppressWarnings("deprecation") // NioEventLoopGroup: deprecated in 4.2, the only NIO group in 4.1
    private final EventLoopGroup group = new NioEventLoopGroup(2);
    private final ChannelGroup admitted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final InboundSessionLimiter limiter;
    private final ConcurrentComputers computers = new ConcurrentComputers();
    private final Channel serverChannel;

    LoopbackServer(final InboundSessionLimiter limiter) throws InterruptedException {
        this(limiter, Greeter::new);
    }

    LoopbackServer(final InboundSessionLimiter limiter, final Supplier<ChannelHandler> protocol)
            throws InterruptedException {
        this.limiter = limiter;
        final InboundSessionLimitHandler sessions =
                new InboundSessionLimitHandler(limiter).withRefusalLine(REFUSAL_LINE + "\r\n");
        this.serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 512)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel ch) {
                        ch.pipeline().addLast(sessions, computers, new Tracker(), protocol.get());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    InboundSessionLimiter limiter() {
        return limiter;
    }

    ConcurrentComputers computers() {
        return computers;
    }

    /** Channels the protocol saw become active and not yet inactive. */
    ChannelGroup admittedChannels() {
        return admitted;
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        admitted.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Records every channel that got past the limit handler. */
    private final class Tracker extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(final ChannelHandlerContext ctx) {
            admitted.add(ctx.channel());
            ctx.fireChannelActive();
        }
    }

    /** Greets admitted clients; "USER name" lines authenticate, anything else is ignored. */
    static final class Greeter extends ChannelInboundHandlerAdapter {
        private final StringBuilder line = new StringBuilder();

        @Override
        public void channelActive(final ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.copiedBuffer(GREETING + "\r\n", StandardCharsets.US_ASCII));
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            final io.netty.buffer.ByteBuf buf = (io.netty.buffer.ByteBuf) msg;
            try {
                line.append(buf.toString(StandardCharsets.US_ASCII));
            } finally {
                buf.release();
            }
            int end;
            while ((end = line.indexOf("\n")) >= 0) {
                final String command = line.substring(0, end).strip();
                line.delete(0, end + 1);
                if (command.startsWith("USER ")) {
                    InboundSessionLimitHandler.authenticate(ctx.channel(), command.substring(5), "TestClient 1.0");
                    ctx.writeAndFlush(Unpooled.copiedBuffer("235 ok\r\n", StandardCharsets.US_ASCII));
                }
            }
        }
    }
}
