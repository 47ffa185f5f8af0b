package io.halfopen.netty;

import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.testkit.LoopbackServer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Test fixture: the testkit's {@link LoopbackServer} (two NIO loops on 127.0.0.1) whose child pipeline is the
 * session limit handler, then {@link ConcurrentComputers} (an independent count of admitted computers), then a
 * protocol handler that greets with "220 ready" (SMTP-like). Refused clients get "421 4.7.0 Too many
 * connections...".
 */
final class SessionServer implements AutoCloseable {

    static final String REFUSAL_LINE = "421 4.7.0 Too many connections, try again later";
    static final String GREETING = "220 ready";

    private final ChannelGroup admitted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final InboundSessionLimiter limiter;
    private final ConcurrentComputers computers = new ConcurrentComputers();
    private final LoopbackServer server;

    SessionServer(final InboundSessionLimiter limiter) {
        this(limiter, Greeter::new);
    }

    SessionServer(final InboundSessionLimiter limiter, final Supplier<ChannelHandler> protocol) {
        this.limiter = limiter;
        final InboundSessionLimitHandler sessions =
                new InboundSessionLimitHandler(limiter).withRefusalLine(REFUSAL_LINE + "\r\n");
        final Tracker tracker = new Tracker();
        this.server = LoopbackServer.builder()
                .threads(2)
                .backlog(512)
                .threadName("session-server")
                .childPipeline(pipeline -> pipeline.addLast(sessions, computers, tracker, protocol.get()))
                .start();
    }

    InetSocketAddress address() {
        return server.address();
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
        admitted.close().syncUninterruptibly();
        server.close();
    }

    /** Records every channel that got past the limit handler. */
    @ChannelHandler.Sharable
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
