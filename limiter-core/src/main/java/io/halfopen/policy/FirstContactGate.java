package io.halfopen.policy;

import java.net.InetAddress;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the three scan detectors share ({@link FailureRatePolicy}, {@link CreditBasedPolicy},
 * {@link ThresholdRandomWalkPolicy}): a rule over <em>first contacts</em> ({@link FirstContacts}), on the
 * {@link HoldingGate} protocol. A subclass is the rule alone: whether the next first contact may go now, what it
 * costs, what its outcome teaches, and when time alone would let the next one go.
 *
 * <h2>How an attempt passes</h2>
 * <ul>
 *   <li>To a known destination (not a first contact): straight into the inner gate; the rule never sees it,
 *       and it is never held behind first contacts.</li>
 *   <li>A first contact goes into the inner gate at once only if no first contact is held here, the inner gate
 *       has a free slot, and the rule lets it go; it is then <em>charged</em> ({@link #went}). Otherwise it is
 *       held here, in arrival order, and released, oldest first, when the inner gate has a free slot and the
 *       rule lets it go (on an exit, a withdrawal, or the gate's timer, armed for {@link #nextChance}). So the
 *       rule is asked at the moment the attempt would go half-open, and a verdict reached meanwhile applies to
 *       every first contact not yet sent, including those already waiting. A held attempt whose destination
 *       became known meanwhile goes uncharged.</li>
 *   <li>A charged attempt's exit tells the rule its outcome ({@link #ended}); a charged attempt that leaves
 *       without a slot (withdrawn, or declining it) is refunded ({@link #refunded}). Every exit teaches the
 *       shared {@link FirstContacts} first.</li>
 * </ul>
 *
 * <h2>Threads, memory, cost</h2>
 * Everything here runs under {@link HoldingGate}'s lock, which no inner-gate call, {@code tryAdmit()} or
 * listener runs under ({@link FirstContacts} takes its own lock inside it, and calls nothing out). The charges
 * are an identity map from ticket to the rule's token, holding only tickets that were charged and have not left
 * the inner gate, so memory follows the first contacts in flight and the held queue the waiters. Per attempt:
 * one lookup in the shared memory and, for a first contact, the rule's O(1) work and one identity-map entry (no
 * allocation while the map does not grow); per exit, the shared memory's update and one identity-map removal,
 * besides {@link HoldingGate}'s own cost.
 */
abstract class FirstContactGate extends HoldingGate {

    /** {@link #nextChance}'s answer when only an exit or a withdrawal can let the next first contact go. */
    static final long NEVER = Long.MAX_VALUE;

    private final FirstContacts contacts;
    private final HeldQueue held = new HeldQueue(false);                          // guarded by lock
    private final Map<AdmissionTicket, Object> charges = new IdentityHashMap<>(); // guarded by lock

    FirstContactGate(final PolicyContext context, final AdmissionPolicy inner, final String policy) {
        super(context, inner, policy);
        this.contacts = context.firstContacts();
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

    /**
     * When time alone would let the next first contact go: a ticker time, at most {@code now} if the rule lets
     * it go now, or {@link #NEVER} if only an exit or a withdrawal can.
     */
    abstract long nextChance(long now);

    /** Why a first contact is refused outright now, or {@code null} to let it go or wait (the default). */
    String refusal(final long now) {
        return null;
    }

    /** The rule's state in a few words, for {@link #toString()}. */
    abstract String describeRule();

    // ------------------------------------------------------------------ HoldingGate

    @Override
    final String refusal(final AdmissionTicket ticket, final long now) {
        return contacts.isFirstContact(ticket.remote().getAddress()) ? refusal(now) : null;
    }

    @Override
    final boolean mayPass(final AdmissionTicket ticket, final long now) {
        final InetAddress destination = ticket.remote().getAddress();
        if (!contacts.isFirstContact(destination)) {
            return true;
        }
        if (held.isEmpty() && innerHasRoom() && mayGo(now)) {
            charges.put(ticket, went(ticket, destination, now));
            return true;
        }
        return false;
    }

    @Override
    final void hold(final Held ticket, final long now) {
        held.add(ticket);
    }

    @Override
    final void unhold(final Held ticket, final long now) {
        held.remove(ticket);
    }

    @Override
    final void collect(final long now, final List<Held> out) {
        final int from = out.size();
        while (!held.isEmpty() && innerRoom() > out.size() - from) {
            final Held next = held.peek();
            final InetAddress destination = next.ticket.remote().getAddress();
            if (contacts.isFirstContact(destination)) {
                if (!mayGo(now)) {
                    return;
                }
                charges.put(next.ticket, went(next.ticket, destination, now));
            }
            out.add(held.poll());
        }
    }

    @Override
    final void left(final AdmissionTicket ticket, final Outcome outcome, final long now) {
        if (outcome != null) {
            contacts.learn(ticket.remote().getAddress(), outcome);
        }
        final Object charge = charges.remove(ticket);
        if (charge == null) {
            return;
        }
        if (outcome == null) {
            refunded(charge, now);
        } else {
            ended(charge, ticket, outcome, now);
        }
    }

    @Override
    final long nextWake(final long now) {
        if (held.isEmpty() || !innerHasRoom()) {
            return Long.MAX_VALUE; // nobody waits, or only a slot can let the next go: an exit brings it
        }
        final long at = nextChance(now);
        return at <= now ? Long.MAX_VALUE : at;
    }

    @Override
    final void forEachHeld(final Consumer<Held> action) {
        held.forEach(action);
    }

    @Override
    public final String toString() {
        lock.lock();
        try {
            return describe() + "[" + describeRule() + ", " + held.size() + " first contacts held]";
        } finally {
            lock.unlock();
        }
    }
}
