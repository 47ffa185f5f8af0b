package io.halfopen.benchmarks;

import io.halfopen.benchmarks.netty.KernelCheck;
import io.halfopen.benchmarks.netty.NioGroups;
import io.halfopen.benchmarks.netty.QuietClose;
import io.halfopen.benchmarks.netty.TimeWaitSockets;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.netty.HalfOpenLimitHandler;
import io.halfopen.testkit.LoopbackServer;
import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 5, part 6: a real connect over NIO on loopback, with and without {@link HalfOpenLimitHandler}. One op
 * is {@code bootstrap.connect(server)} until its future completes (the SYN-ACK is in and, with the handler,
 * the limiter has been told {@code established()}), then {@code channel.close()} until its future completes.
 * The server's side (accept, then a read that sees the reset, then close) runs on its own event loop and is
 * not waited for, except at the tear-down.
 *
 * <ul>
 *   <li>{@code handler=NONE}: the client pipeline is a {@link QuietClose} only (the ratio's base).</li>
 *   <li>{@code handler=HALF_OPEN_LIMIT}: {@link HalfOpenLimitHandler} first, then the same; its limiter is
 *       {@link HalfOpenLimiter#xpSp2()} (10 half-open, loopback counted, a real 21 s half-open timer armed and
 *       cancelled per connect on the shared system scheduler). A slot is always free: one connect at a
 *       time.</li>
 *   <li>{@code handler=HALF_OPEN_LIMIT_NO_TIMER}: the same XP SP2 settings, but the limiter's scheduler arms
 *       nothing; its distance to HALF_OPEN_LIMIT is what the per-connect timer costs.</li>
 * </ul>
 * Every row builds its pipeline with the same {@link ChannelInitializer}, so the ratio is the handler alone.
 * Threads: the benchmark thread, one client event loop, one server event loop (and the limiter's timer thread
 * in the HALF_OPEN_LIMIT row).
 *
 * <p>The client closes with {@code SO_LINGER} 0: it sends a reset, so neither side enters TIME_WAIT and the
 * ephemeral ports never run out; the server child sees the reset on its next read and closes. The tear-down
 * checks it in the kernel's tables, and throws unless the server accepted and closed every connect, the
 * limiter is back at zero half-open and zero queued with every granted connect established and none refused,
 * failed, timed out or cancelled, and (where the kernel's trace can run, {@link KernelCheck}) the kernel never
 * held more than one socket in SYN_SENT towards the server.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
@State(Scope.Thread)
public class NettyConnectBenchmark {

    /** What the client pipeline holds besides the {@link QuietClose}. */
    public enum Handler {
        /** Nothing: the baseline. */
        NONE,
        /** {@link HalfOpenLimitHandler} on an XP SP2 limiter. */
        HALF_OPEN_LIMIT,
        /** The same, but the limiter's scheduler arms nothing: no half-open timer per connect. */
        HALF_OPEN_LIMIT_NO_TIMER
    }

    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final long DRAIN_TIMEOUT_MILLIS = 10_000;
    private static final Cancellable NOTHING = () -> { };
    private static final Scheduler ARMS_NOTHING = (task, delay, unit) -> NOTHING;

    @Param({"NONE", "HALF_OPEN_LIMIT", "HALF_OPEN_LIMIT_NO_TIMER"})
    public Handler handler;

    LoopbackServer server;
    final QuietClose serverExceptions = new QuietClose();
    KernelCheck kernel;
    InetSocketAddress address;
    EventLoopGroup clientGroup;
    HalfOpenLimiter limiter;
    final QuietClose clientExceptions = new QuietClose();
    Bootstrap bootstrap;
    long connects;

    /** Starts the server, the client event loop and the limiter (in the pipeline in the HALF_OPEN_LIMIT rows). */
    @Setup(Level.Trial)
    public void start() {
        server = LoopbackServer.start(serverExceptions);
        address = server.address();
        kernel = KernelCheck.start("NettyConnectBenchmark-" + handler, address);
        clientGroup = NioGroups.oneThread("client");
        limiter = handler == Handler.HALF_OPEN_LIMIT_NO_TIMER
                ? HalfOpenLimiter.builder().scheduler(ARMS_NOTHING).build()
                : HalfOpenLimiter.xpSp2();
        final HalfOpenLimitHandler halfOpenLimit = handler == Handler.NONE ? null : new HalfOpenLimitHandler(limiter);
        bootstrap = new Bootstrap()
                .group(clientGroup)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.SO_LINGER, 0)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel ch) {
                        if (halfOpenLimit != null) {
                            ch.pipeline().addLast(halfOpenLimit); // first: nearest the head
                        }
                        ch.pipeline().addLast(clientExceptions);
                    }
                });
    }

    /**
     * Connects to the loopback server and closes the channel, waiting for both.
     *
     * @return whether the close succeeded
     */
    @Benchmark
    public boolean connectAndClose() {
        final Channel channel = bootstrap.connect(address).syncUninterruptibly().channel(); // throws if it failed
        connects++;
        return channel.close().syncUninterruptibly().isSuccess();
    }

    /** Fails the trial unless both sides and the limiter are back where they started; then stops everything. */
    @TearDown(Level.Trial)
    public void checkAndStop() {
        try {
            server.awaitDrained(connects, Duration.ofMillis(DRAIN_TIMEOUT_MILLIS));
            PermitCheck.equal("server children", "exceptions other than a reset (first: "
                    + serverExceptions.firstUnexpected() + ")", 0, serverExceptions.unexpected());
            PermitCheck.equal("client channels", "exceptions (first unexpected: "
                    + clientExceptions.firstUnexpected() + ")", 0,
                    clientExceptions.resets() + clientExceptions.unexpected());
            final LimiterStats stats = limiter.stats();
            PermitCheck.equal(limiter, "half-open after the trial", 0, stats.halfOpen());
            PermitCheck.equal(limiter, "queued after the trial", 0, stats.queued());
            PermitCheck.equal(limiter, "connects granted a slot (" + handler + ")",
                    handler == Handler.NONE ? 0 : connects, stats.granted());
            PermitCheck.equal(limiter, "granted connects not established", stats.granted(), stats.established());
            PermitCheck.equal(limiter, "connects that waited", 0, stats.throttled());
            PermitCheck.equal(limiter, "refused, failed, timed out, cancelled or rejected connects", 0,
                    stats.refused() + stats.failed() + stats.timedOut() + stats.cancelled() + stats.rejected());
            if (TimeWaitSockets.available()) {
                PermitCheck.equal("loopback", "sockets in TIME_WAIT on the server's port " + address.getPort(), 0,
                        TimeWaitSockets.count(address.getPort()));
            }
            kernel.check(1, connects); // one connect at a time
        } finally {
            kernel.close();
            NioGroups.shutdown(clientGroup);
            server.close();
            limiter.close();
        }
    }
}
