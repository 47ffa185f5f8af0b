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

    @Override
    public boolean tryWait() {
        STATE.setRelease(this, QUEUED); // published by the semaphore's CAS of the ticket into its cell
        return true;
    }

    @Override
    public boolean tryAdmit() {
        return STATE.compareAndSet(this, QUEUED, ADMITTED);
    }

    /**
     * Leaves the queue: O(1), the semaphore is not told.
     *
     * @return {@code true} if the ticket was still queued
     */
    public boolean cancel() {
        return STATE.compareAndSet(this, QUEUED, CANCELLED);
    }
}
