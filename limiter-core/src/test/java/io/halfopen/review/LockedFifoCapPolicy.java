package io.halfopen.review;

import io.halfopen.policy.Admission;
import io.halfopen.policy.AdmissionGate;
import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.policy.AdmissionTicket;
import io.halfopen.policy.Outcome;
import io.halfopen.policy.PolicyContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A FIFO cap written by the reviewer of issue 10 from the public {@code io.halfopen.policy} javadoc alone, as a
 * researcher would: a lock, a linked set of waiting nodes (O(1) withdrawal), a count of admitted tickets, and
 * {@code tryAdmit()} called after the lock is released ({@link AdmissionGate}'s rule 5).
 *
 * <p>{@link Flaw#NONE} is the correct gate. Each other {@link Flaw} breaks one thing, to see whether
 * {@code AdmissionGateContract} notices:
 * <ul>
 *   <li>{@link Flaw#ITERATES_UNDER_ITS_LOCK}: {@code forEachQueued} runs its action while iterating the set under
 *       the lock, which nothing in the javadoc forbids; the limiter's action withdraws the ticket from this very
 *       gate, on this thread, in the middle of the iteration (review finding 3).</li>
 *   <li>{@link Flaw#OFFERS_UNDER_A_NON_REENTRANT_LOCK}: calls {@code tryAdmit()} holding a non-reentrant lock,
 *       breaking rule 5; an owner that reports inside its grant callback then re-enters {@code exit} on the same
 *       thread (review finding 4).</li>
 *   <li>{@link Flaw#BARGES}: claims FIFO, releases waiters from a timer ({@code releaseDelay} after an exit, "a
 *       delay queue released by a timer"), but lets a newcomer take a free slot while others wait for that timer
 *       (review finding 5).</li>
 *   <li>{@link Flaw#OFFERS_TWICE}: offers a slot again to a ticket that declined it (known bad).</li>
 *   <li>{@link Flaw#LOSES_A_DECLINED_SLOT}: a slot declined by a leaving ticket stays counted (known bad).</li>
 * </ul>
 */
public final class LockedFifoCapPolicy implements AdmissionPolicy {

    /** What this gate gets wrong, if anything. */
    public enum Flaw {
        /** Nothing: the correct gate. */
        NONE,
        /** {@code forEachQueued} calls its action under the lock, while iterating. */
        ITERATES_UNDER_ITS_LOCK,
        /** {@code tryAdmit()} under a non-reentrant lock. */
        OFFERS_UNDER_A_NON_REENTRANT_LOCK,
        /** Waiters are released by a timer, and a newcomer may take a free slot before them. */
        BARGES,
        /** A ticket that declined is offered again. */
        OFFERS_TWICE,
        /** A declined slot is never given back. */
        LOSES_A_DECLINED_SLOT
    }

    private final int max;
    private final Flaw flaw;
    private final long releaseDelayNanos;

    /**
     * Creates the policy.
     *
     * @param max  the cap
     * @param flaw what to get wrong
     */
    public LockedFifoCapPolicy(final int max, final Flaw flaw) {
        this.max = max;
        this.flaw = flaw;
        this.releaseDelayNanos = TimeUnit.MILLISECONDS.toNanos(100);
    }

    @Override
    public String name() {
        return "locked-fifo-cap(" + max + ", " + flaw + ")";
    }

    @Override
    public int maxHalfOpen() {
        return max;
    }

    @Override
    public AdmissionGate newGate(final PolicyContext context) {
        return new Gate(context);
    }

    private final class Node implements Admission.Waiting {
        final Gate gate;
        AdmissionTicket ticket; // guarded by the gate's lock; dropped on withdrawal

        Node(final Gate gate, final AdmissionTicket ticket) {
            this.gate = gate;
            this.ticket = ticket;
        }

        @Override
        public void withdraw() {
            gate.withdraw(this);
        }
    }

    private final class Gate implements AdmissionGate {
        private final PolicyContext context;
        private final ReentrantLock reentrant = new ReentrantLock();
        private final Semaphore nonReentrant = new Semaphore(1);
        private final LinkedHashSet<Node> waiting = new LinkedHashSet<>(); // guarded by the lock, oldest first
        private int halfOpen;                                               // guarded by the lock
        private volatile int halfOpenSnapshot;
        private volatile int peak;

        Gate(final PolicyContext context) {
            this.context = context;
        }

        private void lock() {
            if (flaw == Flaw.OFFERS_UNDER_A_NON_REENTRANT_LOCK) {
                nonReentrant.acquireUninterruptibly();
            } else {
                reentrant.lock();
            }
        }

        private void unlock() {
            if (flaw == Flaw.OFFERS_UNDER_A_NON_REENTRANT_LOCK) {
                nonReentrant.release();
            } else {
                reentrant.unlock();
            }
        }

        private void count(final int delta) { // under the lock
            halfOpen += delta;
            halfOpenSnapshot = halfOpen;
            if (halfOpen > peak) {
                peak = halfOpen;
            }
        }

        @Override
        public Admission enter(final AdmissionTicket ticket) {
            lock();
            try {
                if (halfOpen < max && (flaw == Flaw.BARGES || waiting.isEmpty())) {
                    count(+1);
                    return Admission.admitted();
                }
                final Node node = new Node(this, ticket);
                waiting.add(node);
                return node;
            } finally {
                unlock();
            }
        }

        @Override
        public void exit(final AdmissionTicket ticket, final Outcome outcome) {
            if (flaw == Flaw.OFFERS_UNDER_A_NON_REENTRANT_LOCK) {
                lock();
                try {
                    count(-1);
                    while (halfOpen < max && !waiting.isEmpty()) {
                        final Node next = waiting.iterator().next();
                        waiting.remove(next);
                        count(+1);
                        if (!next.ticket.tryAdmit()) { // under the lock: the owner's code runs here
                            count(-1);
                        }
                    }
                } finally {
                    unlock();
                }
                return;
            }
            lock();
            try {
                count(-1);
            } finally {
                unlock();
            }
            if (flaw == Flaw.BARGES) {
                context.scheduler().schedule(this::offerFreeSlots, releaseDelayNanos, TimeUnit.NANOSECONDS);
            } else {
                offerFreeSlots();
            }
        }

        /** Offers free slots to the oldest waiters, each {@code tryAdmit()} outside the lock. */
        private void offerFreeSlots() {
            while (true) {
                final AdmissionTicket ticket;
                lock();
                try {
                    if (halfOpen >= max || waiting.isEmpty()) {
                        return;
                    }
                    final Node next = waiting.iterator().next();
                    waiting.remove(next);
                    ticket = next.ticket;
                    count(+1);
                } finally {
                    unlock();
                }
                if (ticket.tryAdmit() || (flaw == Flaw.OFFERS_TWICE && ticket.tryAdmit())) {
                    continue;
                }
                if (flaw != Flaw.LOSES_A_DECLINED_SLOT) {
                    lock();
                    try {
                        count(-1); // it left: the slot goes to the next one
                    } finally {
                        unlock();
                    }
                }
            }
        }

        void withdraw(final Node node) {
            lock();
            try {
                waiting.remove(node); // if an offer took it out already, that offer hands the slot on
                node.ticket = null;
            } finally {
                unlock();
            }
        }

        @Override
        public int halfOpen() {
            return halfOpenSnapshot;
        }

        @Override
        public int peakHalfOpen() {
            return peak;
        }

        @Override
        public void forEachQueued(final Consumer<? super AdmissionTicket> action) {
            if (flaw == Flaw.ITERATES_UNDER_ITS_LOCK) {
                lock();
                try {
                    for (final Node node : waiting) {
                        action.accept(node.ticket);
                    }
                } finally {
                    unlock();
                }
                return;
            }
            final List<AdmissionTicket> copy = new ArrayList<>();
            lock();
            try {
                for (final Node node : waiting) {
                    copy.add(node.ticket);
                }
            } finally {
                unlock();
            }
            copy.forEach(action);
        }
    }
}
