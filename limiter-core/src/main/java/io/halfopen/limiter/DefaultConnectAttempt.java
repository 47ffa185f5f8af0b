package io.halfopen.limiter;

import io.halfopen.policy.AdmissionTicket;
import io.halfopen.policy.Outcome;
import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The limiter's attempt: the owner's {@link ConnectAttempt} and the gate's {@link AdmissionTicket} in one
 * object, so that an attempt costs one allocation besides its timers.
 *
 * <h2>State machine</h2>
 * {@code state} holds {@link #NEW} or an {@link AttemptState} ordinal and only moves forward, by CAS:
 * <pre>
 *   NEW ──fast admit──────────────────────────────▶ HALF_OPEN ──owner report──▶ terminal (slot released)
 *    │                                                  ▲   │
 *    └─tryWait─▶ QUEUED ──tryAdmit (a release)──────────┘   └─half-open timeout─▶ ABORTING ─owner report─▶ terminal
 *                  └──cancel / queue timeout / shutdown──▶ terminal (no slot)
 *   NEW ──queue full or limiter closed──▶ REJECTED
 * </pre>
 * Whoever wins the CAS out of {@code QUEUED} decides whether the attempt gets a slot (a release's
 * {@link #tryAdmit()}) or leaves the queue (cancel, timeout, shutdown); whoever wins the CAS out of
 * {@code HALF_OPEN}/{@code ABORTING} into a terminal state releases the slot, exactly once.
 *
 * <h2>Publication</h2>
 * Fields written before the attempt is published to the gate (the queue timer, {@code waited}) are read by
 * other threads only after a volatile read of the cell or the state that the publication wrote, so they need
 * not be volatile. Fields written later are volatile.
 */
final class DefaultConnectAttempt implements ConnectAttempt, AdmissionTicket {

    static final int NEW = -1;
    private static final int QUEUED = AttemptState.QUEUED.ordinal();
    private static final int HALF_OPEN = AttemptState.HALF_OPEN.ordinal();
    private static final int ABORTING = AttemptState.ABORTING.ordinal();
    private static final AttemptState[] STATES = AttemptState.values();
    private static final long NOT_YET = Long.MIN_VALUE;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DefaultConnectAttempt.class, "state", int.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final HalfOpenLimiter limiter;
    private final InetSocketAddress remote;
    private final AttemptListener listener;
    private final long queueTimeoutNanos;
    private final long createdAt;
    private final boolean exempt;

    @SuppressWarnings("FieldMayBeFinal") // written through STATE
    private volatile int state = NEW;
    private volatile long grantedAt = NOT_YET;
    private volatile long endedAt = NOT_YET;
    private volatile Cancellable halfOpenTimer;
    private final Scheduler halfOpenTimers; // the limiter's scheduler, or the owner's (newAttempt with timers)
    private volatile Throwable failure;
    private Cancellable queueTimer; // written before publication
    private boolean waited;         // written before publication

    DefaultConnectAttempt(final HalfOpenLimiter limiter, final InetSocketAddress remote,
            final AttemptListener listener, final long queueTimeoutNanos, final boolean exempt,
            final Scheduler halfOpenTimers) {
        this.limiter = limiter;
        this.halfOpenTimers = halfOpenTimers;
        this.remote = remote;
        this.listener = listener;
        this.queueTimeoutNanos = queueTimeoutNanos;
        this.exempt = exempt;
        this.createdAt = limiter.ticker().nanoTime();
    }

    // ---------------------------------------------------------------- the gate's side (AdmissionTicket)

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    @Override
    public boolean tryWait() {
        if (!limiter.reserveQueueSlot(remote)) {
            return false;
        }
        waited = true;
        STATE.setVolatile(this, QUEUED);
        if (queueTimeoutNanos > 0) {
            queueTimer = limiter.scheduler().schedule(this::queueTimeoutFired, queueTimeoutNanos,
                    TimeUnit.NANOSECONDS);
        }
        return true;
    }

    @Override
    public boolean tryAdmit() {
        if (!STATE.compareAndSet(this, QUEUED, HALF_OPEN)) {
            return false;
        }
        grantedAt = limiter.ticker().nanoTime();
        cancelQueueTimer();
        limiter.leftQueue();
        limiter.counters().granted.increment();
        GrantTrampoline.deliver(this);
        return true;
    }

    // ---------------------------------------------------------------- the limiter's side

    /** Admitted by the gate without waiting. Called once, before publication. */
    void admittedAtOnce() {
        grantedAt = createdAt;
        STATE.setVolatile(this, HALF_OPEN);
        limiter.counters().granted.increment();
        GrantTrampoline.deliver(this);
    }

    /** Whether {@link #tryWait()} counted this attempt as queued. */
    boolean waited() {
        return waited;
    }

    /** Ends a never-published attempt as rejected and tells the owner. */
    void rejected(final HalfOpenLimitException cause) {
        endedAt = createdAt;
        failure = cause;
        STATE.setVolatile(this, AttemptState.REJECTED.ordinal());
        limiter.counters().countEnd(AttemptState.REJECTED);
        notifyFailed(cause);
        limiter.attemptEnded(this, 0L, 0L);
    }

    /** Fails a queued attempt because the limiter is closing. */
    void failBecauseClosed() {
        leaveQueue(AttemptState.REJECTED, () -> limiter.closedException(remote));
    }

    /** Runs the owner's grant callback; called by the {@link GrantTrampoline}. */
    void runGrantCallback() {
        if (state != HALF_OPEN) {
            return; // cancelled between the grant and this delivery
        }
        final long timeout = limiter.halfOpenTimeoutNanos();
        final Cancellable timer = halfOpenTimers.schedule(this::halfOpenTimeoutFired, timeout,
                TimeUnit.NANOSECONDS);
        halfOpenTimer = timer;
        if (STATES[state].isTerminal()) {
            timer.cancel(); // ended while the timer was being armed
            return;
        }
        try {
            listener.granted(this);
        } catch (final Throwable t) {
            HalfOpenLimiter.LOG.error("AttemptListener.granted threw for an attempt to {}; ending the attempt"
                    + " as failed and freeing its slot", remote, t);
            failed(t);
        }
    }

    // ---------------------------------------------------------------- timers

    private void queueTimeoutFired() {
        leaveQueue(AttemptState.QUEUE_TIMEOUT, () -> new QueueTimeoutException(Duration.ofNanos(queueTimeoutNanos),
                remote, limiter.maxHalfOpen(), limiter.queuedNow(), queueWait()));
    }

    private void halfOpenTimeoutFired() {
        if (!STATE.compareAndSet(this, HALF_OPEN, ABORTING)) {
            return;
        }
        limiter.counters().halfOpenTimeouts.increment();
        final HalfOpenTimeoutException cause = new HalfOpenTimeoutException(
                Duration.ofNanos(limiter.halfOpenTimeoutNanos()), remote, limiter.maxHalfOpen(), limiter.queuedNow(),
                queueWait());
        failure = cause;
        try {
            listener.abort(this, cause);
        } catch (final Throwable t) {
            HalfOpenLimiter.LOG.error("AttemptListener.abort threw for an attempt to {}", remote, t);
        }
    }

    private void leaveQueue(final AttemptState to, final java.util.function.Supplier<HalfOpenLimitException> cause) {
        if (!STATE.compareAndSet(this, QUEUED, to.ordinal())) {
            return;
        }
        endedAt = limiter.ticker().nanoTime();
        cancelQueueTimer();
        limiter.leftQueue();
        limiter.counters().countEnd(to);
        final HalfOpenLimitException exception = cause.get();
        failure = exception;
        notifyFailed(exception);
        limiter.attemptEnded(this, endedAt - createdAt, 0L);
    }

    private void notifyFailed(final HalfOpenLimitException cause) {
        try {
            listener.failed(this, cause);
        } catch (final Throwable t) {
            HalfOpenLimiter.LOG.error("AttemptListener.failed threw for an attempt to {}", remote, t);
        }
    }

    private void cancelQueueTimer() {
        final Cancellable timer = queueTimer;
        if (timer != null) {
            timer.cancel();
        }
    }

    // ---------------------------------------------------------------- the owner's side (ConnectAttempt)

    @Override
    public AttemptState state() {
        final int s = state;
        return s == NEW ? AttemptState.QUEUED : STATES[s];
    }

    @Override
    public boolean established() {
        return end(AttemptState.ESTABLISHED, null, "established()");
    }

    @Override
    public boolean refused() {
        return end(AttemptState.REFUSED, null, "refused()");
    }

    @Override
    public boolean failed(final Throwable cause) {
        return end(AttemptState.FAILED, cause, "failed(cause)");
    }

    @Override
    public boolean aborted() {
        return end(AttemptState.TIMED_OUT, null, "aborted()");
    }

    @Override
    public boolean cancel() {
        while (true) {
            final int s = state;
            if (s == QUEUED) {
                if (STATE.compareAndSet(this, QUEUED, AttemptState.CANCELLED.ordinal())) {
                    endedAt = limiter.ticker().nanoTime();
                    cancelQueueTimer();
                    limiter.leftQueue();
                    limiter.counters().countEnd(AttemptState.CANCELLED);
                    limiter.attemptEnded(this, endedAt - createdAt, 0L);
                    return true;
                }
                continue; // granted or timed out meanwhile: look again
            }
            return end(AttemptState.CANCELLED, null, "cancel()");
        }
    }

    /** Ends an attempt that holds a slot and releases the slot; returns false if it had ended already. */
    private boolean end(final AttemptState reported, final Throwable cause, final String call) {
        while (true) {
            final int s = state;
            if (s == HALF_OPEN || s == ABORTING) {
                final AttemptState to = s == ABORTING
                        && (reported == AttemptState.CANCELLED || reported == AttemptState.TIMED_OUT)
                        ? AttemptState.TIMED_OUT : reported;
                if (!STATE.compareAndSet(this, s, to.ordinal())) {
                    continue;
                }
                endedAt = limiter.ticker().nanoTime();
                if (cause != null) {
                    failure = cause;
                }
                final Cancellable timer = halfOpenTimer;
                if (timer != null) {
                    timer.cancel();
                }
                if (!exempt) {
                    limiter.gate().exit(this, outcomeOf(to));
                }
                limiter.counters().countEnd(to);
                final long granted = grantedAt;
                limiter.attemptEnded(this, granted - createdAt, endedAt - granted);
                return true;
            }
            if (s == QUEUED) {
                throw new IllegalStateException(call + " reported for an attempt to " + remote
                        + " that is still queued and was never granted a slot; call cancel() to give it up");
            }
            if (s == NEW) {
                throw new IllegalStateException(call + " reported for an attempt to " + remote
                        + " that has not been admitted yet");
            }
            return false;
        }
    }

    private static Outcome outcomeOf(final AttemptState state) {
        return switch (state) {
            case ESTABLISHED -> Outcome.ESTABLISHED;
            case REFUSED -> Outcome.REFUSED;
            case TIMED_OUT -> Outcome.TIMED_OUT;
            case FAILED -> Outcome.FAILED;
            default -> Outcome.CANCELLED;
        };
    }

    @Override
    public Duration queueWait() {
        final long granted = grantedAt;
        if (granted != NOT_YET) {
            return Duration.ofNanos(granted - createdAt);
        }
        final long ended = endedAt;
        return Duration.ofNanos((ended != NOT_YET ? ended : limiter.ticker().nanoTime()) - createdAt);
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public String toString() {
        return "ConnectAttempt[" + remote + ", " + state() + "]";
    }
}
