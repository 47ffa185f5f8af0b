package io.halfopen.limiter;

import io.halfopen.policy.Admission;
import io.halfopen.policy.AdmissionGate;
import io.halfopen.policy.AdmissionTicket;
import io.halfopen.policy.Outcome;
import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Shadow mode's gate: admits every real attempt at once, and runs the chosen policy's own gate beside it on a
 * shadow ticket per attempt, to record what that policy would have done. Works for any policy through the
 * seam: the inner gate sees a ticket that enters, waits, is granted and exits as the attempt would have under
 * the policy, and never learns that the real attempt went ahead.
 *
 * <h2>The shadow world</h2>
 * A real attempt that enters at {@code a} and exits at {@code a + D} (its real half-open time {@code D},
 * whatever the outcome) is, in the shadow world, an attempt that arrives at {@code a}, waits {@code W} until
 * the inner gate grants its shadow ticket, holds that shadow slot for the same {@code D}, and exits with the
 * same outcome at {@code a + W + D}. So the shadow queue evolves as the real queue would have, on the
 * assumption that waiting changes neither how long a connect takes nor how it ends. Two cases, whichever
 * happens second doing the work:
 * <ul>
 *   <li>the shadow ticket is granted first (at once, {@code W = 0}, the common case; or after waiting): when the
 *       real attempt exits, the shadow exits {@code W} later (on this thread when {@code W} is zero, else by a
 *       timer on the limiter's scheduler);</li>
 *   <li>the real attempt exits while its shadow still waits ({@code D} is then known): when the shadow is
 *       granted, it exits {@code D} later, by a timer (never inside the inner gate's {@code tryAdmit}, so a
 *       chain of grants never recurses).</li>
 * </ul>
 * What the shadow world does not model: owners' own timeouts (an owner that would have given up waiting still
 * counts as waiting), the limiter's queue bound and queue timeout (the builder refuses both in shadow mode:
 * the would-have-waited histogram answers "how many would have waited longer than X").
 *
 * <h2>Records</h2>
 * A shadow ticket that has to wait counts as would-have-queued and starts a shadow 4226 episode when the
 * shadow queue was empty (through {@link LimitEvents#wouldHaveQueued}); its grant tells the listeners how long
 * it would have waited ({@link LimitEvents#wouldHaveWaited}, zero included). A policy's refusal counts as
 * would-have-refused; the real attempt goes ahead anyway.
 *
 * <h2>The real attempts never wait</h2>
 * {@link #enter} always answers {@link Admission#admitted()}. It takes no lock of its own; the inner gate's
 * {@code enter} is non-blocking by the gate contract; the map from real to shadow ticket is a
 * {@link ConcurrentHashMap}. So a real attempt pays the inner gate's {@code enter} and a map insertion, and
 * its exit the inner gate's {@code exit} (or a timer) and a map removal.
 *
 * <h2>Shadow ticket state</h2>
 * {@code state} holds one of {@code ENTERING, WAITING, GRANTED, REFUSED, WITHDRAWN} in its low bits and
 * {@code REAL_ENDED} as a flag, changed only by CAS. The real exit sets {@code REAL_ENDED} after writing the
 * real end time and outcome; the grant moves to {@code GRANTED} after writing the grant time. Each reads the
 * other's fields only after its CAS saw the other's bit, so the CAS orders them (volatile semantics).
 * Whoever's CAS completes the pair {@code GRANTED | REAL_ENDED} arms the shadow exit, exactly once. On close,
 * waiting shadow tickets are withdrawn ({@code WAITING → WITHDRAWN}), the inner gate's contract on close.
 *
 * <p>Thread-safe; lock-free apart from what the inner gate and the scheduler do.
 */
final class ShadowGate implements AdmissionGate {

    private final AdmissionGate inner;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final LimitEvents events;
    private final LongAdder shadowEvents;
    private final ConcurrentHashMap<AdmissionTicket, ShadowTicket> shadows = new ConcurrentHashMap<>();

    private final AtomicInteger realHalfOpen = new AtomicInteger();
    private final AtomicInteger realPeak = new AtomicInteger();
    private final AtomicInteger shadowQueued = new AtomicInteger();
    private final AtomicInteger shadowPeakQueued = new AtomicInteger();
    private final LongAdder wouldHaveQueued = new LongAdder();
    private final LongAdder wouldHaveRefused = new LongAdder();
    private final LongAdder shadowGranted = new LongAdder();
    private final LongAdder waitedNanos = new LongAdder();
    private final AtomicLong maxWaitNanos = new AtomicLong();

    ShadowGate(final AdmissionGate inner, final Ticker ticker, final Scheduler scheduler, final LimitEvents events,
            final LongAdder shadowEvents) {
        this.inner = inner;
        this.shadowEvents = shadowEvents;
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.events = events;
    }

    // ---------------------------------------------------------------- the real attempts

    @Override
    public Admission enter(final AdmissionTicket ticket) {
        final int now = realHalfOpen.incrementAndGet();
        if (now > realPeak.get()) {
            realPeak.accumulateAndGet(now, Math::max);
        }
        final ShadowTicket shadow = new ShadowTicket(ticket.remote(), ticker.nanoTime());
        shadows.put(ticket, shadow);
        shadow.enter();
        return Admission.admitted();
    }

    @Override
    public void exit(final AdmissionTicket ticket, final Outcome outcome) {
        realHalfOpen.decrementAndGet();
        final ShadowTicket shadow = shadows.remove(ticket);
        if (shadow != null) {
            shadow.realEnded(outcome);
        }
    }

    @Override
    public int halfOpen() {
        return realHalfOpen.get();
    }

    @Override
    public int peakHalfOpen() {
        return realPeak.get();
    }

    @Override
    public void forEachQueued(final Consumer<? super AdmissionTicket> action) {
        // real attempts never wait here
    }

    @Override
    public void close() {
        inner.forEachQueued(ticket -> {
            if (ticket instanceof ShadowTicket shadow) {
                shadow.withdrawBecauseClosed();
            }
        });
        inner.close();
    }

    // ---------------------------------------------------------------- the shadow world's figures

    ShadowStats stats(final String policy, final int maxHalfOpen) {
        return new ShadowStats(policy, maxHalfOpen, inner.halfOpen(), shadowQueued.get(), inner.peakHalfOpen(),
                shadowPeakQueued.get(), shadowGranted.sum(), wouldHaveQueued.sum(), wouldHaveRefused.sum(),
                Duration.ofNanos(waitedNanos.sum()), Duration.ofNanos(maxWaitNanos.get()), shadowEvents.sum());
    }

    private void scheduleExit(final ShadowTicket shadow, final long delayNanos) {
        try {
            scheduler.schedule(shadow::exitInner, delayNanos, TimeUnit.NANOSECONDS);
        } catch (final Throwable t) {
            HalfOpenLimiter.LOG.error("shadow mode: the scheduler refused the timer that ends a shadow attempt to {}"
                    + " {} ns from now; ending it at once (the shadow world is off by that much)", shadow.remote,
                    delayNanos, t);
            shadow.exitInner();
        }
    }

    // ---------------------------------------------------------------- one shadow ticket

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ShadowTicket.class, "state", int.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int ENTERING = 0;
    private static final int WAITING = 1;
    private static final int GRANTED = 2;
    private static final int REFUSED = 3;
    private static final int WITHDRAWN = 4;
    private static final int PHASE = 0b111;
    private static final int REAL_ENDED = 0b1000;

    /** What the inner gate sees of one real attempt. */
    final class ShadowTicket implements AdmissionTicket {

        private final InetSocketAddress remote;
        private final long arrivedAt;
        @SuppressWarnings("FieldMayBeFinal") // written through STATE
        private volatile int state = ENTERING;
        private Admission.Waiting waiting;   // written before the CAS to WAITING
        private long grantedAt;              // written before the CAS to GRANTED
        private long realEndedAt;            // written before the CAS that sets REAL_ENDED
        private Outcome outcome;             // written before the CAS that sets REAL_ENDED

        ShadowTicket(final InetSocketAddress remote, final long arrivedAt) {
            this.remote = remote;
            this.arrivedAt = arrivedAt;
        }

        @Override
        public InetSocketAddress remote() {
            return remote;
        }

        void enter() {
            final Admission admission;
            try {
                admission = inner.enter(this);
            } catch (final Throwable t) {
                HalfOpenLimiter.LOG.error("shadow mode: the policy's gate threw on enter for {}; its shadow is"
                        + " dropped (the real attempt goes ahead)", remote, t);
                moveTo(REFUSED);
                return;
            }
            if (admission == Admission.admitted()) {
                grant();
            } else if (admission instanceof Admission.Waiting place) {
                waiting = place;
                final int before = shadowQueued.getAndIncrement(); // counted in before the CAS, as the WaitingRoom does
                if (before + 1 > shadowPeakQueued.get()) {
                    shadowPeakQueued.accumulateAndGet(before + 1, Math::max);
                }
                if (!STATE.compareAndSet(this, ENTERING, WAITING)) {
                    shadowQueued.decrementAndGet(); // granted while being counted in: it never waited
                    return;
                }
                wouldHaveQueued.increment();
                events.wouldHaveQueued(remote, before);
            } else {
                wouldHaveRefused.increment();
                moveTo(REFUSED);
            }
        }

        @Override
        public boolean tryAdmit() {
            return grant();
        }

        /**
         * The inner gate grants the shadow: at once ({@code enter} admitted it, or offered it a slot before
         * {@code enter} returned: no wait), or from the queue. Returns false if it was withdrawn meanwhile.
         */
        private boolean grant() {
            final long now = ticker.nanoTime();
            while (true) {
                final int s = state;
                final int phase = s & PHASE;
                if (phase != ENTERING && phase != WAITING) {
                    return false; // withdrawn on close
                }
                final long wait = phase == WAITING ? Math.max(0L, now - arrivedAt) : 0L;
                grantedAt = arrivedAt + wait;
                if (STATE.compareAndSet(this, s, GRANTED | (s & REAL_ENDED))) {
                    if (phase == WAITING) {
                        shadowQueued.decrementAndGet();
                    }
                    shadowGranted.increment();
                    if (wait > 0) {
                        waitedNanos.add(wait);
                        if (wait > maxWaitNanos.get()) {
                            maxWaitNanos.accumulateAndGet(wait, Math::max);
                        }
                    }
                    events.wouldHaveWaited(remote, wait);
                    if ((s & REAL_ENDED) != 0) {
                        scheduleExit(this, realEndedAt - arrivedAt); // D; never exit inside the gate's offer
                    }
                    return true;
                }
            }
        }

        /** The real attempt exited; the shadow exits {@code W} after it, once it is granted. */
        void realEnded(final Outcome realOutcome) {
            realEndedAt = ticker.nanoTime();
            outcome = realOutcome;
            while (true) {
                final int s = state;
                if (STATE.compareAndSet(this, s, s | REAL_ENDED)) {
                    if ((s & PHASE) == GRANTED) {
                        final long wait = grantedAt - arrivedAt; // exactly 0 for a shadow granted at once
                        if (wait == 0) {
                            exitInner();
                        } else {
                            scheduleExit(this, wait);
                        }
                    }
                    return;
                }
            }
        }

        void withdrawBecauseClosed() {
            while (true) {
                final int s = state;
                if ((s & PHASE) != WAITING) {
                    return;
                }
                if (STATE.compareAndSet(this, s, WITHDRAWN | (s & REAL_ENDED))) {
                    shadowQueued.decrementAndGet();
                    waiting.withdraw();
                    return;
                }
            }
        }

        void exitInner() {
            try {
                inner.exit(this, outcome);
            } catch (final Throwable t) {
                HalfOpenLimiter.LOG.error("shadow mode: the policy's gate threw on exit for {}", remote, t);
            }
        }

        private void moveTo(final int phase) {
            while (true) {
                final int s = state;
                if (STATE.compareAndSet(this, s, phase | (s & REAL_ENDED))) {
                    return;
                }
            }
        }

        @Override
        public String toString() {
            return "ShadowTicket[" + remote + ", state " + state + "]";
        }
    }
}
