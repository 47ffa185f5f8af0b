package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.Errors;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On the native transports a {@link ConnectException} is a refusal only if its errno is {@code ECONNREFUSED}, and a
 * half-open timeout if it is {@code ETIMEDOUT} (the kernel gave up on the SYN);
 * Epoll and io_uring throw {@code ConnectException} for local errors too ({@code EADDRNOTAVAIL}, no local port
 * left), which NIO reports as a {@code BindException}, a failure. The transport's failure is the one Netty's own
 * {@link Errors} makes from the errno (as Epoll's {@code finishConnect} and io_uring's connect completion do),
 * annotated with the address as Netty's channels annotate it, and it reaches the handler on a real native channel
 * from a stand-in for the transport (no SYN is sent).
 */
class NativeErrnoClassificationTest {

    /** Linux's {@code EADDRNOTAVAIL} ("Cannot assign requested address"), negative as Netty passes errnos. */
    private static final int EADDRNOTAVAIL_NEGATIVE = -99;
    /** Linux's {@code ETIMEDOUT} (the kernel's SYN retries ran out), negative; Netty's {@code Errors} has no name. */
    private static final int ETIMEDOUT_NEGATIVE = -110;

    private EventLoopGroup group;

    @AfterEach
    void tearDown() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestTransport.class, names = {"EPOLL", "IO_URING"})
    void aLocalErrnoIsAFailureNotARefusal(final TestTransport transport) throws Exception {
        final LimiterStats stats = connectFailingWith(transport, EADDRNOTAVAIL_NEGATIVE);
        assertEquals(0, stats.refused(), stats::toString);
        assertEquals(1, stats.failed(), stats::toString);
    }

    @ParameterizedTest
    @EnumSource(value = TestTransport.class, names = {"EPOLL", "IO_URING"})
    void econnrefusedIsARefusal(final TestTransport transport) throws Exception {
        final LimiterStats stats = connectFailingWith(transport, Errors.ERROR_ECONNREFUSED_NEGATIVE);
        assertEquals(1, stats.refused(), stats::toString);
        assertEquals(0, stats.failed(), stats::toString);
    }

    @ParameterizedTest
    @EnumSource(value = TestTransport.class, names = {"EPOLL", "IO_URING"})
    void etimedoutIsAHalfOpenTimeout(final TestTransport transport) throws Exception {
        final LimiterStats stats = connectFailingWith(transport, ETIMEDOUT_NEGATIVE);
        assertEquals(1, stats.timedOut(), stats::toString);
        assertEquals(0, stats.refused(), stats::toString);
        assertEquals(0, stats.failed(), stats::toString);
    }

    @Test
    void etimedoutIsLinuxs110AndTheBsds60AndNothingElsewhere() {
        assertEquals(-110, LimitedConnect.etimedoutNegative("Linux"));
        assertEquals(-60, LimitedConnect.etimedoutNegative("Mac OS X"));
        assertEquals(-60, LimitedConnect.etimedoutNegative("FreeBSD"));
        assertEquals(0, LimitedConnect.etimedoutNegative("Windows 11"));
    }

    @Test
    void theErrnoOfAnExceptionInACauseCycleIsLookedForAFiniteNumberOfLevels() {
        final ConnectException first = new ConnectException("connect refused");
        final ConnectException second = new ConnectException("still no errno");
        first.initCause(second);
        second.initCause(first); // a two-exception cycle: getCause() never returns null
        assertNull(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> LimitedConnect.nativeErrno(first)));
    }

    @Test
    void anErrnoBelowTheDepthBoundIsFound() {
        Throwable failure = new ConnectException("finishConnect(..) failed with error(-111): Connection refused");
        for (int level = 1; level < 16; level++) {
            failure = new ConnectException("annotated " + level).initCause(failure);
        }
        assertEquals(-111, LimitedConnect.nativeErrno(failure));
    }

    /** One connect whose transport fails with the (negative) errno {@code errno}; the limiter's counts. */
    private LimiterStats connectFailingWith(final TestTransport transport, final int errno) throws Exception {
        transport.require(); // loads the transport's native library, which Errors needs
        group = transport.newGroup(1);
        final ConnectException failure = assertThrows(ConnectException.class,
                () -> Errors.handleConnectErrno("finishConnect", errno));
        final InetSocketAddress remote = new InetSocketAddress("127.0.0.1", 9);
        final ConnectException annotated = new ConnectException(failure.getMessage() + ": " + remote);
        annotated.initCause(failure);
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1)
                .halfOpenTimeout(Duration.ofSeconds(10)).build();
        final HalfOpenLimitHandler limit = new HalfOpenLimitHandler(limiter);
        final ChannelFuture connect = new Bootstrap().group(group).channel(transport.channelClass())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(final Channel channel) {
                        channel.pipeline().addLast(limit);
                        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() { // the transport
                            @Override
                            public void connect(final ChannelHandlerContext ctx, final SocketAddress to,
                                    final SocketAddress local, final ChannelPromise promise) {
                                promise.tryFailure(annotated);
                                ctx.channel().close();
                            }
                        });
                    }
                }).connect(remote);
        assertTrue(connect.await(10, TimeUnit.SECONDS));
        assertInstanceOf(ConnectException.class, connect.cause());
        Await.until("the attempt ended", () -> limiter.stats().halfOpen() == 0);
        return limiter.stats();
    }
}
