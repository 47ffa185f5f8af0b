package io.halfopen.cli;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimitReached;
import io.halfopen.limiter.LimiterListener;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.netty.ConnectTimeoutScope;
import io.halfopen.netty.HalfOpenLimitHandler;
import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.testkit.SynSentVerdict;
import io.halfopen.testkit.SynSentWatch;
import io.halfopen.sim.cli.SimulateCommand;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The demo: a storm of TCP connects from this machine to loopback peers it starts itself (one that accepts, one
 * that refuses, one that drops SYNs), through {@link HalfOpenLimitHandler}, with live progress, event 4226 when
 * it fires, and a summary that puts the kernel's own peak of SYN_SENT sockets beside the configured limit, and
 * says which judge counted it: the kernel's trace (exact; as root) or samples of {@code /proc/net/tcp*}
 * ({@link KernelJudge}; under {@code CI=true} the trace is required). Nothing leaves 127.0.0.1. The subcommand
 * {@code sessions} is the second demo, {@link SessionsCommand}; {@code simulate} is the policy simulator
 * ({@link SimulateCommand}).
 */
@Command(name = "halfopen-cli", mixinStandardHelpOptions = true, version = "halfopen 0.1.0-SNAPSHOT",
        sortOptions = false, subcommands = {SessionsCommand.class, SimulateCommand.class},
        description = {
            "Fires a storm of TCP connects at loopback peers of its own - one accepts, one refuses (RST), one drops"
                    + " SYNs (a full accept queue) - through HalfOpenLimitHandler, the way Windows XP SP2 limited"
                    + " half-open connects, and shows what the kernel saw.",
            ""})
public final class ConnectStormCommand implements Callable<Integer> {

    /** The transports the demo can use. */
    enum Transport { nio, epoll }

    @Option(names = {"-l", "--limit"}, defaultValue = "10", paramLabel = "N",
            description = "Half-open connects allowed at once (XP SP2: 10). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = {"-n", "--connects"}, defaultValue = "200", paramLabel = "N",
            description = "How many connects to fire. Default: ${DEFAULT-VALUE}.")
    int connects;

    @Option(names = {"-d", "--drop-share"}, defaultValue = "0.2", paramLabel = "SHARE",
            description = "Share of the connects that go to the peer that drops SYNs, 0 to 1. Default: ${DEFAULT-VALUE}.")
    double dropShare;

    @Option(names = {"-r", "--refuse-share"}, defaultValue = "0.2", paramLabel = "SHARE",
            description = "Share of the connects that go to the refusing port, 0 to 1. Default: ${DEFAULT-VALUE}.")
    double refuseShare;

    @Option(names = {"-t", "--half-open-timeout"}, defaultValue = "2s", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long a connect may stay half-open before it is aborted, e.g. 2s, 1500ms."
                    + " Default: ${DEFAULT-VALUE}, short so that the demo ends quickly.")
    Duration halfOpenTimeout;

    @Option(names = "--xp-timeout",
            description = "Use XP's half-open timeout of 21 s (SYNs at 0, 3 and 9 s) instead; the run then takes"
                    + " minutes.")
    boolean xpTimeout;

    @Option(names = "--transport", defaultValue = "nio", paramLabel = "nio|epoll",
            description = "Netty transport. Default: ${DEFAULT-VALUE}.")
    Transport transport;

    @Option(names = "--seed", defaultValue = "4226", paramLabel = "SEED",
            description = "Seed of the order in which the peers are hit. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Spec
    CommandSpec spec;

    private final PrintStream out = System.out;
    private final Object printLock = new Object();
    private volatile String progressLine = "";

    /**
     * Runs the demo.
     *
     * @param args the command line
     */
    public static void main(final String[] args) {
        System.exit(new CommandLine(new ConnectStormCommand()).execute(args));
    }

    private void validate() {
        if (limit < 1 || limit > 10_000) {
            throw bad("--limit must be between 1 and 10000, was " + limit);
        }
        if (connects < 1 || connects > 100_000) {
            throw bad("--connects must be between 1 and 100000, was " + connects);
        }
        if (!(dropShare >= 0 && dropShare <= 1)) {
            throw bad("--drop-share must be between 0 and 1, was " + dropShare);
        }
        if (!(refuseShare >= 0 && refuseShare <= 1)) {
            throw bad("--refuse-share must be between 0 and 1, was " + refuseShare);
        }
        if (dropShare + refuseShare > 1 + 1e-9) {
            throw bad("--drop-share + --refuse-share must be at most 1, was " + dropShare + " + " + refuseShare);
        }
        if (xpTimeout) {
            halfOpenTimeout = HalfOpenLimiter.XP_HALF_OPEN_TIMEOUT;
        }
        if (halfOpenTimeout.isNegative() || halfOpenTimeout.isZero()
                || halfOpenTimeout.compareTo(Duration.ofMinutes(2)) > 0) {
            throw bad("--half-open-timeout must be positive and at most 2 minutes, was " + halfOpenTimeout);
        }
        if (transport == Transport.epoll && !Epoll.isAvailable()) {
            throw bad("--transport epoll: Epoll is not available here (" + Epoll.unavailabilityCause() + ")");
        }
    }

    private ParameterException bad(final String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        validate();
        try (LoopbackPeers peers = new LoopbackPeers()) {
            return run(peers);
        }
    }

    private enum Kind { ACCEPT, REFUSE, DROP }

    @SuppressWarnings("deprecation") // NioEventLoopGroup/EpollEventLoopGroup: deprecated in 4.2, present in 4.1
    private int run(final LoopbackPeers peers) throws Exception {
        final InetSocketAddress accepting = peers.accepting();
        final InetSocketAddress refusing = peers.refusing();
        final InetSocketAddress dropping = peers.dropping();
        final List<Kind> kinds = mix();
        final long drops = kinds.stream().filter(k -> k == Kind.DROP).count();
        final long refusals = kinds.stream().filter(k -> k == Kind.REFUSE).count();

        out.printf(Locale.ROOT, "halfopen demo: %d connects through HalfOpenLimitHandler (%s), at most %d half-open"
                + " (XP SP2: %d)%n", connects, transport, limit, HalfOpenLimiter.XP_MAX_HALF_OPEN);
        out.printf(Locale.ROOT, "  peers on 127.0.0.1: accepting :%d, refusing :%d (RST), dropping :%d (full accept"
                + " queue, SYNs dropped)%n", accepting.getPort(), refusing.getPort(), dropping.getPort());
        out.printf(Locale.ROOT, "  mix: %d accepting, %d refusing, %d dropping; half-open timeout %s%s%n",
                connects - drops - refusals, refusals, drops, format(halfOpenTimeout),
                xpTimeout ? " (XP's)" : " (XP: 21 s, --xp-timeout)");

        final Recorder queueWait = new Recorder(3);
        final Recorder establishedLatency = new Recorder(3);
        final Recorder failedLatency = new Recorder(3);
        final AtomicInteger events = new AtomicInteger();
        final long start = System.nanoTime();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder()
                .name("demo")
                .maxHalfOpen(limit)
                .halfOpenTimeout(halfOpenTimeout)
                .listener(new LimiterListener() {
                    @Override
                    public void limitReached(final LimitReached event) {
                        events.incrementAndGet();
                        printAbove(String.format(Locale.ROOT, "[%6.2f s] Event 4226 (Tcpip, Warning): %s"
                                        + " [%d half-open allowed, %d queued]",
                                (System.nanoTime() - start) / 1e9, event.text(), event.maxHalfOpen(),
                                event.queued()));
                    }

                    @Override
                    public void attemptEnded(final ConnectAttempt attempt, final Duration waited,
                            final Duration halfOpen) {
                        queueWait.recordValue(Math.max(1, waited.toNanos() / 1000));
                    }
                })
                .build();

        final EventLoopGroup group = transport == Transport.epoll ? new EpollEventLoopGroup(2)
                : new NioEventLoopGroup(2);
        final Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(transport == Transport.epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 300_000) // the limiter's half-open timeout decides
                .handler(new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.TCP_CHANNELS,
                        ConnectTimeoutScope.HANDSHAKE_ONLY)); // XP: the queue waits without bound
        final SynSentWatch kernel = KernelJudge.watcher().label("demo")
                .watch(List.of(accepting, refusing, dropping));
        final AtomicInteger done = new AtomicInteger();
        final ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "progress");
            thread.setDaemon(true);
            return thread;
        });
        progress.scheduleAtFixedRate(() -> showProgress(done.get(), limiter.stats(), kernel), 0, 100,
                TimeUnit.MILLISECONDS);

        final List<ChannelFuture> futures = new ArrayList<>(connects);
        try {
            for (final Kind kind : kinds) {
                final InetSocketAddress target = switch (kind) {
                    case ACCEPT -> accepting;
                    case REFUSE -> refusing;
                    case DROP -> dropping;
                };
                final long called = System.nanoTime();
                final ChannelFuture future = bootstrap.connect(target);
                future.addListener(f -> {
                    final long micros = Math.max(1, (System.nanoTime() - called) / 1000);
                    (f.isSuccess() ? establishedLatency : failedLatency).recordValue(micros);
                    done.incrementAndGet();
                });
                futures.add(future);
            }
            final long deadline = System.nanoTime() + halfOpenTimeout.toNanos() * (drops / limit + 2)
                    + TimeUnit.SECONDS.toNanos(30);
            for (final ChannelFuture future : futures) {
                future.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            progress.shutdownNow();
            progress.awaitTermination(1, TimeUnit.SECONDS);
            showProgress(done.get(), limiter.stats(), kernel);
            kernel.stop();
            synchronized (printLock) {
                out.println();
                progressLine = "";
            }
            futures.forEach(f -> f.channel().close());
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
        final Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return summary(futures, limiter.stats(), kernel.stop(), events.get(), elapsed, queueWait.getIntervalHistogram(),
                establishedLatency.getIntervalHistogram(), failedLatency.getIntervalHistogram());
    }

    private List<Kind> mix() {
        final int drops = (int) Math.round(connects * dropShare);
        final int refusals = Math.min(connects - drops, (int) Math.round(connects * refuseShare));
        final List<Kind> kinds = new ArrayList<>(connects);
        for (int i = 0; i < connects; i++) {
            kinds.add(i < drops ? Kind.DROP : i < drops + refusals ? Kind.REFUSE : Kind.ACCEPT);
        }
        Collections.shuffle(kinds, new Random(seed));
        return kinds;
    }

    private int summary(final List<ChannelFuture> futures, final LimiterStats stats, final SynSentVerdict kernel,
            final int events, final Duration elapsed, final Histogram queueWait, final Histogram established,
            final Histogram failed) {
        final long pending = futures.stream().filter(f -> !f.isDone()).count();
        out.printf(Locale.ROOT, "%nsummary after %s%n", format(elapsed));
        out.printf(Locale.ROOT, "  outcomes        %d established, %d refused, %d timed out (half-open timeout),"
                        + " %d failed, %d cancelled%s%n", stats.established(), stats.refused(), stats.timedOut(),
                stats.failed(), stats.cancelled(), pending > 0 ? ", " + pending + " STILL PENDING" : "");
        out.printf(Locale.ROOT, "  limiter         peak %d half-open, peak %d queued, %d had to wait, event 4226"
                + " raised %d time%s%n", stats.peakHalfOpen(), stats.peakQueued(), stats.throttled(), events,
                events == 1 ? "" : "s");
        out.printf(Locale.ROOT, "  queue wait      %s%n", percentiles(queueWait));
        out.printf(Locale.ROOT, "  connect latency %s  (established: call to outcome, queue wait included)%n",
                percentiles(established));
        out.printf(Locale.ROOT, "                  %s  (refused or timed out)%n", percentiles(failed));
        final boolean withinLimit = kernel.peak() <= limit;
        out.printf(Locale.ROOT, "  kernel          peak %d sockets in SYN_SENT (%s; limit %d): %s%n", kernel.peak(),
                kernel.judge().words(), limit, withinLimit ? "within the limit" : "MORE THAN THE LIMIT");
        kernel.sampler().filter(sampler -> kernel.judge() == io.halfopen.testkit.Judge.TRACED).ifPresent(sampler ->
                out.printf(Locale.ROOT, "                  /proc/net/tcp* beside it: %s%n", sampler.describe()));
        kernel.fallbackReason().ifPresent(why -> out.printf(Locale.ROOT, "                  not traced: %s%n", why));
        return withinLimit && pending == 0 ? 0 : 1;
    }

    private static String percentiles(final Histogram h) {
        if (h.getTotalCount() == 0) {
            return "(none)";
        }
        return String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  max %s  (%d)",
                micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(90)),
                micros(h.getValueAtPercentile(99)), micros(h.getMaxValue()), h.getTotalCount());
    }

    private static String micros(final long micros) {
        return format(Duration.ofNanos(micros * 1000));
    }

    static String format(final Duration duration) {
        final double ms = duration.toNanos() / 1e6;
        if (ms < 1) {
            return String.format(Locale.ROOT, "%.0f us", ms * 1000);
        }
        if (ms < 1000) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }

    private void showProgress(final int done, final LimiterStats stats, final SynSentWatch kernel) {
        final String line = String.format(Locale.ROOT, "  done %d/%d  half-open %d/%d  queued %d  kernel SYN_SENT"
                        + " %d (%s)", done, connects, stats.halfOpen(), stats.maxHalfOpen(), stats.queued(),
                kernel.countNow(), kernel.judge().words());
        synchronized (printLock) {
            progressLine = line;
            out.print("\r\033[K" + line);
            out.flush();
        }
    }

    private void printAbove(final String message) {
        synchronized (printLock) {
            out.print("\r\033[K" + message + System.lineSeparator() + progressLine);
            out.flush();
        }
    }

    /** Parses durations such as {@code 2s}, {@code 1500ms}, {@code 1m} or ISO-8601 {@code PT2S}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(final String value) {
            final String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("pt")) {
                    return Duration.parse(v.toUpperCase(Locale.ROOT));
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
                }
                if (v.endsWith("s")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1).trim())
                            * 1000));
                }
                if (v.endsWith("m")) {
                    return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()) * 60);
                }
            } catch (final RuntimeException e) {
                // fall through to the message below
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration; use e.g. 2s, 1500ms,"
                    + " 1m or PT2S");
        }
    }
}
