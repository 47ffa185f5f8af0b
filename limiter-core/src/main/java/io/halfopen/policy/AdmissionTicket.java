package io.halfopen.policy;

import java.net.InetSocketAddress;

/**
 * One outbound connect attempt, as an {@link AdmissionGate} sees it. The limiter implements it; a gate only
 * calls it (and a composite gate may wrap it, see {@link AdmissionGate}).
 *
 * <p>A ticket's own state machine is the authority on whether it still wants a slot: a ticket that left (its
 * owner cancelled, its queue timeout fired, the limiter closed) answers {@code false} from {@link #tryAdmit()}
 * from then on, and the gate then hands the slot on. The gate also hears of the departure, through
 * {@link Admission.Waiting#withdraw()}, to forget the ticket.
 *
 * <p>Thread-safe: both methods may be called from any thread.
 */
public interface AdmissionTicket {

    /**
     * Returns the address this attempt connects to: what per-destination policies key on.
     *
     * @return the remote address, resolved, never null
     */
    InetSocketAddress remote();

    /**
     * Offers a slot to a waiting ticket. The gate calls it at most once per ticket it queued, and never for a
     * ticket it {@linkplain Admission#admitted() admitted} at once.
     *
     * <p>Never blocks and never throws. If it returns {@code true} the ticket holds the slot and its attempt
     * is under way: the owner's grant callback runs on this thread, now or, if this thread is already running
     * one, right after it. That code may call {@link AdmissionGate#exit}, {@link AdmissionGate#enter} or
     * {@link Admission.Waiting#withdraw()} on the same gate, on this thread, before this returns: a gate must not
     * call this while holding a lock of its own (see {@link AdmissionGate}'s rules; the contract test checks it).
     *
     * @return {@code true} if the ticket took the slot; {@code false} if it had already left, in which case
     *         the slot is still the gate's to offer to the next ticket (and the ticket's
     *         {@link Admission.Waiting#withdraw()} comes, or came)
     */
    boolean tryAdmit();
}
