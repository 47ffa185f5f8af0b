package io.halfopen.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.halfopen.limiter.AttemptState;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.limiter.LimitEventMode;
import io.halfopen.limiter.LimitReached;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.SynSentVerdict;
import io.halfopen.testkit.SynSentWatch;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The promise, checked against the kernel: whatever the peers do (accept, drop SYNs, reset, answer with ICMP,
 * vanish), this process never has more than {@value #LIMIT} sockets in SYN_SENT towards them, and every connect
 * ends. {@link KernelJudge} watches each scenario: the kernel's trace counts every socket entering and leaving
 * SYN_SENT towards the peers, exactly (as root; required under {@code CI=true}); elsewhere the {@code /proc}
 * sampler judges, with its rate floors, and the verdict says which. Each subclass supplies one way of creating
 * peers behind real firewalls; the scenarios are the same for all of them.
 *
 * <p>Every scenario prints one {@code [it]} line with its measurements (the kernel's verdict, which judge gave
 * it and the sampler's figures beside it, timings), which the closing notes quote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
abstract class FirewallScenarios {

    /** XP SP2's limit. */
    static final int LIMIT = 10;
    /** Short, so that CI stays fast; {@link NamespaceFirewallTest} proves XP's 21 s once. */
    static final Duration HALF_OPEN_TIMEOUT = Duration.ofSeconds(2);
    /** How long any scenario's connects may take, all together, before the test calls them hung. */
    static final Duration DEADLINE = Duration.ofSeconds(40);

    PeerNetwork network;
    PeerHost host;

    /**
     * Checks this setup's requirements (failing under CI, skipping elsewhere) and creates its network.
     *
     * @return the network
     * @throws Exception if it cannot be created
     */
    abstract PeerNetwork openNetwork() throws Exception;

    @BeforeAll
    void startPeers() throws Exception {
        network = openNetwork();
        host = network.startHost("main");
        report("setup", host.describe());
    }

    @AfterAll
    void stopPeers() {
        if (network != null) {
            network.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Scenarios
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Without the handler, the kernel holds every dropped connect in SYN_SENT at once, and the judge's check
     * fails: a known-bad control for the check every scenario below ends with.
     */
    @Test
    void control_withoutTheLimiterTheKernelHoldsEveryDroppedConnectInSynSent() throws Exception {
        final List<Target> targets = Target.spread(host, PeerKind.DROP, 3 * LIMIT);
        final SynSentVerdict kernel;
        try (SynSentWatch watch = watch("control", targets); NettyConnects client = new NettyConnects(null)) {
            final List<NettyConnects.Connect> connects = client.fire(targets);
            awaitTrue(() -> watch.countNow() == targets.size(), Duration.ofSeconds(10), "the kernel never held the "
                    + targets.size() + " dropped connects all in SYN_SENT (" + watch.judge().words() + ")");
            connects.forEach(connect -> connect.future.channel().close());
            kernel = watch.stop();
        }
        report("control (no limiter)", "kernel %s with %d connects and no limiter", kernel.summary(LIMIT),
                targets.size());
        kernel.assertReached(targets.size());
        assertThrows(AssertionError.class, () -> kernel.assertNeverAbove(LIMIT), "the judge must see the overshoot");
    }

    /**
     * Scenario 1: 200 connects, 20 to dropping peers and 180 to accepting ones; every accepting connect
     * succeeds, every dropped one ends at the half-open timeout, event 4226 is raised as configured, and the
     * limiter ends at zero.
     */
    @ParameterizedTest
    @EnumSource(LimitEventMode.class)
    void storm_neverMoreThanTheLimitHalfOpen(final LimitEventMode events) throws Exception {
        final List<Target> targets = Target.shuffled(concat(Target.spread(host, PeerKind.DROP, 20),
                Target.spread(host, PeerKind.ACCEPT, 180)), 4226);
        final LimiterRecorder recorder = new LimiterRecorder();
        final HalfOpenLimiter limiter = limiter("storm", recorder).limitEvents(events).build();
        final Storm storm = fireAndAwait(limiter, targets);
        final List<NettyConnects.Connect> connects = storm.connects();
        final SynSentVerdict kernel = storm.kernel();
        final Duration elapsed = storm.elapsed();
        final Map<PeerKind, List<NettyConnects.Connect>> byKind = byKind(connects);
        byKind.get(PeerKind.ACCEPT).forEach(connect -> assertTrue(connect.future.isSuccess(),
                () -> "an accepting peer's connect failed: " + connect));
        byKind.get(PeerKind.DROP).forEach(FirewallScenarios::assertEndedByHalfOpenTimeout);
        for (final LimiterRecorder.Ended dropped : recorder.ended(AttemptState.TIMED_OUT)) {
            assertBetween(dropped.halfOpen(), HALF_OPEN_TIMEOUT, HALF_OPEN_TIMEOUT.multipliedBy(2),
                    "a dropped connect's time in SYN_SENT");
        }
        final LimiterStats stats = assertDrained(limiter);
        assertEquals(180, stats.established(), stats::toString);
        assertEquals(20, stats.timedOut(), stats::toString);
        assertEquals(20, stats.halfOpenTimeouts(), stats::toString);
        assertTrue(stats.throttled() > 0, () -> "200 connects to 10 slots must queue: " + stats);
        final List<LimitReached> raised = recorder.events();
        assertEquals(stats.limitReachedEvents(), raised.size(), "the listener hears every event counted");
        switch (events) {
            case ONCE_PER_EPISODE -> assertTrue(raised.size() >= 1 && raised.size() <= stats.throttled(),
                    () -> raised.size() + " events for " + stats.throttled() + " throttled attempts");
            case EVERY_THROTTLED_ATTEMPT -> assertEquals(stats.throttled(), raised.size(),
                    "one event per throttled attempt");
            case NEVER -> assertEquals(0, raised.size(), "no events when they are off");
            default -> fail("unknown mode " + events);
        }
        raised.forEach(event -> assertEquals(LIMIT, event.maxHalfOpen()));
        report("1 storm, events " + events, "kernel %s; 200 connects in %d ms: 180"
                        + " established, 20 ended by the half-open timeout after %d-%d ms; %d throttled, %d events"
                        + " 4226, longest queue wait %d ms",
                kernel.summary(LIMIT), elapsed.toMillis(),
                minHalfOpen(recorder, AttemptState.TIMED_OUT).toMillis(), recorder.longestHalfOpen().toMillis(),
                stats.throttled(), raised.size(), recorder.longestQueueWait().toMillis());
        assertWithinLimit(kernel);
        kernel.assertReached(LIMIT); // the dropped connects hold every slot for the half-open timeout
    }

    /** Scenario 2: 200 refused connects (resets, and ICMP where the setup has it) free their slots at once. */
    @Test
    void refusals_endFarSoonerThanOneHalfOpenTimeout() throws Exception {
        final List<Target> targets = host.kinds().contains(PeerKind.ICMP)
                ? Target.shuffled(concat(Target.spread(host, PeerKind.RESET, 100),
                        Target.spread(host, PeerKind.ICMP, 100)), 71)
                : Target.spread(host, PeerKind.RESET, 200);
        final LimiterRecorder recorder = new LimiterRecorder();
        final HalfOpenLimiter limiter = limiter("refusals", recorder).build();
        final Storm storm = fireAndAwait(limiter, targets);
        final List<NettyConnects.Connect> connects = storm.connects();
        final SynSentVerdict kernel = storm.kernel();
        final Duration elapsed = storm.elapsed();
        for (final NettyConnects.Connect connect : connects) {
            assertTrue(causeChainHas(connect.future.cause(), ConnectException.class),
                    () -> "a refused connect must fail with ConnectException: " + connect);
        }
        final Map<String, Long> slowest = new java.util.TreeMap<>();
        for (final LimiterRecorder.Ended ended : recorder.ended()) {
            final String key = kindOf(targets, ended.attempt().remote()) + " "
                    + (ended.attempt().remote().getAddress() instanceof java.net.Inet6Address ? "IPv6" : "IPv4");
            slowest.merge(key, ended.halfOpen().toMillis(), Math::max);
        }
        final LimiterStats stats = assertDrained(limiter);
        assertEquals(200, stats.refused(), stats::toString);
        assertEquals(0, stats.halfOpenTimeouts(), stats::toString);
        report("2 refusals (" + describeKinds(targets) + ")", "kernel %s; 200 refused in"
                        + " %d ms; longest slot hold %d ms %s, longest queue wait %d ms",
                kernel.summary(LIMIT), elapsed.toMillis(), recorder.longestHalfOpen().toMillis(),
                slowest,
                recorder.longestQueueWait().toMillis());
        assertTrue(elapsed.compareTo(HALF_OPEN_TIMEOUT) < 0,
                () -> "200 refusals took " + elapsed.toMillis() + " ms, not sooner than one half-open timeout");
        assertTrue(recorder.longestHalfOpen().compareTo(HALF_OPEN_TIMEOUT.dividedBy(4)) < 0,
                () -> "a refused connect held its slot for " + recorder.longestHalfOpen().toMillis() + " ms");
        assertWithinLimit(kernel);
    }

    /**
     * Scenario 3: with every slot held by a dropping peer, a connect to an accepting peer waits about one
     * half-open timeout: the price of XP's policy, as a behaviour check in a generous band.
     */
    @Test
    void headOfLine_anAcceptingPeerWaitsAboutOneHalfOpenTimeoutBehindDroppedConnects() throws Exception {
        final List<Target> drops = Target.spread(host, PeerKind.DROP, LIMIT);
        final Target accepting = Target.spread(host, PeerKind.ACCEPT, 1).get(0);
        final HalfOpenLimiter limiter = limiter("head-of-line", new LimiterRecorder()).build();
        final SynSentWatch watch = watch("head-of-line", concat(drops, List.of(accepting)));
        final NettyConnects.Connect late;
        final List<NettyConnects.Connect> all = new ArrayList<>();
        try (watch; NettyConnects client = new NettyConnects(limiter)) {
            all.addAll(client.fire(drops));
            awaitTrue(() -> limiter.stats().halfOpen() == LIMIT, Duration.ofSeconds(10),
                    "the dropped connects never held every slot");
            late = client.fire(List.of(accepting)).get(0);
            all.add(late);
            assertAllCompleted(all);
        }
        final SynSentVerdict kernel = watch.stop();
        assertTrue(late.future.isSuccess(), () -> "the accepting peer's connect failed: " + late);
        final Duration wait = late.elapsed();
        report("3 head-of-line", "kernel %s; the accepting connect waited %d ms behind %d"
                + " dropped ones (half-open timeout %d ms)", kernel.summary(LIMIT), wait.toMillis(),
                LIMIT, HALF_OPEN_TIMEOUT.toMillis());
        assertBetween(wait, scaled(HALF_OPEN_TIMEOUT, 0.8), HALF_OPEN_TIMEOUT.multipliedBy(2),
                "the accepting connect's wait behind " + LIMIT + " dropped ones");
        assertDrained(limiter);
        assertWithinLimit(kernel);
        kernel.assertReached(LIMIT);
    }

    /** Scenario 4: the blocking API guards plain blocking {@code SocketChannel} connects from 60 threads. */
    @Test
    void blockingSockets_fromSixtyThreads() throws Exception {
        final List<Target> targets = new ArrayList<>(Target.spread(host, PeerKind.ACCEPT, 40));
        targets.addAll(Target.spread(host, PeerKind.DROP, 10));
        if (host.kinds().contains(PeerKind.ICMP)) {
            targets.addAll(Target.spread(host, PeerKind.RESET, 5));
            targets.addAll(Target.spread(host, PeerKind.ICMP, 5));
        } else {
            targets.addAll(Target.spread(host, PeerKind.RESET, 10));
        }
        final List<Target> shuffled = Target.shuffled(targets, 60);
        final HalfOpenLimiter limiter = limiter("blocking", new LimiterRecorder()).build();
        final long start = System.nanoTime();
        final List<BlockingConnects.Result> results;
        final SynSentWatch watch = watch("blocking", shuffled);
        try (watch) {
            results = BlockingConnects.run(limiter, shuffled, DEADLINE);
        }
        final SynSentVerdict kernel = watch.stop();
        final Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        for (int i = 0; i < shuffled.size(); i++) {
            final PeerKind kind = shuffled.get(i).kind();
            final BlockingConnects.Result expected = switch (kind) {
                case ACCEPT -> BlockingConnects.Result.CONNECTED;
                case DROP -> BlockingConnects.Result.ABORTED;
                case RESET, ICMP -> BlockingConnects.Result.REFUSED;
            };
            assertEquals(expected, results.get(i), "the blocking connect to " + shuffled.get(i));
        }
        final LimiterStats stats = assertDrained(limiter);
        assertEquals(40, stats.established(), stats::toString);
        assertEquals(10, stats.timedOut(), stats::toString);
        assertEquals(10, stats.refused(), stats::toString);
        report("4 blocking sockets", "kernel %s; %d %s threads: 40 connected, 10 aborted"
                        + " at the half-open timeout, 10 refused, in %d ms", kernel.summary(LIMIT),
                shuffled.size(), BlockingConnects.virtualThreads() ? "virtual" : "platform", elapsed.toMillis());
        assertWithinLimit(kernel);
        kernel.assertReached(LIMIT); // the 10 dropped connects hold every slot for the half-open timeout
    }

    /** Scenario 5a: a peer host vanishes mid-storm (container killed, namespace deleted, listeners closed). */
    @Test
    void faults_aPeerHostKilledMidStorm() throws Exception {
        final PeerHost victim = network.startHost("victim");
        try {
            final List<Target> targets = Target.shuffled(concat(Target.spread(victim, PeerKind.DROP, 30),
                    Target.spread(victim, PeerKind.ACCEPT, 70)), 5);
            final HalfOpenLimiter limiter = limiter("host-killed", new LimiterRecorder()).build();
            final long start = System.nanoTime();
            final List<NettyConnects.Connect> connects;
            final SynSentWatch watch = watch("host-killed", targets);
            try (watch; NettyConnects client = new NettyConnects(limiter)) {
                connects = client.fire(targets);
                awaitTrue(() -> limiter.stats().halfOpen() == LIMIT, Duration.ofSeconds(10),
                        "the storm never held every slot");
                victim.kill();
                assertAllCompleted(connects);
            }
            final SynSentVerdict kernel = watch.stop();
            final LimiterStats stats = assertDrained(limiter);
            report("5a host killed mid-storm", "kernel %s; %s; all 100 completed in %d ms;"
                            + " %s", kernel.summary(LIMIT), victim.describe(),
                    Duration.ofNanos(System.nanoTime() - start).toMillis(), outcomes(stats));
            assertEquals(100, stats.established() + stats.refused() + stats.timedOut() + stats.failed(),
                    () -> "every connect got a slot and ended: " + stats);
            assertWithinLimit(kernel);
        } finally {
            victim.close();
        }
    }

    /** Scenario 5b: the client's event loops shut down mid-storm. */
    @Test
    void faults_theEventLoopGroupShutDownMidStorm() throws Exception {
        final List<Target> targets = Target.shuffled(concat(Target.spread(host, PeerKind.DROP, 30),
                Target.spread(host, PeerKind.ACCEPT, 70)), 55);
        final HalfOpenLimiter limiter = limiter("loops-shut-down", new LimiterRecorder()).build();
        final List<NettyConnects.Connect> connects;
        final SynSentWatch watch = watch("loops-shut-down", targets);
        try (watch; NettyConnects client = new NettyConnects(limiter)) {
            connects = client.fire(targets);
            awaitTrue(() -> limiter.stats().halfOpen() == LIMIT, Duration.ofSeconds(10),
                    "the storm never held every slot");
            client.group().shutdownGracefully(0, 0, TimeUnit.SECONDS);
            assertAllCompleted(connects);
        }
        final SynSentVerdict kernel = watch.stop();
        final long failed = connects.stream().filter(c -> !c.future.isSuccess()).count();
        final LimiterStats stats = assertDrained(limiter);
        report("5b event loops shut down mid-storm", "kernel %s; all 100 promises completed,"
                + " %d failed; %s", kernel.summary(LIMIT), failed, outcomes(stats));
        assertTrue(failed > 0, "shutting the loops down while slots were held must fail some connects");
        assertWithinLimit(kernel);
    }

    /** Scenario 5c: the caller cancels every other promise as soon as it is issued. */
    @Test
    void faults_halfThePromisesCancelledByTheCaller() throws Exception {
        final List<Target> targets = Target.shuffled(concat(Target.spread(host, PeerKind.DROP, 30),
                Target.spread(host, PeerKind.ACCEPT, 70)), 555);
        final HalfOpenLimiter limiter = limiter("cancelled", new LimiterRecorder()).build();
        final List<NettyConnects.Connect> connects = new ArrayList<>();
        final SynSentWatch watch = watch("cancelled", targets);
        int cancelled = 0;
        try (watch; NettyConnects client = new NettyConnects(limiter)) {
            for (int i = 0; i < targets.size(); i++) {
                final NettyConnects.Connect connect = client.fire(List.of(targets.get(i))).get(0);
                connects.add(connect);
                if (i % 2 == 0 && connect.future.cancel(false)) {
                    cancelled++;
                }
            }
            assertAllCompleted(connects);
        }
        final SynSentVerdict kernel = watch.stop();
        final LimiterStats stats = assertDrained(limiter);
        final int cancelledPromises = cancelled;
        report("5c half the promises cancelled", "kernel %s; %d of 100 promises cancelled,"
                + " all completed; %s", kernel.summary(LIMIT), cancelledPromises, outcomes(stats));
        assertTrue(cancelledPromises >= 25, () -> "only " + cancelledPromises + " of 50 cancels took effect: the"
                + " scenario did not exercise cancellation");
        assertEquals(cancelledPromises, connects.stream().filter(c -> c.future.isCancelled()).count(),
                "every successfully cancelled promise reads as cancelled");
        assertWithinLimit(kernel);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    io.halfopen.limiter.HalfOpenLimiterBuilder limiter(final String name, final LimiterRecorder recorder) {
        return HalfOpenLimiter.builder()
                .maxHalfOpen(LIMIT)
                .halfOpenTimeout(HALF_OPEN_TIMEOUT)
                .listener(recorder)
                .name(getClass().getSimpleName() + "-" + name);
    }

    /**
     * What one batch of Netty connects did.
     *
     * @param connects the connects, all completed
     * @param kernel   the kernel judge's verdict on them
     * @param elapsed  from the first connect issued to the last one completed
     */
    record Storm(List<NettyConnects.Connect> connects, SynSentVerdict kernel, Duration elapsed) {
    }

    /**
     * Fires one connect per target through the limiter's handler while the kernel judge watches, and waits
     * (bounded) for every one to complete.
     *
     * @param limiter the limiter (its name, the setup's and the scenario's, labels the watch)
     * @param targets where to connect
     * @return what happened
     * @throws InterruptedException if interrupted
     */
    Storm fireAndAwait(final HalfOpenLimiter limiter, final List<Target> targets) throws InterruptedException {
        final String setup = getClass().getSimpleName();
        final String label = limiter.name().startsWith(setup) ? limiter.name() : setup + "-" + limiter.name();
        final SynSentWatch watch = KernelJudge.watcher().label(label).watch(Target.endpoints(targets));
        final long start = System.nanoTime();
        final List<NettyConnects.Connect> connects;
        try (watch; NettyConnects client = new NettyConnects(limiter)) {
            connects = client.fire(targets);
            assertAllCompleted(connects);
        }
        final long end = connects.stream().mapToLong(c -> c.endNanos).max().orElse(start);
        return new Storm(connects, watch.stop(), Duration.ofNanos(end - start));
    }

    /**
     * Starts the kernel judge on the targets' endpoints, labelled with the setup and the scenario.
     *
     * @param scenario the scenario's name
     * @param targets  the targets
     * @return the running watch
     */
    SynSentWatch watch(final String scenario, final List<Target> targets) {
        return KernelJudge.watcher().label(getClass().getSimpleName() + "-" + scenario)
                .watch(Target.endpoints(targets));
    }

    /**
     * Asserts the kernel never held more than {@value #LIMIT} sockets in SYN_SENT: exactly, by the trace; or,
     * where the sampler judges, as seen by two samples in a row, with the sampler's rate floors
     * ({@link SynSentVerdict#assertNeverAbove}).
     */
    static void assertWithinLimit(final SynSentVerdict kernel) {
        kernel.assertNeverAbove(LIMIT);
    }

    static void assertAllCompleted(final List<NettyConnects.Connect> connects) throws InterruptedException {
        final List<NettyConnects.Connect> pending = NettyConnects.awaitAll(connects, DEADLINE);
        assertTrue(pending.isEmpty(), () -> pending.size() + " connects still pending after " + DEADLINE + ": "
                + pending);
    }

    /**
     * Waits (bounded) for the limiter to hold no slot and queue nothing: outcomes are reported on the event
     * loops, possibly just after a caller's promise completed.
     */
    static LimiterStats assertDrained(final HalfOpenLimiter limiter) {
        awaitTrue(() -> limiter.stats().halfOpen() == 0 && limiter.stats().queued() == 0, Duration.ofSeconds(10),
                "the limiter did not drain: " + limiter.stats());
        return limiter.stats();
    }

    static void assertEndedByHalfOpenTimeout(final NettyConnects.Connect connect) {
        final Throwable cause = connect.future.cause();
        assertTrue(cause instanceof ConnectTimeoutException && causeChainHas(cause, HalfOpenTimeoutException.class),
                () -> "a dropped connect must end by the half-open timeout: " + connect);
    }

    static void assertBetween(final Duration actual, final Duration low, final Duration high, final String what) {
        assertTrue(actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0, () -> what + " was "
                + actual.toMillis() + " ms, outside [" + low.toMillis() + ", " + high.toMillis() + "] ms");
    }

    static boolean causeChainHas(final Throwable failure, final Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static void awaitTrue(final BooleanSupplier condition, final Duration deadline, final String failure) {
        final long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail(failure + " (within " + deadline.toMillis() + " ms)");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // polling a condition with no callback
        }
    }

    static Duration scaled(final Duration duration, final double factor) {
        return Duration.ofNanos((long) (duration.toNanos() * factor));
    }

    static <T> List<T> concat(final List<T> a, final List<T> b) {
        final List<T> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }

    static Map<PeerKind, List<NettyConnects.Connect>> byKind(final List<NettyConnects.Connect> connects) {
        final Map<PeerKind, List<NettyConnects.Connect>> byKind = new EnumMap<>(PeerKind.class);
        connects.forEach(c -> byKind.computeIfAbsent(c.target.kind(), k -> new ArrayList<>()).add(c));
        return byKind;
    }

    static Duration minHalfOpen(final LimiterRecorder recorder, final AttemptState state) {
        return recorder.ended(state).stream().map(LimiterRecorder.Ended::halfOpen).min(Duration::compareTo)
                .orElse(Duration.ZERO);
    }

    static String describeKinds(final List<Target> targets) {
        final Map<PeerKind, Integer> counts = new EnumMap<>(PeerKind.class);
        targets.forEach(t -> counts.merge(t.kind(), 1, Integer::sum));
        return counts.toString();
    }

    static PeerKind kindOf(final List<Target> targets, final java.net.InetSocketAddress remote) {
        return targets.stream().filter(t -> t.address().equals(remote)).findFirst().orElseThrow().kind();
    }

    static String outcomes(final LimiterStats stats) {
        return String.format(Locale.ROOT, "established %d, refused %d, timed out %d, failed %d, cancelled %d",
                stats.established(), stats.refused(), stats.timedOut(), stats.failed(), stats.cancelled());
    }

    void report(final String scenario, final String format, final Object... args) {
        System.out.printf(Locale.ROOT, "[it] %s | %s | %s%n", network.describe(), scenario,
                String.format(Locale.ROOT, format, args));
    }
}
