package io.halfopen.agent.programs;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Netty NIO client with no halfopen handler: one {@code Bootstrap.connect} per target, all at once, on two
 * event loops; each channel is closed once its connect ends. Knows nothing of halfopen.
 * Arguments: {@code connectTimeoutMillis host:port:count ...} (0: no connect timeout).
 */
public final class NettyStorm {

    private NettyStorm() {
    }

    @SuppressWarnings("deprecation") // NioEventLoopGroup: the NIO transport, on Netty 4.1 and 4.2 alike
    public static void main(final String[] args) throws Exception {
        final int timeout = Integer.parseInt(args[0]);
        final List<InetSocketAddress> targets = Targets.parse(args, 1);
        final Targets.Tally tally = new Targets.Tally();
        final EventLoopGroup group = new NioEventLoopGroup(2);
        try {
            final Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeout)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(final SocketChannel ch) {
                            // nothing: a bare client
                        }
                    });
            final List<ChannelFuture> futures = new ArrayList<>();
            for (final InetSocketAddress target : targets) {
                final ChannelFuture f = bootstrap.connect(target);
                f.addListener(done -> {
                    if (done.isSuccess()) {
                        tally.count("established");
                    } else {
                        tally.failure(done.cause());
                    }
                    f.channel().close();
                });
                futures.add(f);
            }
            for (final ChannelFuture f : futures) {
                if (!f.await(120, TimeUnit.SECONDS)) {
                    tally.count("hung");
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        tally.print("connects=" + targets.size());
    }
}
