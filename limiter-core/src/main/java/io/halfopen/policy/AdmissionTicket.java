package io.halfopen.policy;

import java.net.InetSocketAddress;

/**
 * One outbound connect attempt as an {@link AdmissionGate} sees it. The limiter implements it; a policy
 * only calls it.
 *
 * <p>A ticket's own state machine is the authority on whether it still wants a slot: a ticket that left the
 * queue (cancelled, timed out) answers {@code false} from {@link #tryAdmit()}, and the gate then hands the
 * slot on. Gates therefore never need a cancel operation, and cancellation is O(1) for every policy.
 */
public interface AdmissionTicket {

    /**
     * Returns the address this attempt connects to.
     *
     * @return the remote address, never null
     */
    InetSocketAddress remote();

    /**
     * Called by the gate, at most once and before the ticket is published to any other thread, when no
     * slot is free and the ticket would have to wait. The ticket counts itself as queued and arms its queue
     * timeout, or declines because the queue is full.
     *
     * @return {@code true} if the ticket may wait, {@code false} if it must be rejected
     */
    boolean tryWait();

    /**
     * Called by the gate, at most once and from any thread, to hand a slot to a waiting ticket.
     *
     * <p>Must not throw and must not block; the grant's consequences (listeners) may run on this thread.
     *
     * @return {@code true} if the ticket took the slot, {@code false} if it had already left the queue, in
     *         which case the slot is still the gate's to hand on
     */
    boolean tryAdmit();
}
