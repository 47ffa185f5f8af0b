package io.halfopen.benchmarks;

import io.halfopen.benchmarks.support.NoTimers;
import io.halfopen.benchmarks.support.Tickets;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.netty.HalfOpenLimitHandler;
import io.halfopen.time.Scheduler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
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
 * {@link EmbeddedChannel}, its {@code connect} to a TEST-NET address (the embedded transport completes a connect at
 * once, on the calling thread), then its {@code close}; the channel is the handler's only user, so nothing waits
 * and nothing runs on another thread but the limiter's timer wheel.
 * <ul>
 *   <li>{@code handler=NONE}: the channel's pipeline is empty (what Netty costs);</li>
 *   <li>{@code handler=PASS_THROUGH}: one outbound handler that passes the connect on: what Netty costs for a
 *       pipeline with one handler in it (its context, the embedded channel's initializer), the baseline of the
 *       handler's own cost;</li>
 *   <li>{@code handler=HALF_OPEN_LIMIT}: {@link HalfOpenLimitHandler} on {@link HalfOpenLimiter#xpSp2()}, opted in
 *       for embedded channels ({@link HalfOpenLimitHandler#ALL_CHANNELS}): the attempt, the per-connect object,
 *       the real 21 s half-open timer on the shared wheel, the promise listeners;</li>
 *   <li>{@code handler=HALF_OPEN_LIMIT_NO_TIMER}: the same with a scheduler that arms nothing.</li>
 * </ul>
 * The handler's own cost is the row minus {@code PASS_THROUGH} (minus {@code NONE}, it includes what Netty charges
 * for any handler): goals at most 1 µs and 300 B per connect. The
 * tear-down checks that the limiter is back to 0 half-open with every connect granted and established.
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

    private static final ChannelHandler[] NO_HANDLERS = {};

    @Param({"NONE", "PASS_THROUGH", "HALF_OPEN_LIMIT", "HALF_OPEN_LIMIT_NO_TIMER"})
    public Handler handler;

    HalfOpenLimiter limiter;
    ChannelHandler[] pipeline;
    long connects;

    /** Creates the limiter and the shared handler. */
    @Setup(Level.Trial)
    public void create() {
        final Scheduler armsNothing = NoTimers.SCHEDULER;
        limiter = handler == Handler.HALF_OPEN_LIMIT_NO_TIMER
                ? HalfOpenLimiter.builder().ticker(() -> 0L).scheduler(armsNothing).build()
                : HalfOpenLimiter.xpSp2();
        pipeline = switch (handler) {
            case NONE -> NO_HANDLERS;
            case PASS_THROUGH -> new ChannelHandler[] {new PassesConnects()};
            default -> new ChannelHandler[] {new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS)};
        };
    }

    /**
     * A connect and a close on a new embedded channel.
     *
     * @return whether the channel is still open (never)
     */
    @Benchmark
    public boolean connectAndClose() {
        final EmbeddedChannel channel = new EmbeddedChannel(pipeline);
        final ChannelFuture connected = channel.connect(Tickets.REMOTE);
        if (!connected.isSuccess()) {
            throw new IllegalStateException("the embedded connect did not succeed at once: " + connected.cause());
        }
        connects++;
        channel.close();
        return channel.isOpen();
    }

    private boolean limits() {
        return handler == Handler.HALF_OPEN_LIMIT || handler == Handler.HALF_OPEN_LIMIT_NO_TIMER;
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
