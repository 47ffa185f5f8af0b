package io.halfopen.limiter;

import io.halfopen.policy.Admission;
import io.halfopen.policy.AdmissionGate;
import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.policy.DeadDestination;
import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import io.halfopen.time.TimerWheel;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What every attempt of one limiter shares: the gate, the clock and scheduler, the timeouts, the counters, the
 * waiting room and the events, and the exceptions they build. Immutable (its collaborators are thread-safe),
 * so an attempt reads it without synchronization.
 */
final class AttemptContext {

    final String name;
    final AdmissionPolicy policy;
    final AdmissionGate gate;
    final Ticker ticker;
    final Scheduler scheduler;
    /**
     * The scheduler, if it is a {@link TimerWheel} on this limiter's ticker, else {@code null}: an attempt armed
     * on it is armed from its grant's own clock reading ({@link TimerWheel#armAt}), without reading the clock again.
     */
    final TimerWheel sameClockWheel;
    final long halfOpenTimeoutNanos;
    final long queueTimeoutNanos;
    final boolean exemptLoopback;
    final LimiterCounters counters;
    final LimitEvents events;
    final WaitingRoom room;

    AttemptContext(final String name, final AdmissionPolicy policy, final AdmissionGate gate, final Ticker ticker,
            final Scheduler scheduler, final long halfOpenTimeoutNanos, final long queueTimeoutNanos,
            final boolean exemptLoopback, final LimiterCounters counters, final LimitEvents events,
            final WaitingRoom room) {
        this.name = name;
        this.policy = policy;
        this.gate = gate;
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.sameClockWheel = scheduler instanceof TimerWheel wheel && wheel.ticker() == ticker ? wheel : null;
        this.halfOpenTimeoutNanos = halfOpenTimeoutNanos;
        this.queueTimeoutNanos = queueTimeoutNanos;
        this.exemptLoopback = exemptLoopback;
        this.counters = counters;
        this.events = events;
        this.room = room;
    }

    int maxHalfOpen() {
        return policy.maxHalfOpen();
    }

    LimiterClosedException closed(final InetSocketAddress remote, final Duration waited) {
        return new LimiterClosedException(name, remote, maxHalfOpen(), room.queued(), waited);
    }

    QueueFullException queueFull(final InetSocketAddress remote) {
        return new QueueFullException(room.maxQueued(), remote, maxHalfOpen(), room.queued(), Duration.ZERO);
    }

    PolicyRefusedException refused(final InetSocketAddress remote, final Admission.Refused refusal) {
        if (refusal.detail() instanceof DeadDestination dead) {
            return new DeadDestinationException(policy.name(), refusal.reason(), remote, maxHalfOpen(),
                    room.queued(), dead);
        }
        return new PolicyRefusedException(policy.name(), refusal.reason(), remote, maxHalfOpen(), room.queued());
    }

    QueueTimeoutException queueTimeout(final InetSocketAddress remote, final long timeoutNanos,
            final Duration waited) {
        return new QueueTimeoutException(Duration.ofNanos(timeoutNanos), remote, maxHalfOpen(), room.queued(),
                waited);
    }

    HalfOpenTimeoutException halfOpenTimeout(final InetSocketAddress remote, final Duration waited) {
        return new HalfOpenTimeoutException(Duration.ofNanos(halfOpenTimeoutNanos), remote, maxHalfOpen(),
                room.queued(), waited);
    }

    SchedulerFailedException schedulerFailed(final String timer, final Throwable cause,
            final InetSocketAddress remote, final Duration waited) {
        return new SchedulerFailedException(timer, cause, remote, maxHalfOpen(), room.queued(), waited);
    }
}
