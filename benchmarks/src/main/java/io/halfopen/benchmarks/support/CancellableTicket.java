package io.halfopen.benchmarks.support;

import io.halfopen.policy.AdmissionTicket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;

/**
 * A reusable waiting ticket with the same cancel protocol as the limiter's attempts: one CAS from QUEUED,
 * to CANCELLED by the owner or to ADMITTED by a release; whoever loses the CAS knows the other won.
 */
public final class CancellableTicket implements AdmissionTicket {

    private static final int IDLE = 0;
    private static final int QUEUED = 1;
    private static final int ADMITTED = 2;
    private static final int CANCELLED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(CancellableTicket.class, "state", int.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = IDLE;

    @Override
    public InetSocketAddress remote() {
        return Tickets.REMOTE;
    }

    /**
     * Makes the ticket a waiter again, before it is acquired with (published to a release by the semaphore's
     * CAS of the ticket into its cell).
     *
     * @return this ticket
     */
    public CancellableTicket queue() {
        STATE.setRelease(this, QUEUED);
        return this;
    }

    @Override
    public boolean tryAdmit() {
        return STATE.compareAndSet(this, QUEUED, ADMITTED);
    }

    /**
     * Leaves the queue: one CAS; the caller then withdraws the ticket's cell from the semaphore.
     *
     * @return {@code true} if the ticket was still queued
     */
    public boolean cancel() {
        return STATE.compareAndSet(this, QUEUED, CANCELLED);
    }
}
