package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.testkit.LoopbackPeers;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A SYN the kernel itself gives up on ({@code ETIMEDOUT}: its SYN retries ran out before the half-open timeout)
 * is a half-open timeout of the peer, as the handler's own half-open timeout is: the limiter counts it
 * {@code timedOut}, so that a policy learns that the destination did not answer (a {@code failed} outcome says
 * nothing about the destination). The peer is a loopback address whose SYNs are dropped
 * ({@link LoopbackPeers#dropping()}); {@code TCP_SYNCNT} = 1 makes the kernel give up after one retry (about
 * 3 s), well inside the 20 s half-open timeout and the 30 s connect timeout. Judged by the limiter's counts
 * (this makes no claim about how many sockets were half-open).
 */
class KernelSynTimeoutTest {

    private static final int IPPROTO_TCP = 6;
    /** Linux's {@code TCP_SYNCNT}: how many times the kernel retransmits a SYN before it fails the connect. */
    private static final int TCP_SYNCNT = 7;

    private final LoopbackPeers peers = new LoopbackPeers();
    private EventLoopGroup group;

    @AfterEach
    void tearDown() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
        peers.close();
    }

    /**
     * Sets the socket's {@code TCP_SYNCNT} to 1 on its descriptor: the incubator's io_uring channel (Netty 4.1)
     * ignores {@code IntegerUnixChannelOption} ("Unknown channel option"), so the option is not set through the
     * bootstrap.
     */
    private static void oneSynRetry(final Channel channel) throws Exception {
        final FileDescriptor fd = ((UnixChannel) channel).fd();
        assertInstanceOf(Socket.class, fd, "the native channel's descriptor is not a socket").setIntOpt(IPPROTO_TCP,
                TCP_SYNCNT, 1);
        assertEquals(1, ((Socket) fd).getIntOpt(IPPROTO_TCP, TCP_SYNCNT), "TCP_SYNCNT was not set");
    }

    @ParameterizedTest
    @EnumSource(value = TestTransport.class, names = {"EPOLL", "IO_URING"})
    void aSynTheKernelGivesUpOnIsCountedAsAHalfOpenTimeout(final TestTransport transport) throws Exception {
        transport.require();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1)
                .halfOpenTimeout(Duration.ofSeconds(20)).build();
        group = transport.newGroup(1);
        final ChannelFuture connect = new Bootstrap().group(group).channel(transport.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(final Channel channel) throws Exception {
                        oneSynRetry(channel);
                        channel.pipeline().addFirst(new HalfOpenLimitHandler(limiter));
                    }
                }).connect(peers.dropping());
        assertTrue(connect.await(15, TimeUnit.SECONDS), "the kernel's ETIMEDOUT did not end the connect in 15 s");
        // the caller sees the transport's own failure (the kernel's ETIMEDOUT), not the limiter's timeout
        assertInstanceOf(ConnectException.class, connect.cause());
        Await.until("the attempt ended", () -> limiter.stats().halfOpen() == 0);
        final LimiterStats stats = limiter.stats();
        assertEquals(1, stats.timedOut(), stats::toString);
        assertEquals(0, stats.failed(), stats::toString);
        assertEquals(0, stats.refused(), stats::toString);
    }
}
