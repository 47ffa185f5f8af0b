package io.halfopen.junit;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenLimiterBuilder;
import io.halfopen.limiter.LimiterListener;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.InboundSessionLimiterBuilder;
import io.halfopen.testkit.SynSentSampler;
import io.halfopen.time.VirtualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One test's parts: made on first request, checked and closed after the test. Thread-safe: a test may ask for
 * parts and run attempts on several threads; the check runs after the test method returned.
 */
final class XpParts {

    private final BehaveLikeXp settings;
    private final String testName;
    private final Set<InetSocketAddress> peers = ConcurrentHashMap.newKeySet();
    private VirtualClock clock;                 // guarded by this
    private HalfOpenLimiter limiter;            // guarded by this
    private InboundSessionLimiter sessions;     // guarded by this
    private Object nettyHandler;                // guarded by this
    private Object socketFactory;               // guarded by this

    XpParts(final BehaveLikeXp settings, final String testName) {
        this.settings = settings;
        this.testName = testName;
    }

    /** The part of the named type, made on first request. */
    synchronized Object get(final String type) {
        if (type.equals(HalfOpenLimiter.class.getName())) {
            return limiter();
        }
        if (type.equals(InboundSessionLimiter.class.getName())) {
            return sessions();
        }
        if (type.equals(VirtualClock.class.getName())) {
            if (!settings.virtualTime()) {
                throw new IllegalStateException("a VirtualClock parameter needs @BehaveLikeXp(virtualTime = true):"
                        + " without it the limiters run on real time, and advancing a clock nobody reads would"
                        + " change nothing");
            }
            return clock();
        }
        if (type.equals(XpExtension.NETTY_HANDLER)) {
            if (nettyHandler == null) {
                nettyHandler = OptionalParts.nettyHandler(limiter());
            }
            return nettyHandler;
        }
        if (type.equals(XpExtension.SOCKET_FACTORY)) {
            if (socketFactory == null) {
                socketFactory = OptionalParts.socketFactory(limiter());
            }
            return socketFactory;
        }
        throw new IllegalArgumentException("not a part of @BehaveLikeXp: " + type);
    }

    private VirtualClock clock() {
        if (clock == null) {
            clock = new VirtualClock();
        }
        return clock;
    }

    private HalfOpenLimiter limiter() {
        if (limiter == null) {
            final HalfOpenLimiterBuilder builder = HalfOpenLimiter.builder().name(testName)
                    .maxHalfOpen(settings.maxHalfOpen()).listener(new LimiterListener() {
                        @Override
                        public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait,
                                final Duration halfOpen) {
                            final InetSocketAddress remote = attempt.remote();
                            if (attempt.wasGranted() && remote.getAddress() != null) {
                                peers.add(remote);
                            }
                        }
                    });
            if (settings.virtualTime()) {
                builder.clock(clock());
            }
            limiter = builder.build();
        }
        return limiter;
    }

    private InboundSessionLimiter sessions() {
        if (sessions == null) {
            final InboundSessionLimiterBuilder builder = InboundSessionLimiter.builder()
                    .maxSessions(settings.maxSessions());
            if (settings.virtualTime()) {
                builder.clock(clock());
            }
            sessions = builder.build();
        }
        return sessions;
    }

    /** What the test left behind, as a failure message; empty if nothing. */
    synchronized Optional<String> leftBehind() {
        if (limiter == null) {
            return Optional.empty();
        }
        final LimiterStats stats = limiter.stats();
        final StringBuilder problem = new StringBuilder();
        if (stats.halfOpen() > 0 || stats.queued() > 0) {
            problem.append("at the end of the test ").append(stats.halfOpen()).append(" attempt(s) were still half-open")
                    .append(" and ").append(stats.queued()).append(" queued: an owner never reported an outcome")
                    .append(" (established(), refused(), failed(cause), aborted() or cancel())");
        }
        if (settings.checkSynSent() && !peers.isEmpty()) {
            final List<InetSocketAddress> towards = List.copyOf(peers);
            final int synSent = SynSentSampler.countNowTowards(towards);
            if (synSent > 0) {
                problem.append(problem.length() > 0 ? "; and " : "at the end of the test ").append(synSent)
                        .append(" socket(s) of this process were still in SYN_SENT towards ").append(towards)
                        .append(" (sampled from /proc/net/tcp*): an attempt ended while its socket was still")
                        .append(" connecting, which lets the kernel see more half-open connects than the limit");
            }
        }
        if (problem.length() == 0) {
            return Optional.empty();
        }
        return Optional.of(problem.append(". Limiter '").append(limiter.name()).append("': ").append(stats).toString());
    }

    /** The limiter's stats, if the test asked for a limiter. */
    synchronized Optional<String> describe() {
        return limiter == null ? Optional.empty()
                : Optional.of("halfopen limiter '" + limiter.name() + "' at the failure: " + limiter.stats());
    }

    /** Closes the limiter (failing any waiter), so that nothing of this test outlives it. */
    synchronized void close() {
        if (limiter != null) {
            limiter.close();
        }
    }
}
