package io.halfopen.policy;

import java.util.Objects;

/**
 * What an {@link AdmissionGate} did with a ticket that asked to enter: one of three answers, each with one
 * meaning.
 * <ul>
 *   <li>{@link #admitted()}: the ticket holds a slot now. The gate will never offer it one
 *       ({@link AdmissionTicket#tryAdmit()}), and the limiter will call {@link AdmissionGate#exit} for it once.</li>
 *   <li>A {@link Waiting}: the ticket is in the gate's own structure. The gate will offer it a slot at most
 *       once, through {@link AdmissionTicket#tryAdmit()} (possibly before {@code enter} has returned); if the
 *       ticket leaves first (cancelled, timed out, rejected by the limiter's queue bound, the limiter closed),
 *       the limiter calls {@link Waiting#withdraw()} once.</li>
 *   <li>{@link #refused(String)}: the gate will not take the ticket at all (a fast-fail policy, a bounded
 *       queue of the gate's own); the attempt fails at once with the reason, and the gate never hears of the
 *       ticket again.</li>
 * </ul>
 * Sealed: a gate returns {@link #admitted()}, {@link #refused(String)}, or its own {@link Waiting}.
 */
public sealed interface Admission permits Admission.Admitted, Admission.Refused, Admission.Waiting {

    /**
     * The ticket holds a slot now.
     *
     * @return the one {@code Admitted} instance (no allocation)
     */
    static Admission admitted() {
        return Admitted.INSTANCE;
    }

    /**
     * The gate will not take the ticket.
     *
     * @param reason why, for the attempt's exception (for example "destination 203.0.113.7 failed 3 times in
     *               the last 60 s")
     * @return the answer
     */
    static Admission refused(final String reason) {
        return new Refused(reason, null);
    }

    /**
     * The gate will not take the ticket, and says so in a form the limiter turns into a more specific
     * exception: a {@link DeadDestination} fails the attempt with the limiter's {@code DeadDestinationException}
     * (a {@code PolicyRefusedException}) instead of a plain {@code PolicyRefusedException}.
     *
     * @param reason why, for the attempt's exception
     * @param detail the structured reason
     * @return the answer
     */
    static Admission refused(final String reason, final RefusalDetail detail) {
        return new Refused(reason, java.util.Objects.requireNonNull(detail, "detail"));
    }

    /** The answer "admitted": see {@link Admission#admitted()}. */
    final class Admitted implements Admission {
        static final Admitted INSTANCE = new Admitted();

        private Admitted() {
        }

        @Override
        public String toString() {
            return "admitted";
        }
    }

    /**
     * The answer "refused", with its reason: see {@link Admission#refused(String)} and
     * {@link Admission#refused(String, RefusalDetail)}.
     *
     * @param reason why the gate refused the ticket
     * @param detail the structured reason, or {@code null}
     */
    record Refused(String reason, RefusalDetail detail) implements Admission {
        /**
         * Creates the answer.
         *
         * @param reason why, not null
         * @param detail the structured reason, or {@code null}
         */
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }

        /**
         * Creates the answer without a structured reason.
         *
         * @param reason why, not null
         */
        public Refused(final String reason) {
            this(reason, null);
        }
    }

    /**
     * The answer "waiting": the ticket's place in the gate, and the only way it leaves without being admitted.
     * Gates implement it, usually as the node that holds the ticket in their queue.
     */
    non-sealed interface Waiting extends Admission {

        /**
         * The ticket left without taking a slot. Called by the limiter exactly once, and only once the ticket
         * answers {@code false} to every {@link AdmissionTicket#tryAdmit()} from now on; never for a ticket whose
         * {@code tryAdmit()} returned {@code true}. It may race with the gate's own {@code tryAdmit()} call that
         * returns {@code false}, in either order.
         *
         * <p>The gate must, in O(1) or O(log n) and without blocking: drop every reference it holds to the
         * ticket (so that memory follows the live waiters), and, if it had offered (or was about to offer) the
         * ticket a slot, offer that slot to the next ticket instead; that offer may run on this thread.
         */
        void withdraw();
    }
}
