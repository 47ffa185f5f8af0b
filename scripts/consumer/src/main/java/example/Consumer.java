package example;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.netty.HalfOpenLimitHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What a user writes from README's Netty snippet, built against the installed artifacts: a loopback server, a
 * client whose connects go through HalfOpenLimitHandler, and a check that the limiter saw and released them.
 */
public final class Consumer {
    public static void main(final String[] args) throws Exception {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (HalfOpenLimiter limiter = HalfOpenLimiter.xpSp2()) {
            final Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(final SocketChannel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter());
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            final HalfOpenLimitHandler limit = new HalfOpenLimitHandler(limiter);
            final Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(final SocketChannel ch) {
                            ch.pipeline().addFirst(limit);
                        }
                    });
            for (int i = 0; i < 20; i++) {
                bootstrap.connect(server.localAddress()).sync().channel().close().sync();
            }
            server.close().sync();
            final LimiterStats stats = limiter.stats();
            System.out.println("consumer: " + stats);
            if (stats.established() != 20 || stats.halfOpen() != 0 || stats.queued() != 0) {
                throw new AssertionError("expected 20 established connects and a drained limiter, got " + stats);
            }
        } finally {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }
}
