package io.halfopen.benchmarks;

import io.halfopen.benchmarks.support.Listeners;
import io.halfopen.benchmarks.support.NoTimers;
import io.halfopen.benchmarks.support.Tickets;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.netty.HalfOpenLimitHandler;
import io.halfopen.netty.InboundSessionLimitHandler;
import io.halfopen.profile.WindowsProfile;
import io.halfopen.session.InboundSessionLimiter;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.util.function.IntSupplier;

/**
 * Exact bytes allocated per op by the thread that runs it, for the ops of {@link WholeAttemptBenchmark},
 * {@link EmbeddedConnectBenchmark} and {@link EmbeddedAcceptBenchmark}: {@code com.sun.management.ThreadMXBean}'s
 * allocated bytes of the calling thread over 200,000 ops (after five rounds of warm-up, so that the JIT has done
 * its escape analysis). Unlike {@code -prof gc}, which sums every thread of the JVM over a timed run, this counts
 * the one thread these ops run on and does not depend on the machine's load, so it judges a B/op goal on a busy
 * machine. Its nanoseconds are printed only as a hint (they do depend on the load).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.halfopen.benchmarks.AllocationPerOp [attempt|connect|accept|all]
 * </pre>
 */
public final class AllocationPerOp {

    private static final int OPS = 200_000;
    private static final ChannelHandler[] NO_HANDLERS = {};
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationPerOp() {
    }

    /**
     * Prints the bytes per op of each row of the chosen group.
     *
     * @param args {@code attempt}, {@code connect}, {@code accept} or {@code all} (the default)
     */
    public static void main(final String[] args) {
        final String group = args.length > 0 ? args[0] : "all";
        final Listeners listener = new Listeners();
        if (group.equals("all") || group.equals("attempt")) {
            final HalfOpenLimiter wheel = HalfOpenLimiter.builder().build();
            final HalfOpenLimiter none = HalfOpenLimiter.builder().ticker(() -> 0L).scheduler(NoTimers.SCHEDULER)
                    .build();
            perOp("attempt limiterSystemScheduler", () -> wheel.newAttempt(Tickets.REMOTE, listener).established()
                    ? 1 : 0);
            perOp("attempt limiterNoTimer", () -> none.newAttempt(Tickets.REMOTE, listener).established() ? 1 : 0);
        }
        if (group.equals("all") || group.equals("connect")) {
            final HalfOpenLimiter xp = HalfOpenLimiter.xpSp2();
            final HalfOpenLimiter none = HalfOpenLimiter.builder().ticker(() -> 0L).scheduler(NoTimers.SCHEDULER)
                    .build();
            final EmbeddedConnectBenchmark.CompletesLater transport = new EmbeddedConnectBenchmark.CompletesLater();
            final ChannelHandler[] bare = {transport};
            final ChannelHandler[] passes = {transport, new EmbeddedConnectBenchmark.PassesConnects()};
            final ChannelHandler[] limiting = {transport,
                new HalfOpenLimitHandler(xp, HalfOpenLimitHandler.ALL_CHANNELS)};
            final ChannelHandler[] limitingNoTimer = {transport,
                new HalfOpenLimitHandler(none, HalfOpenLimitHandler.ALL_CHANNELS)};
            final double empty = perOp("connect NONE", () -> connect(bare, transport));
            final double passing = perOp("connect PASS_THROUGH", () -> connect(passes, transport));
            final double limited = perOp("connect HALF_OPEN_LIMIT", () -> connect(limiting, transport));
            perOp("connect HALF_OPEN_LIMIT_NO_TIMER", () -> connect(limitingNoTimer, transport));
            System.out.printf("HalfOpenLimitHandler: %+.0f B per connect beyond PASS_THROUGH, %+.0f B beyond NONE%n",
                    limited - passing, limited - empty);
        }
        if (group.equals("all") || group.equals("accept")) {
            final InboundSessionLimiter xp = InboundSessionLimiter.xpProfessional();
            final InboundSessionLimiter none = InboundSessionLimiter.builder().profile(WindowsProfile.XP_PRO_SP2)
                    .scheduler(NoTimers.SCHEDULER).build();
            final ChannelHandler[] limiting = {new InboundSessionLimitHandler(xp)};
            final ChannelHandler[] limitingNoTimer = {new InboundSessionLimitHandler(none)};
            final ChannelHandler[] passes = {new EmbeddedAcceptBenchmark.PassesEvents()};
            final double empty = perOp("accept NONE", () -> accept(NO_HANDLERS));
            final double passing = perOp("accept PASS_THROUGH", () -> accept(passes));
            final double limited = perOp("accept SESSION_LIMIT", () -> accept(limiting));
            perOp("accept SESSION_LIMIT_NO_TIMER", () -> accept(limitingNoTimer));
            System.out.printf("InboundSessionLimitHandler: %+.0f B per accept beyond PASS_THROUGH, %+.0f B beyond"
                    + " NONE%n", limited - passing, limited - empty);
        }
    }

    private static int connect(final ChannelHandler[] handlers,
            final EmbeddedConnectBenchmark.CompletesLater transport) {
        return EmbeddedConnectBenchmark.connectAndClose(handlers, transport) ? 1 : 0;
    }

    private static int accept(final ChannelHandler[] handlers) {
        final EmbeddedChannel child = new EmbeddedAcceptBenchmark.AcceptedChannel(handlers);
        child.close();
        return child.isOpen() ? 1 : 0;
    }

    private static double perOp(final String row, final IntSupplier op) {
        int sink = 0;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < OPS; i++) {
                sink += op.getAsInt();
            }
        }
        final long thread = Thread.currentThread().getId();
        final long before = THREADS.getThreadAllocatedBytes(thread);
        final long start = System.nanoTime();
        for (int i = 0; i < OPS; i++) {
            sink += op.getAsInt();
        }
        final long nanos = System.nanoTime() - start;
        final double bytes = (THREADS.getThreadAllocatedBytes(thread) - before) / (double) OPS;
        System.out.printf("%-36s %8.1f B/op  (%.0f ns/op, load-dependent)%s%n", row, bytes, nanos / (double) OPS,
                sink == Integer.MIN_VALUE ? " " : "");
        return bytes;
    }
}
