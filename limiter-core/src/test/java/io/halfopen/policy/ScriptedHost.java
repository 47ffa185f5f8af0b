package io.halfopen.policy;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.limiter.LimiterListener;
import io.halfopen.time.VirtualClock;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One host whose attempts end by themselves: each is submitted with the outcome its destination will give and
 * how long after its grant that comes, and the owner reports it then, on the host's {@link VirtualClock}, as a
 * real owner would ({@code established()}, {@code refused()}, {@code aborted()} after a timeout,
 * {@code failed(NoRouteToHostException)} for an unreachable). Records when each attempt was granted and when each
 * first contact failed, and the policy's events. For the scan detectors' specifications; confined to the test's
 * thread.
 */
final class ScriptedHost {

    final VirtualClock clock = new VirtualClock();
    final HalfOpenLimiter limiter;
    final List<PolicyEvent> events = new ArrayList<>();
    /** When each failed attempt ended (ms of virtual time), in order. */
    final List<Long> failedAtMillis = new ArrayList<>();
    private final List<Attempt> attempts = new ArrayList<>();

    /** One submitted attempt. */
    final class Attempt implements AttemptListener {
        final InetSocketAddress remote;
        final Outcome outcome;
        final long afterNanos;
        final long submittedAt = clock.nanoTime();
        long grantedAt = -1;
        HalfOpenLimitException failure;
        ConnectAttempt handle;

        Attempt(final InetSocketAddress remote, final Outcome outcome, final Duration after) {
            this.remote = remote;
            this.outcome = outcome;
            this.afterNanos = after.toNanos();
        }

        @Override
        public void granted(final ConnectAttempt attempt) {
            grantedAt = clock.nanoTime();
            clock.schedule(() -> end(attempt), afterNanos, TimeUnit.NANOSECONDS);
        }

        private void end(final ConnectAttempt attempt) {
            final boolean ended = switch (outcome) {
                case ESTABLISHED -> attempt.established();
                case REFUSED -> attempt.refused();
                case TIMED_OUT -> attempt.aborted();
                case UNREACHABLE -> attempt.failed(new NoRouteToHostException("No route to host"));
                case FAILED -> attempt.failed(new java.io.IOException("local failure"));
                case CANCELLED -> attempt.cancel();
            };
            if (ended && outcome != Outcome.ESTABLISHED && outcome != Outcome.FAILED && outcome != Outcome.CANCELLED) {
                failedAtMillis.add(TimeUnit.NANOSECONDS.toMillis(clock.nanoTime()));
            }
        }

        @Override
        public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
            failure = cause;
        }

        @Override
        public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
            attempt.aborted(); // the limiter's own half-open timeout came first
        }

        boolean granted() {
            return grantedAt >= 0;
        }

        /** How long it waited for its slot, in ms; -1 if it was never granted. */
        long waitedMillis() {
            return grantedAt < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(grantedAt - submittedAt);
        }

        long grantedAtMillis() {
            return grantedAt < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(grantedAt);
        }
    }

    ScriptedHost(final AdmissionPolicy policy) {
        this.limiter = HalfOpenLimiter.builder().clock(clock).policy(policy).halfOpenTimeout(Duration.ofSeconds(21))
                .listener(new LimiterListener() {
                    @Override
                    public void policyEvent(final PolicyEvent event) {
                        events.add(event);
                    }
                }).build();
    }

    /** Submits an attempt now; it ends {@code after} its grant with {@code outcome}. */
    Attempt submit(final InetSocketAddress remote, final Outcome outcome, final Duration after) {
        final Attempt attempt = new Attempt(remote, outcome, after);
        attempts.add(attempt);
        attempt.handle = limiter.newAttempt(remote, attempt);
        return attempt;
    }

    /** Submits {@code count} attempts now, to the distinct destinations {@code destination(first + i)}. */
    List<Attempt> submit(final int count, final int first, final Outcome outcome, final Duration after) {
        final List<Attempt> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(submit(destination(first + i), outcome, after));
        }
        return out;
    }

    /** The {@code n}-th of 2^24 distinct destinations, 10.0.0.0/8 port 25 (virtual time: never connected to). */
    static InetSocketAddress destination(final int n) {
        try {
            return new InetSocketAddress(java.net.InetAddress.getByAddress(new byte[] {10, (byte) (n >>> 16),
                (byte) (n >>> 8), (byte) n}), 25);
        } catch (final java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    void advance(final Duration duration) {
        clock.advance(duration);
    }

    static List<Long> grantTimesMillis(final List<Attempt> attempts) {
        final List<Long> out = new ArrayList<>();
        attempts.forEach(a -> out.add(a.grantedAtMillis()));
        return out;
    }

    List<Attempt> attempts() {
        return attempts;
    }
}
