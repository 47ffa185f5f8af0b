package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.session.InboundSessionLimiter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, defect 5, on a real socket: a client on the IPv6 loopback is the computer {@code ::1} in the
 * table, and {@code net session /delete} finds it in any spelling. Needs the IPv6 loopback address, as every
 * Linux machine this project's CI runs on has.
 */
@DisplayName("An IPv6 client is one computer, ::1, found in every spelling")
class Ipv6ComputerTest {

    @Test
    @SuppressWarnings("deprecation") // NioEventLoopGroup: deprecated in 4.2, the only NIO group in 4.1
    void anIpv6LoopbackClientIsListedAsColonColonOneAndDisconnectedByAnySpelling() throws Exception {
        final InboundSessionLimiter limiter = InboundSessionLimiter.xpProfessional();
        final InetAddress loopback6 = Inet6Address.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 1}, -1);
        final EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            final Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(final SocketChannel ch) {
                            ch.pipeline().addLast(new InboundSessionLimitHandler(limiter),
                                    new ChannelInboundHandlerAdapter());
                        }
                    })
                    .bind(new InetSocketAddress(loopback6, 0)).sync().channel();
            try (Socket first = new Socket(loopback6, ((InetSocketAddress) server.localAddress()).getPort());
                 Socket second = new Socket(loopback6, ((InetSocketAddress) server.localAddress()).getPort())) {
                first.setSoTimeout(5_000);
                second.setSoTimeout(5_000);
                Await.until("both connections are admitted", () -> limiter.stats().openConnections() == 2);

                assertEquals("::1", limiter.sessions().rows().get(0).computer());
                assertEquals(2, limiter.sessions().rows().get(0).connections());
                assertTrue(limiter.sessions().render().contains("\\\\::1 "), limiter.sessions().render());
                assertTrue(limiter.sessions().find("0:0:0:0:0:0:0:1").isPresent());

                assertEquals(1, limiter.disconnect("\\\\[0:0::1]"));
                assertEquals(-1, read(first.getInputStream()), "the server closed the first socket");
                assertEquals(-1, read(second.getInputStream()), "and the second");
            } finally {
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static int read(final InputStream in) throws Exception {
        try {
            return in.read();
        } catch (final java.net.SocketException reset) {
            return -1;
        }
    }
}
