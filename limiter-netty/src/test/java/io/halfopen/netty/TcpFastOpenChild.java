package io.halfopen.netty;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.testkit.SynSentVerdict;
import io.halfopen.testkit.SynSentWatch;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs in a child JVM inside {@link TcpFastOpenTest}'s network namespace (where {@code net.ipv4.tcp_fastopen}
 * lets a client put data in its SYN without a cookie): connects with {@code TCP_FASTOPEN_CONNECT} on Epoll to a
 * dropping peer, each channel with its first bytes written (not flushed) before the connect, as TCP Fast Open
 * wants, and prints one {@code result:} line: how the promises completed, the kernel's SYN_SENT peak and judge,
 * the limiter's counts.
 *
 * <p>Arguments: {@code plain} (no handler: shows what the transport reports) or {@code limited} (through a
 * {@link HalfOpenLimitHandler} of limit {@value #LIMIT}), then how many connects.
 */
final class TcpFastOpenChild {

    static final int LIMIT = 5;

    private TcpFastOpenChild() {
    }

    public static void main(final String[] args) throws Exception {
        final boolean limited = "limited".equals(args[0]);
        final int connects = Integer.parseInt(args[1]);
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("tfo").maxHalfOpen(LIMIT)
                .halfOpenTimeout(Duration.ofSeconds(5)).build();
        final HalfOpenLimitHandler handler = new HalfOpenLimitHandler(limiter);
        final EventLoopGroup group = TestTransport.EPOLL.newGroup(2);
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final InetSocketAddress dropping = peers.dropping();
            final Bootstrap bootstrap = new Bootstrap().group(group).channel(TestTransport.EPOLL.channelClass())
                    .option(ChannelOption.TCP_FASTOPEN_CONNECT, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(final SocketChannel ch) {
                            if (limited) {
                                ch.pipeline().addLast(handler);
                            }
                            ch.pipeline().addLast(new FirstBytes());
                        }
                    });
            int succeeded = 0;
            int failed = 0;
            String firstFailure = "none";
            final List<Channel> channels = new ArrayList<>();
            final SynSentVerdict kernel;
            try (SynSentWatch watch = KernelJudge.watcher().label("TcpFastOpenTest-" + args[0])
                    .watch(List.of(dropping))) {
                final List<ChannelFuture> futures = new ArrayList<>();
                for (int i = 0; i < connects; i++) {
                    final ChannelFuture connect = bootstrap.connect(dropping);
                    channels.add(connect.channel());
                    futures.add(connect);
                }
                for (final ChannelFuture connect : futures) {
                    if (!connect.await(20, TimeUnit.SECONDS)) {
                        throw new AssertionError("a connect hung: " + connect.channel());
                    }
                    if (connect.isSuccess()) {
                        succeeded++;
                    } else {
                        failed++;
                        if ("none".equals(firstFailure)) {
                            firstFailure = connect.cause().getClass().getSimpleName() + ":"
                                    + connect.cause().getMessage().replace(' ', '_');
                        }
                    }
                }
                kernel = watch.stop();
            } finally {
                channels.forEach(Channel::close);
            }
            final LimiterStats stats = limiter.stats();
            System.out.println("result: succeeded=" + succeeded + " failed=" + failed + " peak=" + kernel.peak()
                    + " judge=" + kernel.judge() + " established=" + stats.established() + " halfOpen="
                    + stats.halfOpen() + " queued=" + stats.queued() + " granted=" + stats.granted()
                    + " firstFailure=" + firstFailure);
            System.out.println("kernel: " + kernel.describe(LIMIT));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    /** Writes the connection's first bytes before the connect, without flushing: TCP Fast Open sends them. */
    private static final class FirstBytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRegistered(final ChannelHandlerContext ctx) {
            ctx.write(Unpooled.copiedBuffer("HELO halfopen\r\n", StandardCharsets.US_ASCII));
            ctx.fireChannelRegistered();
        }
    }
}
