package io.halfopen.benchmarks;

import io.halfopen.benchmarks.support.NoTimers;
import io.halfopen.benchmarks.support.Tickets;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.netty.HalfOpenLimitHandler;
import io.halfopen.time.Scheduler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.SocketAddress;
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
 * {@link HalfOpenLimitHandler}'s own cost per connect, without the kernel. One op is a new
 * {@link EmbeddedChannel}, its {@code connect} to a TEST-NET address, the connect's completion, then its
 * {@code close}; the channel is the handler's only user, so nothing waits and nothing runs on another thread.
 * The embedded transport would complete a connect inside {@code connect}, before the handler could start its
 * half-open timer; a real transport's SYN-ACK comes later. So every pipeline starts with {@link CompletesLater},
 * which holds the connect on its way to the transport and passes it on once the pipeline's {@code connect} has
 * returned: the handler's timer is started (on the channel's loop, where it puts it on real time) and cancelled by
 * the established connect, as on a real channel.
 * <ul>
 *   <li>{@code handler=NONE}: no handler but {@link CompletesLater}: the same path without the handler, the
 *       goal's baseline;</li>
 *   <li>{@code handler=PASS_THROUGH}: one more outbound handler that passes the connect on: what Netty charges for
 *       any handler in the pipeline (its context), to split the handler's cost into Netty's and its own;</li>
 *   <li>{@code handler=HALF_OPEN_LIMIT}: {@link HalfOpenLimitHandler} on {@link HalfOpenLimiter#xpSp2()}, opted in
 *       for embedded channels ({@link HalfOpenLimitHandler#ALL_CHANNELS}): the attempt, the per-connect object,
 *       the real 21 s half-open timer on the channel's loop, the promise listeners;</li>
 *   <li>{@code handler=HALF_OPEN_LIMIT_NO_TIMER}: the same with a scheduler that arms nothing.</li>
 * </ul>
 * The handler's cost is the row minus {@code NONE} (goals at most 1 µs and 300 B per connect); minus
 * {@code PASS_THROUGH}, the part beyond what any handler costs. The tear-down checks that the limiter is back to 0
 * half-open with every connect granted and established.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
@State(Scope.Thread)
public class EmbeddedConnectBenchmark {

    /** What the channel's pipeline holds. */
    public enum Handler { NONE, PASS_THROUGH, HALF_OPEN_LIMIT, HALF_OPEN_LIMIT_NO_TIMER }

    @Param({"NONE", "PASS_THROUGH", "HALF_OPEN_LIMIT", "HALF_OPEN_LIMIT_NO_TIMER"})
    public Handler handler;

    HalfOpenLimiter limiter;
    ChannelHandler[] pipeline;
    final CompletesLater transport = new CompletesLater();
    long connects;

    /** Creates the limiter and the shared handler. */
    @Setup(Level.Trial)
    public void create() {
        final Scheduler armsNothing = NoTimers.SCHEDULER;
        limiter = handler == Handler.HALF_OPEN_LIMIT_NO_TIMER
                ? HalfOpenLimiter.builder().ticker(() -> 0L).scheduler(armsNothing).build()
                : HalfOpenLimiter.xpSp2();
        pipeline = switch (handler) { // the first is nearest the transport: a connect reaches it last
            case NONE -> new ChannelHandler[] {transport};
            case PASS_THROUGH -> new ChannelHandler[] {transport, new PassesConnects()};
            default -> new ChannelHandler[] {transport,
                new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS)};
        };
    }

    /**
     * A connect, its completion and a close on a new embedded channel.
     *
     * @return whether the channel is still open (never)
     */
    @Benchmark
    public boolean connectAndClose() {
        connects++;
        return connectAndClose(pipeline, transport);
    }

    /**
     * The op, also {@link AllocationPerOp}'s: a new channel of {@code handlers} (the first of them
     * {@code transport}), its connect, the transport's completion of it, its close.
     *
     * @return whether the channel is still open (never)
     */
    static boolean connectAndClose(final ChannelHandler[] handlers, final CompletesLater transport) {
        final EmbeddedChannel channel = new EmbeddedChannel(handlers);
        final ChannelFuture connected = channel.connect(Tickets.REMOTE);
        if (connected.isDone()) {
            throw new IllegalStateException("the connect completed before its transport did: " + connected.cause());
        }
        transport.complete();
        if (!connected.isSuccess()) {
            throw new IllegalStateException("the embedded connect did not succeed: " + connected.cause());
        }
        channel.close();
        return channel.isOpen();
    }

    private boolean limits() {
        return handler == Handler.HALF_OPEN_LIMIT || handler == Handler.HALF_OPEN_LIMIT_NO_TIMER;
    }

    /**
     * Holds the one connect on its way to the transport until {@link #complete()}: the SYN-ACK of a real transport,
     * which comes after the pipeline's {@code connect} has returned. Shared by the trial's channels, one after the
     * other, on the benchmark's thread.
     */
    @ChannelHandler.Sharable
    static final class CompletesLater extends ChannelOutboundHandlerAdapter {
        private ChannelHandlerContext ctx;
        private SocketAddress remote;
        private SocketAddress local;
        private ChannelPromise promise;

        @Override
        public void connect(final ChannelHandlerContext context, final SocketAddress remoteAddress,
                final SocketAddress localAddress, final ChannelPromise connectPromise) {
            if (promise != null) {
                throw new IllegalStateException("a second connect before the first completed");
            }
            ctx = context;
            remote = remoteAddress;
            local = localAddress;
            promise = connectPromise;
        }

        /** Passes the held connect on to the transport, which completes it at once. */
        void complete() {
            final ChannelPromise held = promise;
            if (held == null) {
                throw new IllegalStateException("no connect reached the transport");
            }
            promise = null;
            ctx.connect(remote, local, held);
            ctx = null;
        }
    }

    /** An outbound handler that passes every operation on (the adapter's defaults): the pass-through baseline. */
    @ChannelHandler.Sharable
    static final class PassesConnects extends ChannelOutboundHandlerAdapter {
    }

    /** Fails the trial unless every connect was granted and established and nothing is left half-open. */
    @TearDown(Level.Trial)
    public void check() {
        final LimiterStats stats = limiter.stats();
        PermitCheck.equal(limiter, "half-open after the trial", 0, stats.halfOpen());
        PermitCheck.equal(limiter, "queued after the trial", 0, stats.queued());
        PermitCheck.equal(limiter, "connects established", limits() ? connects : 0,
                stats.established());
        PermitCheck.equal(limiter, "connects failed, refused, timed out or cancelled", 0,
                stats.failed() + stats.refused() + stats.timedOut() + stats.cancelled());
    }
}
