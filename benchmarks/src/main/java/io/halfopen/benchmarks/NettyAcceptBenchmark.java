package io.halfopen.benchmarks;

import io.halfopen.benchmarks.netty.CloseOnActive;
import io.halfopen.benchmarks.netty.KernelCheck;
import io.halfopen.benchmarks.netty.NioGroups;
import io.halfopen.benchmarks.netty.QuietClose;
import io.halfopen.benchmarks.netty.TimeWaitSockets;
import io.halfopen.netty.InboundSessionLimitHandler;
import io.halfopen.profile.WindowsProfile;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.SessionStats;
import io.halfopen.testkit.LoopbackServer;
import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
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
 * Issue 6: accept-and-close on loopback over NIO, with and without {@link InboundSessionLimitHandler} on the
 * server's child pipeline. The server closes every child as soon as it is active ({@link CloseOnActive}). One
 * op is: {@code bootstrap.connect(server)} until its future completes; then the client channel's
 * {@code closeFuture} (the client sees the server's FIN and closes); then the server's signal that the child's
 * close completed and its {@code closeFuture} listeners ran. So the whole server side (accept, the session
 * handler's admit in {@code channelActive}, the close, the session's end) is inside the op.
 *
 * <ul>
 *   <li>{@code handler=NONE}: the child pipeline is {@link CloseOnActive} (the ratio's base).</li>
 *   <li>{@code handler=SESSION_LIMIT}: {@link InboundSessionLimitHandler} on
 *       {@link InboundSessionLimiter#xpProfessional()} (10 computers, AutoDisconnect 15 min on the system
 *       scheduler), then the same.</li>
 *   <li>{@code handler=SESSION_LIMIT_NO_TIMER}: the same XP Professional limit, but the limiter's scheduler
 *       arms nothing; its distance to SESSION_LIMIT is what the AutoDisconnect timer costs.</li>
 * </ul>
 *
 * <p>What the session row measures: every client connects from 127.0.0.1, so every connection belongs to the
 * one computer "127.0.0.1" and nothing is ever refused. Ops run one at a time and each waits until its
 * connection has left its session, so each op is the only connection of that computer: it <em>opens</em> the
 * computer's session (the table lock, a map entry, a 15-minute AutoDisconnect timer armed on the system
 * scheduler) and its close <em>ends</em> it (the lock again, the timer cancelled). That is the cost of a
 * computer's first connection, the dearest admission; a connection joining a session that is already open
 * skips the timer and the map insert, and is not measured here.
 *
 * <p>Threads: the benchmark thread, one client event loop, one server event loop (accepts and serves). The
 * server closes normally (FIN); the client, with {@code SO_LINGER} 0, answers with a reset, which ends the
 * server's socket in FIN_WAIT2, so neither side enters TIME_WAIT. The tear-down checks that in the kernel's
 * tables, and throws unless the server accepted and closed every connect, no channel saw an exception, the
 * session table is empty (no leaked session, no open connection, nothing refused), and (where the kernel's trace
 * can run, {@link KernelCheck}) the kernel never held more than one client socket in SYN_SENT at once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
@State(Scope.Thread)
public class NettyAcceptBenchmark {

    /** What the server's child pipeline holds before {@link CloseOnActive}. */
    public enum Handler {
        /** Nothing: the baseline. */
        NONE,
        /** {@link InboundSessionLimitHandler} on an XP Professional session limiter. */
        SESSION_LIMIT,
        /** The same, but the limiter's scheduler arms nothing: no AutoDisconnect timer per session. */
        SESSION_LIMIT_NO_TIMER
    }

    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final long CLOSE_TIMEOUT_MILLIS = 5_000;
    static final long DRAIN_TIMEOUT_MILLIS = 10_000;
    private static final Cancellable NOTHING = () -> { };
    private static final Scheduler ARMS_NOTHING = (task, delay, unit) -> NOTHING;

    @Param({"NONE", "SESSION_LIMIT", "SESSION_LIMIT_NO_TIMER"})
    public Handler handler;

    InboundSessionLimiter sessions;
    final CloseOnActive closer = new CloseOnActive();
    LoopbackServer server;
    final QuietClose serverExceptions = new QuietClose();
    KernelCheck kernel;
    InetSocketAddress address;
    EventLoopGroup clientGroup;
    final QuietClose clientExceptions = new QuietClose();
    Bootstrap bootstrap;
    long connects;

    /** Starts the server (with the session handler in the SESSION_LIMIT rows) and the client event loop. */
    @Setup(Level.Trial)
    public void start() {
        sessions = handler == Handler.SESSION_LIMIT_NO_TIMER
                ? InboundSessionLimiter.builder().profile(WindowsProfile.XP_PRO_SP2).scheduler(ARMS_NOTHING).build()
                : InboundSessionLimiter.xpProfessional();
        server = handler == Handler.NONE
                ? LoopbackServer.start(closer, serverExceptions)
                : LoopbackServer.start(new InboundSessionLimitHandler(sessions), closer, serverExceptions);
        address = server.address();
        kernel = KernelCheck.start("NettyAcceptBenchmark-" + handler, address);
        clientGroup = NioGroups.oneThread("client");
        bootstrap = new Bootstrap()
                .group(clientGroup)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.SO_LINGER, 0)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(clientExceptions);
    }

    /**
     * Connects, then waits until the server has closed the connection on both sides.
     *
     * @return whether the client channel is still open (never)
     * @throws InterruptedException if the benchmark thread is interrupted
     */
    @Benchmark
    public boolean acceptAndClose() throws InterruptedException {
        final Channel channel = bootstrap.connect(address).syncUninterruptibly().channel(); // throws if it failed
        connects++;
        if (!channel.closeFuture().await(CLOSE_TIMEOUT_MILLIS)) {
            throw new IllegalStateException("the server did not close " + channel + " within "
                    + CLOSE_TIMEOUT_MILLIS + " ms");
        }
        closer.awaitOneClosed(CLOSE_TIMEOUT_MILLIS);
        return channel.isOpen();
    }

    /** Fails the trial unless both sides are closed and the session table is empty; then stops everything. */
    @TearDown(Level.Trial)
    public void checkAndStop() {
        try {
            server.awaitDrained(connects, Duration.ofMillis(DRAIN_TIMEOUT_MILLIS));
            PermitCheck.equal("server children", "exceptions (first unexpected: "
                    + serverExceptions.firstUnexpected() + ")", 0,
                    serverExceptions.resets() + serverExceptions.unexpected());
            PermitCheck.equal("client channels", "exceptions (first unexpected: "
                    + clientExceptions.firstUnexpected() + ")", 0,
                    clientExceptions.resets() + clientExceptions.unexpected());
            final SessionStats stats = sessions.stats();
            PermitCheck.equal(sessions, "rows in the session table after the trial", 0, sessions.sessions().size());
            PermitCheck.equal(sessions, "sessions after the trial", 0, stats.sessions());
            PermitCheck.equal(sessions, "open connections after the trial", 0, stats.openConnections());
            PermitCheck.equal(sessions, "refused sessions", 0, stats.refused() + stats.refusedAnonymous());
            PermitCheck.equal(sessions, "sessions ended by the limiter", 0,
                    stats.autoDisconnected() + stats.expiredNullSessions() + stats.disconnected());
            PermitCheck.equal(sessions, "peak sessions (" + handler + ": one computer, one connection at a time)",
                    handler == Handler.NONE ? 0 : 1, stats.peakSessions());
            if (TimeWaitSockets.available()) {
                PermitCheck.equal("loopback", "sockets in TIME_WAIT on the server's port " + address.getPort(), 0,
                        TimeWaitSockets.count(address.getPort()));
            }
            kernel.check(1, connects); // one connect at a time
        } finally {
            kernel.close();
            NioGroups.shutdown(clientGroup);
            server.close();
        }
    }
}
