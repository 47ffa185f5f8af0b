package io.halfopen.benchmarks.handoff;

import io.halfopen.benchmarks.baseline.XaddQueueSemaphore;
import io.halfopen.policy.AdmissionTicket;
import io.halfopen.policy.internal.QueueingSemaphore;
import java.util.concurrent.Semaphore;

/** The semaphores of the saturated hand-off benchmark, as a JMH {@code @Param} factory. */
public enum HandoffType {

    /** Ours: waiters are tickets; a release grants the oldest by calling it back, nobody parks. */
    QUEUEING_SEMAPHORE {
        @Override
        public HandoffGate create(final int limit) {
            return new TicketGate(name(), TicketSemaphore.of(new QueueingSemaphore<>(limit, AdmissionTicket::tryAdmit)));
        }
    },
    /**
     * Ours, the lane's release and next start as one {@code releaseAndAcquire} (issue 17): no step on the permit
     * counter; with waiters, the same hand-off and claim as the row above.
     */
    QUEUEING_SEMAPHORE_COMBINED {
        @Override
        public HandoffGate create(final int limit) {
            return new TicketGate(name(),
                    TicketSemaphore.of(new QueueingSemaphore<>(limit, AdmissionTicket::tryAdmit), true));
        }
    },
    /** The JCTools queue plus counter baseline, same tickets: see its javadoc for its FIFO caveats. */
    XADD_QUEUE_BASELINE {
        @Override
        public HandoffGate create(final int limit) {
            return new TicketGate(name(), TicketSemaphore.of(new XaddQueueSemaphore(limit)));
        }
    },
    /** JUC fair: FIFO with parked threads. The anchor; bimodal at hold 0 (see README). */
    JUC_FAIR {
        @Override
        public HandoffGate create(final int limit) {
            return new ParkingGate(name(), new Semaphore(limit, true));
        }
    },
    /** JUC non-fair: the releaser barges back in. Not FIFO, not a target; shows what barging buys. */
    JUC_NONFAIR {
        @Override
        public HandoffGate create(final int limit) {
            return new ParkingGate(name(), new Semaphore(limit, false));
        }
    };

    /**
     * Creates a gate of {@code limit} permits.
     *
     * @param limit the number of permits
     * @return the gate
     */
    public abstract HandoffGate create(int limit);
}
