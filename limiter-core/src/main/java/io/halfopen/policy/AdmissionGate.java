package io.halfopen.policy;

/**
 * The live state of one {@link AdmissionPolicy} inside one limiter: it decides, attempt by attempt, who may
 * go half-open now and who waits. One gate per limiter; thread-safe, called from any thread.
 *
 * <p>Contract with the limiter:
 * <ul>
 *   <li>{@link #enter} is called once per ticket. If it returns {@link Admission#QUEUED}, the gate calls
 *       the ticket's {@link AdmissionTicket#tryAdmit()} exactly once later, when the ticket's turn comes; a
 *       ticket that answers {@code false} has left the queue and the gate moves on to the next one.</li>
 *   <li>{@link #exit} is called exactly once for every ticket that was admitted (at once or through
 *       {@code tryAdmit}), when its socket has left SYN_SENT.</li>
 *   <li>A gate never blocks, never reads {@link System#nanoTime()} and never starts a thread: time comes
 *       from the {@link PolicyContext} it was created with, so the same gate runs in production and in the
 *       simulator's virtual time.</li>
 * </ul>
 */
public interface AdmissionGate {

    /**
     * Admits the ticket now, queues it, or rejects it if it must wait and may not.
     *
     * @param ticket the attempt
     * @return what happened to it
     */
    Admission enter(AdmissionTicket ticket);

    /**
     * Gives back the slot of an admitted ticket, once its socket has left SYN_SENT.
     *
     * @param ticket  the ticket that was admitted
     * @param outcome how the attempt ended, for policies that adapt to it
     */
    void exit(AdmissionTicket ticket, Outcome outcome);

    /**
     * Returns how many admitted tickets have not exited yet; a racy snapshot, for stats.
     *
     * @return the number of half-open attempts the gate counts
     */
    int halfOpen();

    /**
     * Returns the highest {@link #halfOpen()} seen since creation.
     *
     * @return the peak
     */
    int peakHalfOpen();

    /**
     * Passes every ticket the gate still holds in its queue to {@code action}, oldest first: a weakly
     * consistent view that may include tickets that already left the queue. The limiter uses it on
     * shutdown to fail every waiter; tickets that answer {@code tryAdmit()} later are not affected.
     *
     * @param action receives each queued ticket
     */
    void forEachQueued(java.util.function.Consumer<AdmissionTicket> action);
}
