package io.halfopen.policy;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenLimiterBuilder;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.limiter.LimiterListener;
import io.halfopen.time.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One host for a policy's specification tests: the real limiter on a {@link VirtualClock} with the policy
 * under test, attempts to named destinations, and what happened to each (when it was granted, how it failed),
 * plus the policy's events.
 */
final class Host {

    final VirtualClock clock = new VirtualClock();
    final HalfOpenLimiter limiter;
    final List<PolicyEvent> events = new CopyOnWriteArrayList<>();
    private final Map<ConnectAttempt, Long> grantedAt = new LinkedHashMap<>();
    private final Map<ConnectAttempt, HalfOpenLimitException> failures = new LinkedHashMap<>();
    private final List<ConnectAttempt> grantOrder = new ArrayList<>();

    private final AttemptListener owner = new AttemptListener() {
        @Override
        public void granted(final ConnectAttempt attempt) {
            synchronized (Host.this) {
                grantedAt.put(attempt, clock.nanoTime());
                grantOrder.add(attempt);
            }
        }

        @Override
        public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
            synchronized (Host.this) {
                failures.put(attempt, cause);
            }
        }

        @Override
        public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
            attempt.aborted();
        }
    };

    Host(final AdmissionPolicy policy) {
        this(policy, UnaryOperator.identity());
    }

    Host(final AdmissionPolicy policy, final UnaryOperator<HalfOpenLimiterBuilder> options) {
        this.limiter = options.apply(HalfOpenLimiter.builder().clock(clock).policy(policy)
                .halfOpenTimeout(Duration.ofSeconds(21)).listener(new LimiterListener() {
                    @Override
                    public void policyEvent(final PolicyEvent event) {
                        events.add(event);
                    }
                })).build();
    }

    /** An address in TEST-NET-3 (203.0.113.0/24), or another /24 for {@code net} > 0: never connected to. */
    static InetSocketAddress address(final int net, final int host) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 203, 0, (byte) (113 + net),
                (byte) host}), 25);
        } catch (final UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    ConnectAttempt connect(final InetSocketAddress remote) {
        return limiter.newAttempt(remote, owner);
    }

    ConnectAttempt connect(final int host) {
        return connect(address(0, host));
    }

    List<ConnectAttempt> connect(final int count, final int host) {
        final List<ConnectAttempt> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(connect(host));
        }
        return out;
    }

    void advance(final Duration d) {
        clock.advance(d);
    }

    void advanceMillis(final long millis) {
        clock.advance(Duration.ofMillis(millis));
    }

    synchronized boolean granted(final ConnectAttempt attempt) {
        return grantedAt.containsKey(attempt);
    }

    /** When the attempt was granted, in ms of virtual time; -1 if it was not. */
    synchronized long grantedAtMillis(final ConnectAttempt attempt) {
        final Long at = grantedAt.get(attempt);
        return at == null ? -1 : TimeUnit.NANOSECONDS.toMillis(at);
    }

    synchronized List<Long> grantTimesMillis(final List<ConnectAttempt> attempts) {
        final List<Long> out = new ArrayList<>();
        for (final ConnectAttempt a : attempts) {
            out.add(grantedAtMillis(a));
        }
        return out;
    }

    synchronized List<ConnectAttempt> grantOrder() {
        return List.copyOf(grantOrder);
    }

    synchronized HalfOpenLimitException failure(final ConnectAttempt attempt) {
        return failures.get(attempt);
    }

    int queued() {
        return limiter.stats().queued();
    }

    int halfOpen() {
        return limiter.stats().halfOpen();
    }
}
