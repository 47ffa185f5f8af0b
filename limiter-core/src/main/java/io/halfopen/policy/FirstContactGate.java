package io.halfopen.policy;

import io.halfopen.time.Cancellable;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * What the three scan detectors share ({@link FailureRatePolicy}, {@link CreditBasedPolicy},
 * {@link ThresholdRandomWalkPolicy}): a rule over <em>first contacts</em> ({@link FirstContacts}) in front of an
 * inner gate, a composite as {@link AdmissionGate}'s "Composing gates" describes. A subclass is the rule alone:
 * whether the next first contact may go now, what it costs, what its outcome teaches, and when time alone
 * would let the next one go.
 *
 * <h2>How an attempt passes</h2>
 * <ul>
 *   <li>To a known destination (not a first contact): straight into the inner gate; the rule never sees it.
 *       Such attempts are not held behind first contacts.</li>
 *   <li>A first contact goes into the inner gate at once only if no first contact is held here, the inner gate
 *       has a free slot, and the rule lets it go; it is then <em>charged</em> ({@link #went}). Otherwise it is
 *       held here, in arrival order, and released, oldest first, when the inner gate has a free slot and the
 *       rule lets it go: on an exit, on a withdrawal, or on this gate's one timer (armed for
 *       {@link #nextChance}). The rule is asked at the moment the attempt would go half-open, and only into a
 *       free slot, so a verdict reached meanwhile applies to every first contact not yet sent, including those
 *       that were waiting. A held attempt whose destination became known meanwhile goes uncharged.</li>
 *   <li>A charged attempt's exit tells the rule its outcome ({@link #ended}); a charged attempt that leaves
 *       without going half-open (withdrawn, or declining the slot) is refunded ({@link #refunded}).</li>
 * </ul>
 * Every exit teaches the shared {@link FirstContacts} first.
 *
 * <h2>Threads and invariants</h2>
 * One {@link ReentrantLock} guards the held list, the charges, the timer and the rule's state; the rule's
 * methods run under it. No inner-gate call, no {@code tryAdmit()}, no event and no scheduling into an inline
 * scheduler happens under it: the tickets to release are taken off the list under the lock and forwarded after
 * it is released, so a ticket's grant callback may re-enter this gate from any thread. Each held ticket is
 * forwarded at most once (it leaves the list under the lock). {@code forwarding} counts forwards under way, so
 * that "the inner gate has a free slot" ({@code inner.halfOpen() + forwarding < inner max}) does not hand one
 * slot to two releases; when two releases race anyway the second ticket waits in the inner gate, which is still
 * correct. The charges are an identity map from ticket to the rule's token, holding only tickets that were
 * charged and have not exited or left, so memory follows the attempts in flight and the held list the waiters.
 *
 * <p>Cost per attempt: one {@link FirstContacts} lookup and, for a first contact, one lock, the rule's O(1)
 * work and an identity-map entry (no allocation while the map does not grow); per exit, the shared memory's
 * update, one lock, and one more to look for a held attempt to release.
 */
abstract class FirstContactGate implements AdmissionGate {

    /** {@link #nextChance}'s answer when only an exit or a withdrawal can let the next first contact go. */
    static final long NEVER = Long.MAX_VALUE;

    private static final int HELD = 0;
    private static final int FORWARDING = 1;
    private static final int IN_INNER = 2;
    private static final int DONE = 3;

    final PolicyContext context;
    private final String policyName;
    private final AdmissionGate inner;
    private final int innerMax;
    private final FirstContacts contacts;
    private final ReentrantLock lock = new ReentrantLock();
    private final Node held = new Node(null, null);                               // sentinel, guarded by lock
    private final Map<AdmissionTicket, Object> charges = new IdentityHashMap<>(); // guarded by lock
    private final List<PolicyEvent> events = new ArrayList<>(1);                  // guarded by lock, to raise
    private volatile boolean eventsPending; // written under the lock with events; read first without it
    private int heldCount;   // guarded by lock
    private int forwarding;  // guarded by lock
    private Cancellable timer; // guarded by lock
    private long timerAt;      // guarded by lock
    private boolean closed;    // guarded by lock

    FirstContactGate(final PolicyContext context, final String policyName, final AdmissionGate inner,
            final int innerMax) {
        this.context = context;
        this.policyName = policyName;
        this.inner = inner;
        this.innerMax = innerMax;
        this.contacts = context.firstContacts();
        held.next = held;
        held.previous = held;
    }

    // ------------------------------------------------------------------ the rule (all under the lock)

    /** Whether the rule lets the next first contact go now. May bring the rule's state up to {@code now}. */
    abstract boolean mayGo(long now);

    /** The first contact goes: charge it. Returns the token {@link #ended} or {@link #refunded} gets back. */
    abstract Object went(AdmissionTicket ticket, InetAddress destination, long now);

    /** A charged first contact ended with {@code outcome}. */
    abstract void ended(Object charge, AdmissionTicket ticket, Outcome outcome, long now);

    /** A charged first contact left without going half-open. */
    abstract void refunded(Object charge, long now);

    /** When time alone would let the next first contact go: a ticker time, at most {@code now} if now, or {@link #NEVER}. */
    abstract long nextChance(long now);

    /** Why a first contact is refused outright now, or {@code null} to let it go or wait (the default). */
    String refusal(final long now) {
        return null;
    }

    /** Raises an event once the lock is released; call under the lock. */
    final void raiseLater(final PolicyEvent event) {
        events.add(event);
        eventsPending = true;
    }

    final String policyName() {
        return policyName;
    }

    // ------------------------------------------------------------------ AdmissionGate

    @Override
    public final Admission enter(final AdmissionTicket ticket) {
        final InetAddress destination = ticket.remote().getAddress();
        if (!contacts.isFirstContact(destination)) {
            return waitingThroughHere(ticket, inner.enter(ticket), null);
        }
        final Object charge;
        final Node node;
        final String refusal;
        lock.lock();
        try {
            final long now = context.ticker().nanoTime();
            refusal = refusal(now);
            if (refusal != null) {
                charge = null;
                node = null;
            } else if (heldCount == 0 && hasRoom() && mayGo(now)) {
                charge = went(ticket, destination, now);
                charges.put(ticket, charge);
                forwarding++;
                node = null;
            } else {
                charge = null;
                node = new Node(this, ticket);
                append(node);
                armTimer(now);
            }
        } finally {
            lock.unlock();
        }
        raisePending();
        if (refusal != null) {
            return Admission.refused(refusal);
        }
        if (node != null) {
            return node;
        }
        final Admission admission;
        try {
            admission = inner.enter(ticket);
        } finally {
            forwarded();
        }
        if (admission instanceof Admission.Refused) {
            refund(ticket);
        }
        return waitingThroughHere(ticket, admission, charge);
    }

    /** Wraps the inner gate's waiting place, so that the withdrawal comes through here; other answers as they are. */
    private Admission waitingThroughHere(final AdmissionTicket ticket, final Admission admission,
            final Object charge) {
        if (admission instanceof Admission.Waiting place) {
            final Node node = new Node(this, ticket);
            node.state = IN_INNER; // unpublished yet: the limiter withdraws only after enter returned
            node.place = place;
            return node;
        }
        return admission;
    }

    @Override
    public final void exit(final AdmissionTicket ticket, final Outcome outcome) {
        contacts.learn(ticket.remote().getAddress(), outcome);
        lock.lock();
        try {
            final Object charge = charges.remove(ticket);
            if (charge != null) {
                ended(charge, ticket, outcome, context.ticker().nanoTime());
            }
        } finally {
            lock.unlock();
        }
        inner.exit(ticket, outcome);
        raisePending();
        releaseHeld();
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
        inner.forEachQueued(action); // released earlier, so older
        final List<AdmissionTicket> here = new ArrayList<>();
        lock.lock();
        try {
            for (Node node = held.next; node != held; node = node.next) {
                here.add(node.ticket);
            }
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
            cancelTimer();
        } finally {
            lock.unlock();
        }
        inner.close();
    }

    // ------------------------------------------------------------------ releasing held first contacts

    /** Forwards held tickets, oldest first, while the inner gate has room and the rule lets them go. */
    private void releaseHeld() {
        while (true) {
            final Node node;
            lock.lock();
            try {
                if (heldCount == 0 || !hasRoom()) {
                    break;
                }
                final long now = context.ticker().nanoTime();
                node = held.next;
                final InetAddress destination = node.ticket.remote().getAddress();
                if (contacts.isFirstContact(destination)) {
                    if (!mayGo(now)) {
                        armTimer(now);
                        break;
                    }
                    charges.put(node.ticket, went(node.ticket, destination, now));
                }
                unlink(node);
                node.state = FORWARDING;
                forwarding++;
            } finally {
                lock.unlock();
            }
            raisePending();
            forward(node);
        }
        raisePending();
    }

    /** Enters the inner gate with a ticket that waited here, on behalf of the limiter's earlier answer. */
    private void forward(final Node node) {
        final AdmissionTicket ticket = node.ticket;
        final Admission admission;
        try {
            admission = inner.enter(ticket);
        } finally {
            forwarded();
        }
        if (admission == Admission.admitted()) {
            if (!ticket.tryAdmit()) { // it left meanwhile: the slot was never its
                refund(ticket);
                inner.exit(ticket, Outcome.CANCELLED);
            }
            return;
        }
        if (admission instanceof Admission.Waiting place) {
            final boolean withdrawnMeanwhile;
            lock.lock();
            try {
                withdrawnMeanwhile = node.withdrawn;
                node.place = place;
                node.state = withdrawnMeanwhile ? DONE : IN_INNER;
            } finally {
                lock.unlock();
            }
            if (withdrawnMeanwhile) {
                refund(ticket);
                place.withdraw();
            }
            return;
        }
        refund(ticket); // the inner policy refused an attempt that already waits: it stays queued until it
        lock.lock();    // leaves by itself (queue timeout, close); see the policies' javadoc
        try {
            node.state = DONE;
        } finally {
            lock.unlock();
        }
    }

    private void forwarded() {
        lock.lock();
        try {
            forwarding--;
        } finally {
            lock.unlock();
        }
    }

    private void refund(final AdmissionTicket ticket) {
        lock.lock();
        try {
            final Object charge = charges.remove(ticket);
            if (charge != null) {
                refunded(charge, context.ticker().nanoTime());
            }
        } finally {
            lock.unlock();
        }
    }

    /** A waiting ticket left: forget it here, or withdraw it from the inner gate. */
    private void withdraw(final Node node) {
        final Admission.Waiting place;
        lock.lock();
        try {
            node.withdrawn = true;
            switch (node.state) {
                case HELD -> {
                    unlink(node);
                    if (heldCount == 0) {
                        cancelTimer();
                    }
                    place = null;
                }
                case IN_INNER -> {
                    node.state = DONE;
                    place = node.place;
                    final Object charge = charges.remove(node.ticket);
                    if (charge != null) {
                        refunded(charge, context.ticker().nanoTime());
                    }
                }
                default -> place = null; // FORWARDING: forward() withdraws it; DONE: nothing left to do
            }
        } finally {
            lock.unlock();
        }
        if (place != null) {
            place.withdraw();
            releaseHeld(); // a refund, or a slot handed on, may let the next one go
        }
    }

    private void onTimer() {
        lock.lock();
        try {
            timer = null;
            if (closed) {
                return;
            }
        } finally {
            lock.unlock();
        }
        releaseHeld();
    }

    // ------------------------------------------------------------------ helpers (under the lock)

    private boolean hasRoom() {
        return (long) inner.halfOpen() + forwarding < innerMax;
    }

    private void append(final Node node) {
        node.previous = held.previous;
        node.next = held;
        held.previous.next = node;
        held.previous = node;
        heldCount++;
    }

    private void unlink(final Node node) {
        node.previous.next = node.next;
        node.next.previous = node.previous;
        node.next = null;
        node.previous = null;
        heldCount--;
    }

    private void armTimer(final long now) {
        if (closed || heldCount == 0) {
            return;
        }
        final long at = nextChance(now);
        if (at == NEVER || at <= now || (timer != null && timerAt <= at)) {
            return;
        }
        cancelTimer();
        timerAt = at;
        timer = context.scheduler().schedule(this::onTimer, at - now, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /**
     * Raises the events queued under the lock. Every path that may queue one calls this after releasing the
     * lock, so the thread that queued an event always sees {@code eventsPending} and raises it.
     */
    private void raisePending() {
        if (!eventsPending) {
            return;
        }
        final PolicyEvent[] toRaise;
        lock.lock();
        try {
            toRaise = events.toArray(new PolicyEvent[0]);
            events.clear();
            eventsPending = false;
        } finally {
            lock.unlock();
        }
        for (final PolicyEvent event : toRaise) {
            context.listener().policyEvent(event);
        }
    }

    /** Describes the rule's state, the held count and the inner gate, under the lock. */
    @Override
    public final String toString() {
        lock.lock();
        try {
            return policyName + "[" + describeRule() + ", " + heldCount + " first contacts held, inner " + inner + "]";
        } finally {
            lock.unlock();
        }
    }

    /** The rule's state in a few words, for {@link #toString()}; called under the lock. */
    abstract String describeRule();

    /**
     * One ticket that waits through this gate: held in the list, being forwarded, or waiting in the inner gate.
     * The limiter's {@link Admission.Waiting}. Fields guarded by the gate's lock.
     */
    private static final class Node implements Admission.Waiting {
        final FirstContactGate gate;
        final AdmissionTicket ticket;
        Node previous;
        Node next;
        int state = HELD;
        boolean withdrawn;
        Admission.Waiting place;

        Node(final FirstContactGate gate, final AdmissionTicket ticket) {
            this.gate = gate;
            this.ticket = ticket;
        }

        @Override
        public void withdraw() {
            gate.withdraw(this);
        }
    }
}
