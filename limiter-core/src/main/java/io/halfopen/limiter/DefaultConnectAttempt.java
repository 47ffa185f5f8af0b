package io.halfopen.limiter;

import io.halfopen.policy.Admission;
import io.halfopen.policy.AdmissionTicket;
import io.halfopen.policy.Outcome;
import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import io.halfopen.time.TimerNode;
import io.halfopen.time.TimerWheel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The limiter's attempt: the owner's {@link ConnectAttempt}, the gate's {@link AdmissionTicket} and its own
 * half-open timer (a {@link TimerNode}) in one object, so that an attempt granted at once costs one allocation,
 * its timer included, on the system scheduler's {@link io.halfopen.time.TimerWheel} (on a scheduler that holds
 * no nodes, such as a {@code VirtualClock} or an event loop, the arming is one task of that scheduler's). A
 * queued attempt's queue timer is a task of the limiter's scheduler: the node is armed once, for the half-open
 * timeout, so no expiry of the node can ever be mistaken for another timer's.
 *
 * <h2>State machine</h2>
 * {@code state} holds {@link #ENTERING} or an {@link AttemptState} ordinal and only moves forward, by CAS:
 * <pre>
 *   ENTERING ──gate: admitted──────────────────────────────▶ HALF_OPEN ──owner report──▶ terminal (exit)
 *    │ │                                                      ▲ ▲    │
 *    │ └─gate: waiting, a hand-off's tryAdmit comes first─────┘ │    └─half-open timeout─▶ ABORTING ─owner report─▶ terminal (exit)
 *    │   gate: waiting, counted in ──▶ QUEUED ──tryAdmit────────┘
 *    │                                   └─cancel / queue timeout / close / timer failure─▶ terminal (withdrawn)
 *    └─limiter closed / policy refused / gate waiting but queue full (withdrawn)──▶ REJECTED
 * </pre>
 * Only the entering thread moves an attempt out of {@code ENTERING}, except a hand-off's {@link #tryAdmit()},
 * which may win first: then the attempt never counts as queued. Whoever wins the CAS out of {@code QUEUED}
 * decides whether the attempt gets a slot (a hand-off's {@code tryAdmit}) or leaves the gate (cancel,
 * timeout, shutdown), and the one that leaves withdraws it from the gate, once. Whoever wins the CAS out of
 * {@code HALF_OPEN}/{@code ABORTING} into a terminal state exits the gate, exactly once.
 *
 * <h2>Granted, then timed</h2>
 * The grant is delivered by {@link GrantTrampoline}: the half-open timer is armed first (its deadline counts
 * from the grant), then the owner's {@code granted} runs. {@code delivery} makes {@code abort} wait for
 * {@code granted}: a timer that fires before {@code granted} has returned leaves the abort to the delivering
 * thread. A scheduler that throws ends the attempt before the owner is told anything (its slot goes back),
 * with {@link SchedulerFailedException}; so does one that throws when the queue timer is armed.
 *
 * <h2>Publication</h2>
 * The constructor's first values of {@code state}, {@code grantedAt} and {@code endedAt} are plain stores: every
 * thread but the creating one reaches the attempt through a release that follows them (the gate's queue, the
 * timer wheel's inbox, a hand-off's CAS, or whatever the owner hands it on with), as it must for any object.
 * {@code waiting} is written before the CAS to {@code QUEUED}, which publishes it to every thread that later
 * reads {@code QUEUED}; every other field read across threads is volatile or final. It is read only by the thread
 * that wins the CAS out of {@code QUEUED} into a departure, and cleared as soon as the wait is over (by that
 * thread after the withdrawal, by the hand-off that wins the CAS to {@code HALF_OPEN}, or by the entering thread
 * if it never reached {@code QUEUED}): an attempt that its owner keeps for the connection's life (a socket keeps
 * it) keeps nothing of the gate's structure reachable, whatever the gate's {@link Admission.Waiting} links to.
 */
final class DefaultConnectAttempt extends TimerNode implements ConnectAttempt, AdmissionTicket {

    static final int ENTERING = -1;
    private static final int QUEUED = AttemptState.QUEUED.ordinal();
    private static final int HALF_OPEN = AttemptState.HALF_OPEN.ordinal();
    private static final int ABORTING = AttemptState.ABORTING.ordinal();
    private static final AttemptState[] STATES = AttemptState.values();
    private static final long NOT_YET = Long.MIN_VALUE;

    private static final int GRANTING = 0;
    private static final int DELIVERED = 1;
    private static final int ABORT_PENDING = 2;

    private static final VarHandle STATE;
    private static final VarHandle DELIVERY;
    private static final VarHandle GRANTED_AT;
    private static final VarHandle ENDED_AT;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(DefaultConnectAttempt.class, "state", int.class);
            DELIVERY = lookup.findVarHandle(DefaultConnectAttempt.class, "delivery", int.class);
            GRANTED_AT = lookup.findVarHandle(DefaultConnectAttempt.class, "grantedAt", long.class);
            ENDED_AT = lookup.findVarHandle(DefaultConnectAttempt.class, "endedAt", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AttemptContext context;
    private final InetSocketAddress remote;
    private final AttemptListener listener;
    private final Scheduler halfOpenTimers; // the limiter's scheduler, or the owner's (newAttempt with timers)
    private final long createdAt;

    // state, grantedAt and endedAt get their first values in the constructor by plain stores (see "Publication"):
    // a volatile initializer costs a full fence each, three per attempt. delivery starts at GRANTING, the default.
    private volatile int state;
    @SuppressWarnings("unused") // accessed through DELIVERY
    private volatile int delivery;
    private volatile long grantedAt;
    /** When an attempt that was never granted ended; left {@code NOT_YET} by a granted one (nobody reads it). */
    private volatile long endedAt;
    private volatile Cancellable queueTimer;
    private volatile Throwable failure;
    private Admission.Waiting waiting; // written before the CAS to QUEUED, see "Publication"

    DefaultConnectAttempt(final AttemptContext context, final InetSocketAddress remote,
            final AttemptListener listener, final Scheduler halfOpenTimers) {
        this.context = context;
        this.remote = remote;
        this.listener = listener;
        this.halfOpenTimers = halfOpenTimers;
        this.createdAt = context.ticker.nanoTime();
        STATE.set(this, ENTERING);
        GRANTED_AT.set(this, NOT_YET);
        ENDED_AT.set(this, NOT_YET);
    }

    // ---------------------------------------------------------------- entering

    /**
     * Asks the gate for a slot; called once, by the thread that created the attempt. The queue timeout is a
     * parameter, not a field: only this call and the queue timer it arms need it (an attempt's size is its cost).
     */
    void start(final long queueTimeoutNanos) {
        if (context.room.isClosed()) {
            endWithoutSlot(context.closed(remote, Duration.ZERO));
            return;
        }
        if (exempt()) {
            admitNow();
            return;
        }
        final Admission admission = context.gate.enter(this);
        if (admission == Admission.admitted()) {
            admitNow();
        } else if (admission instanceof Admission.Waiting place) {
            waitIn(place, queueTimeoutNanos);
        } else if (admission instanceof Admission.Refused refusal) {
            endWithoutSlot(context.refused(remote, refusal));
        } else {
            throw new IllegalStateException("policy " + context.policy.name() + " answered " + admission);
        }
    }

    private void admitNow() {
        grantedAt = createdAt;
        STATE.setRelease(this, HALF_OPEN); // unpublished: nobody else has a reference that reads it yet
        context.counters.granted.increment();
        GrantTrampoline.deliver(this);
    }

    /** The gate holds the attempt; count it into the waiting room, or withdraw it if the room is full. */
    private void waitIn(final Admission.Waiting place, final long queueTimeoutNanos) {
        waiting = place;
        if (!context.room.tryJoin(remote)) {
            waiting = null;
            if (STATE.compareAndSet(this, ENTERING, AttemptState.REJECTED.ordinal())) {
                place.withdraw();
                ended(AttemptState.REJECTED, context.queueFull(remote), createdAt);
            }
            return; // a hand-off granted it meanwhile: it never waited in the room
        }
        if (!STATE.compareAndSet(this, ENTERING, QUEUED)) {
            waiting = null;
            context.room.leave(); // a hand-off granted it while it was being counted in
            return;
        }
        if (queueTimeoutNanos > 0) {
            armQueueTimer(queueTimeoutNanos);
        }
        if (context.room.isClosed()) {
            failBecauseClosed(); // raced with close(), which may have missed it while it was ENTERING
        }
    }

    private void armQueueTimer(final long queueTimeoutNanos) {
        final Cancellable timer;
        try {
            timer = context.scheduler.schedule(() -> queueTimeoutFired(queueTimeoutNanos), queueTimeoutNanos,
                    TimeUnit.NANOSECONDS);
        } catch (final Throwable t) {
            leaveQueue(AttemptState.REJECTED, () -> context.schedulerFailed("queue timeout", t, remote, queueWait()));
            return;
        }
        queueTimer = timer;
        if (state != QUEUED) {
            timer.cancel(); // left the queue while the timer was being armed
        }
    }

    /** Ends an attempt that never got a slot and was never in the waiting room. */
    private void endWithoutSlot(final HalfOpenLimitException cause) {
        STATE.setRelease(this, AttemptState.REJECTED.ordinal());
        ended(AttemptState.REJECTED, cause, createdAt);
    }

    /** Loopback and exempted: never counted. Computed, not stored (an attempt's size is its cost). */
    private boolean exempt() {
        return context.exemptLoopback && remote.getAddress().isLoopbackAddress();
    }

    // ---------------------------------------------------------------- the gate's side (AdmissionTicket)

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    @Override
    public boolean tryAdmit() {
        while (true) {
            final int s = state;
            if (s != QUEUED && s != ENTERING) {
                return false;
            }
            if (STATE.compareAndSet(this, s, HALF_OPEN)) {
                grantedAt = context.ticker.nanoTime();
                if (s == QUEUED) {
                    waiting = null; // nobody withdraws a granted attempt (see "Publication")
                    cancel(queueTimer);
                    context.room.leave();
                }
                context.counters.granted.increment();
                GrantTrampoline.deliver(this);
                return true;
            }
        }
    }

    // ---------------------------------------------------------------- leaving the queue

    /** Fails a queued attempt because the limiter is closing. */
    void failBecauseClosed() {
        leaveQueue(AttemptState.REJECTED, () -> context.closed(remote, queueWait()));
    }

    private void queueTimeoutFired(final long queueTimeoutNanos) {
        leaveQueue(AttemptState.QUEUE_TIMEOUT, () -> context.queueTimeout(remote, queueTimeoutNanos, queueWait()));
    }

    /** Leaves the queue into {@code to}, if still queued; tells the owner unless it cancelled itself. */
    private boolean leaveQueue(final AttemptState to, final Supplier<HalfOpenLimitException> cause) {
        if (!STATE.compareAndSet(this, QUEUED, to.ordinal())) {
            return false;
        }
        final long now = context.ticker.nanoTime();
        cancel(queueTimer);
        context.room.leave();
        final Admission.Waiting place = waiting;
        waiting = null;
        place.withdraw(); // hands on any slot that was on its way to this attempt
        ended(to, cause == null ? null : cause.get(), now);
        return true;
    }

    // ---------------------------------------------------------------- the grant (GrantTrampoline)

    /** Whether this attempt's grant may run inside another grant callback: its owner parks, it never recurses. */
    boolean grantsInline() {
        return listener instanceof BlockingGrant;
    }

    /** Arms the half-open timer, then tells the owner; called once per grant, by the {@link GrantTrampoline}. */
    void runGrantCallback() {
        if (state != HALF_OPEN) {
            return; // cancelled between the grant and this delivery
        }
        try {
            armHalfOpenTimer();
        } catch (final Throwable t) {
            endBeforeConnect(context.schedulerFailed("half-open timeout", t, remote, queueWait()));
            return;
        }
        if (STATES[state].isTerminal()) {
            disarm(); // ended while the timer was being armed (a timeout that fired meanwhile is dropped)
            return;
        }
        try {
            listener.granted(this);
        } catch (final Throwable t) {
            HalfOpenLimiter.LOG.error("AttemptListener.granted threw for an attempt to {}; ending the attempt"
                    + " as failed and freeing its slot", remote, t);
            failed(t);
        }
        if (!DELIVERY.compareAndSet(this, GRANTING, DELIVERED)) {
            tellOwnerToAbort(); // the half-open timer fired while granted() ran
        }
    }

    /**
     * Arms the half-open timer to expire the half-open timeout after the grant. On the limiter's own wheel (its
     * clock is the limiter's ticker) the deadline is computed from the grant's reading, with no second one; on any
     * other scheduler the delay is what remains of the timeout now.
     */
    private void armHalfOpenTimer() {
        final long timeout = context.halfOpenTimeoutNanos;
        final TimerWheel wheel = context.sameClockWheel;
        if (wheel != null && halfOpenTimers == wheel) {
            final long granted = grantedAt;
            final long deadline = granted + timeout;
            wheel.armAt(this, deadline < granted ? Long.MAX_VALUE : deadline); // saturated: the timeout is positive
        } else {
            final long remaining = timeout - (context.ticker.nanoTime() - grantedAt);
            halfOpenTimers.arm(this, Math.max(0L, remaining), TimeUnit.NANOSECONDS);
        }
    }

    /** The half-open timer could not be armed: give the slot back before the owner connects. */
    private void endBeforeConnect(final SchedulerFailedException cause) {
        if (!STATE.compareAndSet(this, HALF_OPEN, AttemptState.FAILED.ordinal())) {
            return; // cancelled meanwhile
        }
        final long now = context.ticker.nanoTime();
        if (!exempt()) {
            context.gate.exit(this, Outcome.CANCELLED); // says nothing about the peer: no SYN was sent
        }
        ended(AttemptState.FAILED, cause, now);
    }

    // ---------------------------------------------------------------- the half-open timer

    /** The half-open timer fired (the node's only arming): see {@link #halfOpenTimeoutFired()}. */
    @Override
    protected void expire() {
        halfOpenTimeoutFired();
    }

    private void halfOpenTimeoutFired() {
        if (!STATE.compareAndSet(this, HALF_OPEN, ABORTING)) {
            return;
        }
        failure = context.halfOpenTimeout(remote, queueWait());
        if (DELIVERY.compareAndSet(this, GRANTING, ABORT_PENDING)) {
            return; // granted() has not returned yet: the delivering thread tells the owner after it
        }
        tellOwnerToAbort();
    }

    /**
     * Once per half-open timeout, after {@code granted} returned, even if the owner reported meanwhile; counts
     * the timeout here, so that {@code halfOpenTimeouts} equals the {@code abort} callbacks. A timeout that
     * fired while the timer was being armed and lost to a report made before {@code granted} ran is neither
     * told nor counted: the owner never heard of the slot.
     */
    private void tellOwnerToAbort() {
        context.counters.halfOpenTimeouts.increment();
        final HalfOpenTimeoutException cause = failure instanceof HalfOpenTimeoutException timeout ? timeout
                : context.halfOpenTimeout(remote, queueWait()); // the owner's failed(cause) replaced it meanwhile
        try {
            listener.abort(this, cause);
        } catch (final Throwable t) {
            HalfOpenLimiter.LOG.error("AttemptListener.abort threw for an attempt to {}", remote, t);
        }
    }

    // ---------------------------------------------------------------- the owner's side (ConnectAttempt)

    @Override
    public AttemptState state() {
        final int s = state;
        return s == ENTERING ? AttemptState.QUEUED : STATES[s];
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
                if (leaveQueue(AttemptState.CANCELLED, null)) {
                    return true;
                }
                continue; // granted or timed out meanwhile: look again
            }
            return end(AttemptState.CANCELLED, null, "cancel()");
        }
    }

    /** After the CAS into a terminal state {@code to}: exits the gate, counts the end and tells the listeners. */
    private void exitAndCount(final AttemptState to, final Throwable cause, final long now) {
        if (!exempt()) {
            context.gate.exit(this, outcomeOf(to, cause));
        }
        if (cause != null) {
            failure = cause;
        }
        context.counters.countEnd(to);
        // NOT_YET: a cancel that won between a hand-off's CAS to HALF_OPEN and that grant's clock reading
        final long granted = grantedAt;
        context.events.attemptEnded(this, createdAt, granted == NOT_YET ? LimitEvents.UNREAD : granted, now);
    }

    /** Ends an attempt that holds a slot and exits the gate; returns false if it had ended already. */
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
                // Only listeners need the end's time: read the clock for them alone, and before the exit, whose
                // hand-off may run the next owners' whole callbacks on this thread.
                final long now = context.events.hasListeners() ? context.ticker.nanoTime() : LimitEvents.UNREAD;
                try {
                    disarm(); // the half-open timer; a no-op if it is not armed yet (see runGrantCallback)
                } finally {
                    // A scheduler whose cancel throws (the simulator's loop refuses other threads) still gets the
                    // end told everywhere, and the slot back; its throwable then reaches the reporting owner.
                    exitAndCount(to, cause, now);
                }
                return true;
            }
            if (s == QUEUED || s == ENTERING) {
                throw new IllegalStateException(call + " reported for an attempt to " + remote
                        + " that is still queued and was never granted a slot; call cancel() to give it up");
            }
            return false;
        }
    }

    /** Records a terminal state reached without a slot (or before the owner heard of one) and tells everyone. */
    private void ended(final AttemptState to, final HalfOpenLimitException cause, final long now) {
        endedAt = now;
        if (cause != null) {
            failure = cause;
        }
        context.counters.countEnd(to);
        if (cause != null) {
            try {
                listener.failed(this, cause);
            } catch (final Throwable t) {
                HalfOpenLimiter.LOG.error("AttemptListener.failed threw for an attempt to {}", remote, t);
            }
        }
        final long granted = grantedAt;
        context.events.attemptEnded(this, (granted == NOT_YET ? now : granted) - createdAt,
                granted == NOT_YET ? 0L : now - granted);
    }

    private static void cancel(final Cancellable timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    /** What the gate learns: the state, and for a failure the cause's type (see {@link Outcome}). */
    static Outcome outcomeOf(final AttemptState state, final Throwable cause) {
        return switch (state) {
            case ESTABLISHED -> Outcome.ESTABLISHED;
            case REFUSED -> Outcome.REFUSED;
            case TIMED_OUT -> Outcome.TIMED_OUT;
            case FAILED -> cause instanceof NoRouteToHostException || cause instanceof PortUnreachableException
                    ? Outcome.UNREACHABLE : Outcome.FAILED;
            default -> Outcome.CANCELLED;
        };
    }

    @Override
    public boolean wasGranted() {
        if (grantedAt != NOT_YET) {
            return true;
        }
        // grantedAt is written just after the CAS to HALF_OPEN: a state that only a grant reaches says it too
        final AttemptState now = state();
        return now.holdsSlot() || now == AttemptState.ESTABLISHED || now == AttemptState.REFUSED
                || now == AttemptState.TIMED_OUT || now == AttemptState.FAILED;
    }

    @Override
    public Duration queueWait() {
        final long granted = grantedAt;
        if (granted != NOT_YET) {
            return Duration.ofNanos(granted - createdAt);
        }
        final long ended = endedAt;
        return Duration.ofNanos((ended != NOT_YET ? ended : context.ticker.nanoTime()) - createdAt);
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
