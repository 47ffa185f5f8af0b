package io.halfopen.limiter;

import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.profile.WindowsProfile;
import io.halfopen.time.Scheduler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throttles outbound TCP connect attempts the way Windows XP SP2's TCP/IP stack did: at most
 * {@code maxHalfOpen} attempts (10 by default) may be half-open at once (SYN sent, neither SYN-ACK nor RST
 * back yet); the others wait in a FIFO queue and go as slots free; throttling raises the equivalent of event
 * 4226.
 *
 * <p>One instance stands for one host's TCP stack: share it between every connection of the process. It is
 * thread-safe and never blocks, except in {@link #acquire(InetSocketAddress, Duration)}, which is meant for
 * plain blocking sockets and parks without pinning a virtual thread.
 *
 * <pre>{@code
 * HalfOpenLimiter limiter = HalfOpenLimiter.xpSp2();          // 10 half-open, FIFO queue, 21 s timeout
 * limiter.newAttempt(remote, new AttemptListener() {
 *     public void granted(ConnectAttempt attempt) { startConnect(attempt); }   // report the outcome later
 *     public void failed(ConnectAttempt attempt, HalfOpenLimitException e) { giveUp(e); }
 *     public void abort(ConnectAttempt attempt, HalfOpenTimeoutException e) { closeSocketThenReport(attempt); }
 * });
 * }</pre>
 *
 * <p>What XP did and which option reproduces it: the project's README and {@code FACTS.md}.
 *
 * <p>A facade: each attempt is a {@code DefaultConnectAttempt} that carries its own state machine and shares
 * the limiter's immutable {@code AttemptContext} (gate, clock, timeouts, counters), its {@code WaitingRoom}
 * (the queue's count, bound and 4226 episode) and its {@code LimitEvents} (log line, JFR, listeners).
 */
public final class HalfOpenLimiter implements AutoCloseable {

    static final Logger LOG = LoggerFactory.getLogger(HalfOpenLimiter.class);

    /** XP's half-open timeout: SYNs at 0, 3 and 9 s, given up at 21 s. */
    public static final Duration XP_HALF_OPEN_TIMEOUT = Duration.ofSeconds(21);

    /** XP SP2's limit. */
    public static final int XP_MAX_HALF_OPEN = 10;

    private final AttemptContext context;

    private HalfOpenLimiter(final AttemptContext context) {
        this.context = context;
    }

    static HalfOpenLimiter build(final AttemptContext context) {
        return new HalfOpenLimiter(context);
    }

    /**
     * Returns a limiter that behaves as Windows XP SP2 did: 10 half-open attempts, an unbounded FIFO queue with
     * no queue timeout, a half-open timeout of 21 s, event 4226 once per throttling episode, loopback counted.
     *
     * @return a new limiter on the system clock
     */
    public static HalfOpenLimiter xpSp2() {
        return builder().build();
    }

    /**
     * Returns a limiter with a Windows version's half-open limit (unlimited for versions without one), and
     * otherwise XP SP2's settings.
     *
     * @param profile the Windows version
     * @return a new limiter on the system clock
     */
    public static HalfOpenLimiter forProfile(final WindowsProfile profile) {
        return builder().profile(profile).build();
    }

    /**
     * Returns a builder preset to XP SP2's behaviour; every option says what it changes.
     *
     * @return a new builder
     */
    public static HalfOpenLimiterBuilder builder() {
        return new HalfOpenLimiterBuilder();
    }

    /**
     * Starts an attempt to connect to {@code remote}, without blocking. The listener's
     * {@link AttemptListener#granted} runs when the attempt holds a slot: if one is free now, before this
     * method returns, unless this thread is already inside a grant callback of a limiter (then right after
     * that callback returns, on this thread, so that a chain of instant retries never recurses); later
     * otherwise (see {@link AttemptListener} for which thread). If the limiter is closed, the queue is full or
     * the policy refuses the attempt, {@link AttemptListener#failed} runs before this method returns.
     *
     * @param remote   the resolved address to connect to
     * @param listener the owner's callbacks
     * @return the attempt's handle, on which the owner reports the outcome or cancels
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code remote} is unresolved
     */
    public ConnectAttempt newAttempt(final InetSocketAddress remote, final AttemptListener listener) {
        return start(remote, listener, context.queueTimeoutNanos, context.scheduler);
    }

    /**
     * As {@link #newAttempt(InetSocketAddress, AttemptListener)}, but arms the attempt's half-open timer on
     * {@code halfOpenTimers} instead of the limiter's scheduler: for an owner with a scheduler of its own, such
     * as the event loop of the channel that connects, so that a connect wakes no other thread to arm and
     * cancel its timer. The timer is armed when the slot is granted, on the granting thread, and the abort
     * callback runs wherever {@code halfOpenTimers} runs it. Queue timeouts stay on the limiter's scheduler.
     * Meant for limiters on real time ({@link #usesSystemScheduler()}): with a {@code VirtualClock} the timer
     * would not follow virtual time.
     *
     * @param remote         the resolved address to connect to
     * @param listener       the owner's callbacks
     * @param halfOpenTimers where to arm the half-open timer
     * @return the attempt's handle
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code remote} is unresolved
     */
    public ConnectAttempt newAttempt(final InetSocketAddress remote, final AttemptListener listener,
            final Scheduler halfOpenTimers) {
        return start(remote, listener, context.queueTimeoutNanos, Objects.requireNonNull(halfOpenTimers,
                "halfOpenTimers"));
    }

    /**
     * As {@link #newAttempt(InetSocketAddress, AttemptListener)}, but the attempt waits in the queue at most
     * {@code maxWait} (or the limiter's queue timeout, if shorter), then fails with a
     * {@link QueueTimeoutException} naming the bound that expired: for an owner whose connect has a deadline of
     * its own, such as a Netty channel's connect timeout, so that the queue does not outlast it.
     *
     * @param remote  the resolved address to connect to
     * @param listener the owner's callbacks
     * @param maxWait how long the attempt may wait for a slot at most, positive
     * @return the attempt's handle
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code remote} is unresolved or {@code maxWait} is not positive
     */
    public ConnectAttempt newAttemptWithin(final InetSocketAddress remote, final AttemptListener listener,
            final Duration maxWait) {
        return start(remote, listener, boundedQueueWait(maxWait), context.scheduler);
    }

    /**
     * As {@link #newAttempt(InetSocketAddress, AttemptListener, Scheduler)} (the half-open timer on
     * {@code halfOpenTimers}) and {@link #newAttemptWithin(InetSocketAddress, AttemptListener, Duration)} (the queue
     * wait bounded by {@code maxWait}) at once. The queue timer stays on the limiter's scheduler.
     *
     * @param remote         the resolved address to connect to
     * @param listener       the owner's callbacks
     * @param maxWait        how long the attempt may wait for a slot at most, positive
     * @param halfOpenTimers where to arm the half-open timer
     * @return the attempt's handle
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code remote} is unresolved or {@code maxWait} is not positive
     */
    public ConnectAttempt newAttemptWithin(final InetSocketAddress remote, final AttemptListener listener,
            final Duration maxWait, final Scheduler halfOpenTimers) {
        return start(remote, listener, boundedQueueWait(maxWait), Objects.requireNonNull(halfOpenTimers,
                "halfOpenTimers"));
    }

    /** The queue timeout of an attempt that waits at most {@code maxWait}: the shorter of it and the limiter's. */
    private long boundedQueueWait(final Duration maxWait) {
        final long maxWaitNanos = HalfOpenLimiterBuilder.positiveNanos("maxWait", maxWait);
        final long queueTimeout = context.queueTimeoutNanos;
        return queueTimeout > 0 ? Math.min(queueTimeout, maxWaitNanos) : maxWaitNanos;
    }

    /**
     * Whether this limiter's timers run on the process's shared timer thread, in real time (the default, when
     * no scheduler or clock was configured).
     *
     * @return whether the scheduler is {@link Scheduler#system()}
     */
    public boolean usesSystemScheduler() {
        return context.scheduler == Scheduler.system();
    }

    /**
     * Waits until an attempt to connect to {@code remote} holds a slot, then returns it: for plain blocking
     * sockets. The caller connects, then reports the outcome on the returned attempt. Parks with
     * {@link LockSupport}, so a virtual thread is unmounted while it waits, never pinned.
     *
     * <p>If the attempt is still half-open when the half-open timeout expires, it moves to
     * {@link AttemptState#ABORTING}; the caller should bound its own connect by the same timeout and report
     * {@link ConnectAttempt#aborted()}. Use {@link #acquire(InetSocketAddress, Duration, Runnable)} to be
     * called back instead.
     *
     * <p>Callbacks must not block, but if this is called inside one (a grant callback of this or another
     * limiter), it still returns at once when a slot is free, and otherwise waits at most {@code maxWait}.
     *
     * @param remote  the resolved address to connect to
     * @param maxWait how long to wait for a slot at most (the limiter's queue timeout applies too, if shorter)
     * @return the attempt, in state {@link AttemptState#HALF_OPEN}
     * @throws InterruptedException   if interrupted while waiting; the attempt is cancelled, no slot is held
     * @throws HalfOpenLimitException if the wait timed out ({@link QueueTimeoutException}), the queue was full
     *                                ({@link QueueFullException}), the limiter closed
     *                                ({@link LimiterClosedException}), the policy refused the attempt
     *                                ({@link PolicyRefusedException}) or the scheduler failed
     *                                ({@link SchedulerFailedException})
     */
    public ConnectAttempt acquire(final InetSocketAddress remote, final Duration maxWait)
            throws InterruptedException, HalfOpenLimitException {
        return acquire(remote, maxWait, null);
    }

    /**
     * As {@link #acquire(InetSocketAddress, Duration)}, and runs {@code onHalfOpenTimeout} (on the scheduler's
     * thread) if the half-open timeout expires before the caller reports an outcome: it should close the
     * socket, after which the caller reports {@link ConnectAttempt#aborted()}.
     *
     * @param remote            the resolved address to connect to
     * @param maxWait           how long to wait for a slot at most, positive
     * @param onHalfOpenTimeout what to do when the half-open timeout expires, or {@code null}
     * @return the attempt, in state {@link AttemptState#HALF_OPEN}
     * @throws InterruptedException   if interrupted while waiting; the attempt is cancelled
     * @throws HalfOpenLimitException if the attempt failed without a slot
     */
    public ConnectAttempt acquire(final InetSocketAddress remote, final Duration maxWait,
            final Runnable onHalfOpenTimeout) throws InterruptedException, HalfOpenLimitException {
        final long timeout = boundedQueueWait(maxWait);
        final BlockingGrant grant = new BlockingGrant(Thread.currentThread(), onHalfOpenTimeout);
        return grant.await(start(remote, grant, timeout, context.scheduler));
    }

    private ConnectAttempt start(final InetSocketAddress remote, final AttemptListener listener,
            final long queueTimeout, final Scheduler halfOpenTimers) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(listener, "listener");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("remote must be a resolved address (the limit applies to TCP"
                    + " connects, after name resolution), was unresolved " + remote);
        }
        final DefaultConnectAttempt attempt = new DefaultConnectAttempt(context, remote, listener, halfOpenTimers);
        attempt.start(queueTimeout);
        return attempt;
    }

    /**
     * Closes the limiter: every queued attempt fails with {@link LimiterClosedException}, and so does every
     * later {@link #newAttempt}. Attempts that hold slots are left to their owners, who still report their
     * outcomes. Idempotent.
     */
    @Override
    public void close() {
        if (context.room.close()) {
            // Collect first, fail afterwards: failing withdraws the ticket from the gate (and may grant the next
            // one), which must not run inside the gate's forEachQueued, under whatever lock it iterates with.
            final List<DefaultConnectAttempt> queued = new ArrayList<>();
            try {
                context.gate.forEachQueued(ticket -> queued.add((DefaultConnectAttempt) ticket));
            } finally {
                for (final DefaultConnectAttempt attempt : queued) {
                    attempt.failBecauseClosed();
                }
                context.gate.close();
                context.events.flush(); // a 4226 folded by limitEventMinInterval is raised now, not left to a timer
            }
        }
    }

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return context.room.isClosed();
    }

    /**
     * Returns a snapshot of the gauges and counters. Lock-free and cheap enough to poll every millisecond.
     *
     * @return the stats
     */
    public LimiterStats stats() {
        final LimiterCounters counters = context.counters;
        return new LimiterStats(
                maxHalfOpen(),
                context.gate.halfOpen(),
                context.room.queued(),
                context.gate.peakHalfOpen(),
                context.room.peakQueued(),
                counters.granted.sum(),
                counters.throttled.sum(),
                counters.queueTimeouts.sum(),
                counters.halfOpenTimeouts.sum(),
                counters.rejected.sum(),
                counters.cancelled.sum(),
                counters.established.sum(),
                counters.refused.sum(),
                counters.failed.sum(),
                counters.timedOut.sum(),
                counters.limitReachedEvents.sum());
    }

    /**
     * Returns the limit in force: the policy's {@link AdmissionPolicy#maxHalfOpen()}; none in shadow mode,
     * which enforces nothing ({@link ShadowStats#maxHalfOpen()} has the policy's).
     *
     * @return the limit, {@link Integer#MAX_VALUE} for none
     */
    public int maxHalfOpen() {
        return isShadow() ? Integer.MAX_VALUE : context.maxHalfOpen();
    }

    /**
     * Returns whether this limiter runs in shadow mode ({@link HalfOpenLimiterBuilder#shadow(boolean)}): it
     * admits every attempt at once and records what its policy would have done.
     *
     * @return whether in shadow mode
     */
    public boolean isShadow() {
        return context.gate instanceof ShadowGate;
    }

    /**
     * Returns what the policy would have done, for a limiter in shadow mode: a snapshot, lock-free and cheap
     * enough to poll.
     *
     * @return the shadow world's figures, or empty if this limiter is not in shadow mode
     */
    public Optional<ShadowStats> shadowStats() {
        return context.gate instanceof ShadowGate shadow
                ? Optional.of(shadow.stats(context.policy.name(), context.maxHalfOpen()))
                : Optional.empty();
    }

    /**
     * Adds a listener to this limiter, after the ones given to the builder and any added before: for a
     * metrics binder or a test fixture that gets a limiter already built. Thread-safe, and free for attempts
     * while no listener is registered (a delivery reads one volatile array and finds it empty).
     *
     * <p>Ordering: the listener hears every event raised, and every attempt that ends, after this method
     * returns (in the happens-before sense); one raised on another thread meanwhile may or may not reach it.
     * Listeners are called in the order they were added, the builder's first. The same listener added twice is
     * called twice.
     *
     * @param listener the listener
     * @throws NullPointerException if {@code listener} is null
     */
    public void addListener(final LimiterListener listener) {
        context.events.add(listener);
    }

    /**
     * Removes a listener added with {@link #addListener} or given to the builder (its last registration, if it
     * was added more than once). A delivery already under way on another thread may still call it once; none
     * that starts after this method returns does.
     *
     * @param listener the listener
     * @return whether it was registered
     */
    public boolean removeListener(final LimiterListener listener) {
        return context.events.remove(listener);
    }

    /**
     * Returns the admission policy: the one in force, or in shadow mode the one being evaluated.
     *
     * @return the policy
     */
    public AdmissionPolicy policy() {
        return context.policy;
    }

    /**
     * Returns the half-open timeout.
     *
     * @return the timeout
     */
    public Duration halfOpenTimeout() {
        return Duration.ofNanos(context.halfOpenTimeoutNanos);
    }

    /**
     * Returns the queue timeout, or {@code null} if attempts may wait forever (XP's behaviour).
     *
     * @return the timeout or {@code null}
     */
    public Duration queueTimeout() {
        return context.queueTimeoutNanos == 0 ? null : Duration.ofNanos(context.queueTimeoutNanos);
    }

    /**
     * Returns the most attempts that may wait, {@link Integer#MAX_VALUE} for no bound (XP's behaviour).
     *
     * @return the bound
     */
    public int maxQueued() {
        return context.room.maxQueued();
    }

    /**
     * Returns the limiter's name, used in logs.
     *
     * @return the name
     */
    public String name() {
        return context.name;
    }

    @Override
    public String toString() {
        final LimiterStats stats = stats();
        return "HalfOpenLimiter[" + context.name + ", " + (isShadow() ? "shadow(" + context.policy.name() + ")"
                : context.policy.name()) + ", halfOpen=" + stats.halfOpen()
                + ", queued=" + stats.queued() + (isClosed() ? ", closed" : "") + "]";
    }
}
