package io.halfopen.limiter;

import io.halfopen.policy.Admission;
import io.halfopen.policy.AdmissionGate;
import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.policy.Outcome;
import io.halfopen.policy.PolicyContext;
import io.halfopen.profile.WindowsProfile;
import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
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
 */
public final class HalfOpenLimiter implements AutoCloseable {

    static final Logger LOG = LoggerFactory.getLogger(HalfOpenLimiter.class);

    /** XP's half-open timeout: SYNs at 0, 3 and 9 s, given up at 21 s. */
    public static final Duration XP_HALF_OPEN_TIMEOUT = Duration.ofSeconds(21);

    /** XP SP2's limit. */
    public static final int XP_MAX_HALF_OPEN = 10;

    private final String name;
    private final AdmissionPolicy policy;
    private final AdmissionGate gate;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final long halfOpenTimeoutNanos;
    private final long queueTimeoutNanos;
    private final int maxQueued;
    private final LimitEventMode limitEventMode;
    private final boolean exemptLoopback;
    private final LimiterListener[] listeners;
    private final LimiterCounters counters = new LimiterCounters();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger peakQueued = new AtomicInteger();
    private volatile boolean closed;

    private HalfOpenLimiter(final HalfOpenLimiterBuilder builder) {
        this.name = builder.name;
        this.policy = builder.policy;
        this.ticker = builder.ticker;
        this.scheduler = builder.scheduler;
        this.gate = Objects.requireNonNull(policy.newGate(new PolicyContext(ticker, scheduler)),
                () -> "policy " + policy.name() + " returned a null gate");
        this.halfOpenTimeoutNanos = builder.halfOpenTimeout.toNanos();
        this.queueTimeoutNanos = builder.queueTimeout == null ? 0L : builder.queueTimeout.toNanos();
        this.maxQueued = builder.maxQueued;
        this.limitEventMode = builder.limitEventMode;
        this.exemptLoopback = builder.exemptLoopback;
        this.listeners = builder.listeners.toArray(new LimiterListener[0]);
    }

    static HalfOpenLimiter build(final HalfOpenLimiterBuilder builder) {
        return new HalfOpenLimiter(builder);
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
     * {@link AttemptListener#granted} runs when the attempt holds a slot: before this method returns if one is
     * free now, later otherwise (see {@link AttemptListener} for which thread). If the limiter is closed or
     * the queue is full, {@link AttemptListener#failed} runs before this method returns.
     *
     * @param remote   the resolved address to connect to
     * @param listener the owner's callbacks
     * @return the attempt's handle, on which the owner reports the outcome or cancels
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code remote} is unresolved
     */
    public ConnectAttempt newAttempt(final InetSocketAddress remote, final AttemptListener listener) {
        return start(remote, listener, queueTimeoutNanos, scheduler);
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
        return start(remote, listener, queueTimeoutNanos, Objects.requireNonNull(halfOpenTimers,
                "halfOpenTimers"));
    }

    /**
     * Whether this limiter's timers run on the process's shared timer thread, in real time (the default, when
     * no scheduler or clock was configured).
     *
     * @return whether the scheduler is {@link Scheduler#system()}
     */
    public boolean usesSystemScheduler() {
        return scheduler == Scheduler.system();
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
     * @param remote  the resolved address to connect to
     * @param maxWait how long to wait for a slot at most (the limiter's queue timeout applies too, if shorter)
     * @return the attempt, in state {@link AttemptState#HALF_OPEN}
     * @throws InterruptedException   if interrupted while waiting; the attempt is cancelled, no slot is held
     * @throws HalfOpenLimitException if the wait timed out ({@link QueueTimeoutException}), the queue was full
     *                                ({@link QueueFullException}) or the limiter closed
     *                                ({@link LimiterClosedException})
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
        final long maxWaitNanos = HalfOpenLimiterBuilder.positiveNanos("maxWait", maxWait);
        final long timeout = queueTimeoutNanos > 0 ? Math.min(queueTimeoutNanos, maxWaitNanos) : maxWaitNanos;
        final BlockingGrant grant = new BlockingGrant(Thread.currentThread(), onHalfOpenTimeout);
        final ConnectAttempt attempt = start(remote, grant, timeout, scheduler);
        return grant.await(attempt);
    }

    private ConnectAttempt start(final InetSocketAddress remote, final AttemptListener listener,
            final long queueTimeout, final Scheduler halfOpenTimers) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(listener, "listener");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("remote must be a resolved address (the limit applies to TCP"
                    + " connects, after name resolution), was unresolved " + remote);
        }
        final boolean exempt = exemptLoopback && remote.getAddress().isLoopbackAddress();
        final DefaultConnectAttempt attempt = new DefaultConnectAttempt(this, remote, listener, queueTimeout,
                exempt, halfOpenTimers);
        if (closed) {
            attempt.rejected(closedException(remote));
            return attempt;
        }
        if (exempt) {
            attempt.admittedAtOnce();
            return attempt;
        }
        final Admission admission = gate.enter(attempt);
        switch (admission) {
            case ADMITTED -> {
                if (!attempt.waited()) {
                    attempt.admittedAtOnce();
                } else if (!attempt.tryAdmit()) {
                    gate.exit(attempt, Outcome.CANCELLED); // its queue timeout fired as it took a deposited permit
                }
            }
            case QUEUED -> {
                if (closed) {
                    attempt.failBecauseClosed(); // raced with close(): it may have missed this attempt
                }
            }
            case REJECTED -> attempt.rejected(new QueueFullException(maxQueued, remote, maxHalfOpen(), queued.get(),
                    Duration.ZERO));
            default -> throw new IllegalStateException("unknown admission " + admission);
        }
        return attempt;
    }

    /**
     * Closes the limiter: every queued attempt fails with {@link LimiterClosedException}, and so does every
     * later {@link #newAttempt}. Attempts that hold slots are left to their owners, who still report their
     * outcomes. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        gate.forEachQueued(ticket -> ((DefaultConnectAttempt) ticket).failBecauseClosed());
    }

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Returns a snapshot of the gauges and counters. Lock-free and cheap enough to poll every millisecond.
     *
     * @return the stats
     */
    public LimiterStats stats() {
        return new LimiterStats(
                maxHalfOpen(),
                gate.halfOpen(),
                queued.get(),
                gate.peakHalfOpen(),
                peakQueued.get(),
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
     * Returns the limit in force: the policy's {@link AdmissionPolicy#maxHalfOpen()}.
     *
     * @return the limit, {@link Integer#MAX_VALUE} for none
     */
    public int maxHalfOpen() {
        return policy.maxHalfOpen();
    }

    /**
     * Returns the admission policy.
     *
     * @return the policy
     */
    public AdmissionPolicy policy() {
        return policy;
    }

    /**
     * Returns the half-open timeout.
     *
     * @return the timeout
     */
    public Duration halfOpenTimeout() {
        return Duration.ofNanos(halfOpenTimeoutNanos);
    }

    /**
     * Returns the queue timeout, or {@code null} if attempts may wait forever (XP's behaviour).
     *
     * @return the timeout or {@code null}
     */
    public Duration queueTimeout() {
        return queueTimeoutNanos == 0 ? null : Duration.ofNanos(queueTimeoutNanos);
    }

    /**
     * Returns the most attempts that may wait, {@link Integer#MAX_VALUE} for no bound (XP's behaviour).
     *
     * @return the bound
     */
    public int maxQueued() {
        return maxQueued;
    }

    /**
     * Returns the limiter's name, used in logs.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        final LimiterStats stats = stats();
        return "HalfOpenLimiter[" + name + ", " + policy.name() + ", halfOpen=" + stats.halfOpen() + ", queued="
                + stats.queued() + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------ for DefaultConnectAttempt

    Ticker ticker() {
        return ticker;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    AdmissionGate gate() {
        return gate;
    }

    LimiterCounters counters() {
        return counters;
    }

    long halfOpenTimeoutNanos() {
        return halfOpenTimeoutNanos;
    }

    int queuedNow() {
        return queued.get();
    }

    LimiterClosedException closedException(final InetSocketAddress remote) {
        return new LimiterClosedException(name, remote, maxHalfOpen(), queued.get(), Duration.ZERO);
    }

    /**
     * Counts an attempt into the queue unless the queue is full; raises event 4226 as configured. Slow path
     * only: called by the gate when no slot is free.
     */
    boolean reserveQueueSlot(final InetSocketAddress remote) {
        int before;
        do {
            before = queued.get();
            if (before >= maxQueued) {
                return false;
            }
        } while (!queued.compareAndSet(before, before + 1));
        final int now = before + 1;
        if (now > peakQueued.get()) {
            peakQueued.accumulateAndGet(now, Math::max);
        }
        counters.throttled.increment();
        if (limitEventMode == LimitEventMode.EVERY_THROTTLED_ATTEMPT
                || (limitEventMode == LimitEventMode.ONCE_PER_EPISODE && before == 0)) {
            raiseLimitReached(remote, now);
        }
        return true;
    }

    void leftQueue() {
        queued.decrementAndGet();
    }

    private void raiseLimitReached(final InetSocketAddress remote, final int queuedNow) {
        counters.limitReachedEvents.increment();
        LOG.warn("Event {} ({}, Warning): {} [halfopen limiter '{}': {} half-open allowed, {} queued, remote {}]",
                Event4226.ID, Event4226.SOURCE, Event4226.TEXT, name, maxHalfOpen(), queuedNow, remote);
        if (jdk.jfr.FlightRecorder.isInitialized()) { // see LimitReachedJfrEvent: never load it otherwise
            final LimitReachedJfrEvent jfr = new LimitReachedJfrEvent();
            if (jfr.shouldCommit()) {
                jfr.remote = String.valueOf(remote);
                jfr.queued = queuedNow;
                jfr.maxHalfOpen = maxHalfOpen();
                jfr.commit();
            }
        }
        if (listeners.length > 0) {
            final LimitReached event = new LimitReached(remote, queuedNow, maxHalfOpen(), ticker.nanoTime());
            for (final LimiterListener listener : listeners) {
                try {
                    listener.limitReached(event);
                } catch (final Throwable t) {
                    LOG.error("LimiterListener.limitReached threw", t);
                }
            }
        }
    }

    void attemptEnded(final ConnectAttempt attempt, final long queueWaitNanos, final long halfOpenNanos) {
        if (listeners.length == 0) {
            return;
        }
        final Duration queueWait = Duration.ofNanos(Math.max(0, queueWaitNanos));
        final Duration halfOpen = Duration.ofNanos(Math.max(0, halfOpenNanos));
        for (final LimiterListener listener : listeners) {
            try {
                listener.attemptEnded(attempt, queueWait, halfOpen);
            } catch (final Throwable t) {
                LOG.error("LimiterListener.attemptEnded threw", t);
            }
        }
    }

    /** The listener behind {@link #acquire}: parks the caller until the attempt is granted or fails. */
    private static final class BlockingGrant implements AttemptListener {
        private static final int WAITING = 0;
        private static final int GRANTED = 1;
        private static final int FAILED = 2;

        private final Thread waiter;
        private final Runnable onHalfOpenTimeout;
        private volatile int outcome = WAITING;
        private volatile HalfOpenLimitException failure;

        BlockingGrant(final Thread waiter, final Runnable onHalfOpenTimeout) {
            this.waiter = waiter;
            this.onHalfOpenTimeout = onHalfOpenTimeout;
        }

        @Override
        public void granted(final ConnectAttempt attempt) {
            outcome = GRANTED;
            LockSupport.unpark(waiter);
        }

        @Override
        public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
            failure = cause;
            outcome = FAILED;
            LockSupport.unpark(waiter);
        }

        @Override
        public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
            if (onHalfOpenTimeout != null) {
                onHalfOpenTimeout.run();
            }
        }

        ConnectAttempt await(final ConnectAttempt attempt) throws InterruptedException, HalfOpenLimitException {
            while (outcome == WAITING) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    attempt.cancel(); // leaves the queue, or frees a slot granted meanwhile: no socket yet
                    throw new InterruptedException("interrupted while waiting for a half-open slot to "
                            + attempt.remote() + " (waited " + HalfOpenLimitException.format(attempt.queueWait())
                            + ")");
                }
            }
            if (outcome == FAILED) {
                final HalfOpenLimitException cause = failure;
                cause.fillInStackTrace(); // point at the caller, not at the timer thread
                throw cause;
            }
            return attempt;
        }
    }
}
