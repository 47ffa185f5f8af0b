package io.halfopen.benchmarks;

import io.halfopen.benchmarks.support.NoTimers;
import io.halfopen.netty.InboundSessionLimitHandler;
import io.halfopen.profile.WindowsProfile;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.SessionStats;
import io.halfopen.time.Scheduler;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
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
 * {@link InboundSessionLimitHandler}'s own cost per accepted connection, without the kernel. One op is
 * an accepted channel's life: a new {@link EmbeddedChannel} (active at once, as an accepted child is; its remote
 * address is 192.0.2.7, one computer) and its {@code close}. With the handler, {@code channelActive} admits it
 * (a computer's first connection opens its session: the table lock, a map entry, the AutoDisconnect timer) and
 * the close ends the session.
 * <ul>
 *   <li>{@code handler=NONE}: an empty pipeline;</li>
 *   <li>{@code handler=PASS_THROUGH}: one duplex handler that passes every event on: what Netty costs for a
 *       pipeline with one handler in it, the baseline of the handler's own cost;</li>
 *   <li>{@code handler=SESSION_LIMIT}: {@link InboundSessionLimitHandler} on
 *       {@link InboundSessionLimiter#xpProfessional()} (its AutoDisconnect timer on the shared wheel);</li>
 *   <li>{@code handler=SESSION_LIMIT_NO_TIMER}: the same with a scheduler that arms nothing.</li>
 * </ul>
 * The handler's own cost is the row minus {@code PASS_THROUGH} (minus {@code NONE}, it includes what Netty charges
 * for any handler): goal at most 300 B per accepted connection (and,
 * on loopback, {@code NettyAcceptBenchmark}, at most 5 %). The tear-down checks that the session table is empty
 * and nothing was refused.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
@State(Scope.Thread)
public class EmbeddedAcceptBenchmark {

    /** What the child's pipeline holds. */
    public enum Handler { NONE, PASS_THROUGH, SESSION_LIMIT, SESSION_LIMIT_NO_TIMER }

    private static final ChannelHandler[] NO_HANDLERS = {};
    static final InetSocketAddress CLIENT = client();

    @Param({"NONE", "PASS_THROUGH", "SESSION_LIMIT", "SESSION_LIMIT_NO_TIMER"})
    public Handler handler;

    InboundSessionLimiter sessions;
    ChannelHandler[] pipeline;

    /** Creates the limiter and the shared handler. */
    @Setup(Level.Trial)
    public void create() {
        final Scheduler armsNothing = NoTimers.SCHEDULER;
        sessions = handler == Handler.SESSION_LIMIT_NO_TIMER
                ? InboundSessionLimiter.builder().profile(WindowsProfile.XP_PRO_SP2).scheduler(armsNothing).build()
                : InboundSessionLimiter.xpProfessional();
        pipeline = switch (handler) {
            case NONE -> NO_HANDLERS;
            case PASS_THROUGH -> new ChannelHandler[] {new PassesEvents()};
            default -> new ChannelHandler[] {new InboundSessionLimitHandler(sessions)};
        };
    }

    /**
     * An accepted channel's admission and close.
     *
     * @return whether the channel is still open (never)
     */
    @Benchmark
    public boolean acceptAndClose() {
        final EmbeddedChannel child = new AcceptedChannel(pipeline);
        child.close();
        return child.isOpen();
    }

    /** A handler that passes every event and operation on (the adapter's defaults): the pass-through baseline. */
    @ChannelHandler.Sharable
    static final class PassesEvents extends ChannelDuplexHandler {
    }

    /** Fails the trial unless the session table is empty and nothing was refused. */
    @TearDown(Level.Trial)
    public void check() {
        final SessionStats stats = sessions.stats();
        PermitCheck.equal(sessions, "sessions after the trial", 0, stats.sessions());
        PermitCheck.equal(sessions, "open connections after the trial", 0, stats.openConnections());
        PermitCheck.equal(sessions, "refused sessions", 0, stats.refused() + stats.refusedAnonymous());
        PermitCheck.equal(sessions, "peak sessions", handler == Handler.SESSION_LIMIT
                || handler == Handler.SESSION_LIMIT_NO_TIMER ? 1 : 0, stats.peakSessions());
    }

    /** An embedded channel that reports a client's IP address, as an accepted TCP child does. */
    static final class AcceptedChannel extends EmbeddedChannel {
        AcceptedChannel(final ChannelHandler[] handlers) {
            super(handlers);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return CLIENT;
        }
    }

    private static InetSocketAddress client() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 7}), 49152);
        } catch (final UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
