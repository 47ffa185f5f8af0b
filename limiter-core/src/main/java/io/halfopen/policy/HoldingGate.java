package io.halfopen.policy;

import io.halfopen.time.Cancellable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every composite gate of this package shares ({@link AdmissionGate}'s "Composing gates"): a gate whose
 * own rule holds tickets back in its own structure and then hands them, with the same ticket object, to an inner
 * gate (a cap such as {@code halfOpenCap(10)}, or {@code unlimited}) that offers them the slot. A subclass writes
 * only its rule: may a ticket pass at once, where a held ticket waits, which held tickets may leave now, what an
 * exit teaches it, and when its timer must next fire.
 *
 * <h2>A ticket's way through</h2>
 * Each ticket this gate answers with a {@link Held} is in one state at a time, changed only under the lock:
 * <ul>
 *   <li>{@code HELD}: in the subclass's structure. A withdrawal removes it there, in O(1) or O(log n).</li>
 *   <li>{@code FORWARDING}: taken out by the rule and counted as in the inner gate, being entered into it
 *       outside the lock. A withdrawal now only marks it; the forwarding thread finishes the departure.</li>
 *   <li>{@code INNER}: waiting in the inner gate, whose {@link Admission.Waiting} it keeps. A withdrawal passes
 *       on to it. Not referenced by this gate.</li>
 *   <li>{@code GONE}: admitted, or left.</li>
 * </ul>
 * A ticket that passes at once goes straight to the inner gate, counted the same way. Every ticket the rule
 * lets go is counted in {@link #inInner} until it exits, or leaves the inner gate without a slot; the
 * subclass hears of both through {@link #left}, so a per-destination count or an adaptive rule stays exact.
 *
 * <h2>Locks and threads</h2>
 * One {@link ReentrantLock} guards the subclass's structure, the states and the timer. No inner-gate call, no
 * {@link AdmissionTicket#tryAdmit()} and no listener runs under it: the tickets to forward and the events to
 * raise are collected under the lock and handled after it is released, in a loop (a declined offer frees its
 * slot, which may let the next ticket go, without recursion). The lock is never held across anything that
 * blocks, so no event loop waits on more than a few field updates. Timers run on the context's scheduler; one
 * timer at a time, armed for the earliest time the rule asks for.
 *
 * <h2>When the inner gate refuses</h2>
 * A ticket that passes at once and is refused by the inner gate is refused. A ticket that was held and then
 * refused by the inner gate cannot be failed through the seam (it is already waiting): it stays waiting, outside
 * every structure, until the limiter's queue timeout or its close withdraws it, and an error is logged. Nest a
 * policy that refuses outside a holding policy, not within it.
 */
abstract class HoldingGate implements AdmissionGate {

    private static final Logger LOG = LoggerFactory.getLogger(HoldingGate.class);

    static final int HELD = 0;
    static final int FORWARDING = 1;
    static final int INNER = 2;
    static final int GONE = 3;

    /** The context: the clock the rule reads, the scheduler its timer runs on, the listener of its events. */
    final PolicyContext context;
    /** The gate the rule hands tickets to. */
    final AdmissionGate inner;
    /** The inner policy's bound. */
    final int innerMax;
    /** Guards everything below and the subclass's structure. */
    final ReentrantLock lock = new ReentrantLock();
    private final String policy;
    private int inInner;                                     // guarded: let go by the rule, not yet left
    private final List<PolicyEvent> events = new ArrayList<>(); // guarded: raised under the lock, told after
    private Cancellable timer;                                // guarded
    private long timerAt = Long.MAX_VALUE;                    // guarded: when the armed timer fires
    private boolean closed;                                   // guarded
    private long nextSequence;                                // guarded

    /** A ticket in this gate, as {@link AdmissionGate#enter} answered it. */
    static final class Held implements Admission.Waiting {
        final HoldingGate gate;
        final long sequence;
        AdmissionTicket ticket;      // dropped once gone, so that memory follows the live waiters
        int state;                   // guarded by gate.lock
        boolean withdrawn;           // guarded by gate.lock
        Admission.Waiting place;     // guarded by gate.lock: the inner gate's, in state INNER
        Object key;                  // the subclass's: the destination it waits for
        Held prev;                   // the subclass's main queue
        Held next;
        Held keyPrev;                // the subclass's per-key queue
        Held keyNext;

        Held(final HoldingGate gate, final AdmissionTicket ticket, final long sequence, final int state) {
            this.gate = gate;
            this.ticket = ticket;
            this.sequence = sequence;
            this.state = state;
        }

        @Override
        public void withdraw() {
            gate.withdraw(this);
        }

        @Override
        public String toString() {
            return "Held[" + sequence + ", state " + state + "]";
        }
    }

    HoldingGate(final PolicyContext context, final AdmissionPolicy inner, final String policy) {
        this.context = context;
        this.inner = inner.newGate(context);
        this.innerMax = inner.maxHalfOpen();
        this.policy = policy;
    }

    // ------------------------------------------------------------------------ the rule (all under the lock)

    /**
     * Returns why the rule refuses this ticket outright, or {@code null} to take it. Default: never refuses.
     */
    String refusal(final AdmissionTicket ticket, final long now) {
        return null;
    }

    /**
     * Returns whether the ticket may go to the inner gate at once; if so, the rule has counted it as let go
     * (as {@link #collect} does for the tickets it lets go).
     */
    abstract boolean mayPass(AdmissionTicket ticket, long now);

    /** Keeps a new ticket that may not pass: in the rule's structure, in state {@code HELD}. */
    abstract void hold(Held held, long now);

    /** Removes a {@code HELD} ticket that withdraws from the rule's structure. */
    abstract void unhold(Held held, long now);

    /**
     * Takes out of the rule's structure, into {@code out}, the held tickets that may go now, oldest first,
     * counting each as let go.
     */
    abstract void collect(long now, List<Held> out);

    /**
     * A ticket the rule let go has left the inner gate: {@code outcome} is how its attempt ended, or
     * {@code null} if it never took a slot (it withdrew, or declined its offer).
     */
    abstract void left(AdmissionTicket ticket, Outcome outcome, long now);

    /** Returns when the rule next needs its timer, or {@link Long#MAX_VALUE} for never. */
    abstract long nextWake(long now);

    /** Passes the held tickets to {@code action}, oldest first. */
    abstract void forEachHeld(Consumer<Held> action);

    // ------------------------------------------------------------------------ for the rule

    /** Whether the inner gate surely has a free slot: fewer tickets let go than its bound. Under the lock. */
    final boolean innerHasRoom() {
        return inInner < innerMax;
    }

    /**
     * How many more tickets the inner gate surely has free slots for (its bound less the tickets let go), for a
     * rule that lets several go in one {@link #collect}: those it adds there count only once it returns. (May be negative.) Under
     * the lock.
     */
    final long innerRoom() {
        return (long) innerMax - inInner;
    }

    /** Raises an event, told to the context's listener once the lock is released. Under the lock. */
    final void raise(final PolicyEvent event) {
        events.add(event);
    }

    /** Returns the policy as it writes itself, for events. */
    final String policy() {
        return policy;
    }

    final long now() {
        return context.ticker().nanoTime();
    }

    // ------------------------------------------------------------------------ AdmissionGate

    @Override
    public final Admission enter(final AdmissionTicket ticket) {
        final List<Held> release = new ArrayList<>(0);
        final Held held;
        final String refusal;
        final List<PolicyEvent> told;
        lock.lock();
        try {
            final long now = now();
            refusal = refusal(ticket, now);
            if (refusal != null) {
                held = null;
            } else if (mayPass(ticket, now)) {
                inInner++;
                held = null;
            } else {
                held = new Held(this, ticket, nextSequence++, HELD);
                hold(held, now);
                collectAndArm(now, release);
            }
            told = drainEvents();
        } finally {
            lock.unlock();
        }
        tell(told);
        if (refusal != null) {
            return Admission.refused(refusal);
        }
        if (held == null) {
            return passAtOnce(ticket);
        }
        forward(release);
        return held;
    }

    private Admission passAtOnce(final AdmissionTicket ticket) {
        final Admission admission = inner.enter(ticket);
        if (admission == Admission.admitted()) {
            return admission;
        }
        if (admission instanceof Admission.Waiting place) {
            final Held held = new Held(this, ticket, 0, INNER);
            held.place = place; // unpublished: the limiter withdraws only once enter has returned
            return held;
        }
        final List<Held> release = new ArrayList<>(0);
        leftInner(ticket, null, release); // the inner gate refused it: so does this one
        forward(release);
        return admission;
    }

    @Override
    public final void exit(final AdmissionTicket ticket, final Outcome outcome) {
        inner.exit(ticket, outcome);
        final List<Held> release = new ArrayList<>(0);
        leftInner(ticket, outcome, release);
        forward(release);
    }

    /** A ticket let go left the inner gate: uncount it, tell the rule, collect who may go now. */
    private void leftInner(final AdmissionTicket ticket, final Outcome outcome, final List<Held> release) {
        final List<PolicyEvent> told;
        lock.lock();
        try {
            inInner--;
            final long now = now();
            left(ticket, outcome, now);
            collectAndArm(now, release);
            told = drainEvents();
        } finally {
            lock.unlock();
        }
        tell(told);
    }

    private void withdraw(final Held held) {
        final Admission.Waiting place;
        final AdmissionTicket ticket;
        final List<Held> release = new ArrayList<>(0);
        final List<PolicyEvent> told;
        lock.lock();
        try {
            held.withdrawn = true;
            switch (held.state) {
                case HELD -> {
                    final long now = now();
                    unhold(held, now);
                    held.state = GONE;
                    held.ticket = null;
                    collectAndArm(now, release);
                    place = null;
                    ticket = null;
                }
                case INNER -> {
                    held.state = GONE;
                    place = held.place;
                    ticket = held.ticket;
                    held.place = null;
                    held.ticket = null;
                }
                default -> { // FORWARDING: the forwarding thread sees the mark; GONE: nothing left to do
                    place = null;
                    ticket = null;
                }
            }
            told = drainEvents();
        } finally {
            lock.unlock();
        }
        tell(told);
        if (place != null) {
            place.withdraw();
            leftInner(ticket, null, release);
        }
        forward(release);
    }

    /**
     * Enters each ticket the rule let go into the inner gate, outside the lock; a declined offer or a
     * departure meanwhile frees its count, and whoever that lets go joins the batch.
     */
    private void forward(final List<Held> batch) {
        for (int i = 0; i < batch.size(); i++) {
            final Held held = batch.get(i);
            final AdmissionTicket ticket = held.ticket;
            final Admission admission = inner.enter(ticket);
            if (admission == Admission.admitted()) {
                finishForward(held);
                if (!ticket.tryAdmit()) { // it left meanwhile: the slot was never its
                    inner.exit(ticket, Outcome.CANCELLED);
                    leftInner(ticket, null, batch);
                }
            } else if (admission instanceof Admission.Waiting place) {
                final boolean withdrawn;
                lock.lock();
                try {
                    withdrawn = held.withdrawn;
                    if (!withdrawn) {
                        held.state = INNER;
                        held.place = place;
                    } else {
                        held.state = GONE;
                        held.ticket = null;
                    }
                } finally {
                    lock.unlock();
                }
                if (withdrawn) {
                    place.withdraw();
                    leftInner(ticket, null, batch);
                }
            } else {
                finishForward(held);
                LOG.error("policy {}: the policy within it refused an attempt it had already held ({}); the attempt"
                        + " waits until the limiter's queue timeout or close ends it. Nest a policy that refuses"
                        + " outside a holding policy, not within it.", policy, admission);
                leftInner(ticket, null, batch);
            }
        }
    }

    private void finishForward(final Held held) {
        lock.lock();
        try {
            held.state = GONE;
            held.ticket = null;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the rule's releases, then the timer for its next wake-up. */
    private void collectAndArm(final long now, final List<Held> release) {
        final int from = release.size();
        collect(now, release);
        for (int i = from; i < release.size(); i++) {
            release.get(i).state = FORWARDING;
            inInner++;
        }
        arm(now, closed ? Long.MAX_VALUE : nextWake(now));
    }

    private void arm(final long now, final long at) {
        if (at == timerAt) {
            return;
        }
        if (timer != null) {
            timer.cancel();
            timer = null;
            timerAt = Long.MAX_VALUE;
        }
        if (at == Long.MAX_VALUE) {
            return;
        }
        try {
            timer = context.scheduler().schedule(this::timerFired, Math.max(0L, at - now), TimeUnit.NANOSECONDS);
            timerAt = at;
        } catch (final Throwable t) {
            LOG.error("policy {}: its timer could not be armed; it is armed again at the next attempt or exit", policy,
                    t);
        }
    }

    private void timerFired() {
        final List<Held> release = new ArrayList<>(0);
        final List<PolicyEvent> told;
        lock.lock();
        try {
            timer = null;
            timerAt = Long.MAX_VALUE;
            if (closed) {
                return;
            }
            collectAndArm(now(), release);
            told = drainEvents();
        } finally {
            lock.unlock();
        }
        tell(told);
        forward(release);
    }

    private List<PolicyEvent> drainEvents() {
        if (events.isEmpty()) {
            return List.of();
        }
        final List<PolicyEvent> told = List.copyOf(events);
        events.clear();
        return told;
    }

    private void tell(final List<PolicyEvent> told) {
        for (final PolicyEvent event : told) {
            try {
                context.listener().policyEvent(event);
            } catch (final Throwable t) {
                LOG.error("policy {}: its listener threw on {}", policy, event, t);
            }
        }
    }

    @Override
    public final int halfOpen() {
        return inner.halfOpen();
    }

    @Override
    public final int peakHalfOpen() {
        return inner.peakHalfOpen();
    }

    @Override
    public final void forEachQueued(final Consumer<? super AdmissionTicket> action) {
        inner.forEachQueued(action); // let go earlier, so older
        final List<AdmissionTicket> here = new ArrayList<>();
        lock.lock();
        try {
            forEachHeld(held -> here.add(held.ticket));
        } finally {
            lock.unlock();
        }
        here.forEach(action);
    }

    @Override
    public final void close() {
        lock.lock();
        try {
            closed = true;
            arm(now(), Long.MAX_VALUE);
        } finally {
            lock.unlock();
        }
        inner.close();
    }

    /** For toString: the count let go and the inner gate. Racy. */
    final String describe() {
        return policy + "[inInner=" + inInner + ", inner=" + inner + "]";
    }
}
