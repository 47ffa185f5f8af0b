package io.halfopen.limiter.internal;

import io.halfopen.policy.Admission;
import io.halfopen.policy.AdmissionTicket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deliberately broken copy of {@link QueueingSemaphore}'s algorithm, for the known-bad Lincheck test: the
 * acquirer publishes its ticket with check-then-write instead of one CAS. A release that deposits its permit
 * in the cell between the check and the write has the permit overwritten: the permit is lost and the waiter
 * is never woken. Sequentially it behaves exactly like the real semaphore; only an interleaving shows the bug.
 */
final class LostDepositSemaphore implements SemaphoreHarness.UnderTest {

    private final AtomicInteger permits;
    private final AtomicLong enqIdx = new AtomicLong();
    private final AtomicLong deqIdx = new AtomicLong();
    private final Segment first = new Segment(0);

    LostDepositSemaphore(final int permits) {
        this.permits = new AtomicInteger(permits);
    }

    @Override
    public Admission acquire(final AdmissionTicket ticket) {
        if (permits.getAndDecrement() > 0) {
            return Admission.ADMITTED;
        }
        ticket.tryWait();
        final long index = enqIdx.getAndIncrement();
        final Segment segment = first.findForward(index / Segment.SIZE);
        final int cell = (int) (index % Segment.SIZE);
        if (segment.get(cell) != null) { // BUG: the check and the write below are two steps
            return Admission.ADMITTED;
        }
        segment.getAndSet(cell, ticket);
        return Admission.QUEUED;
    }

    @Override
    public void release() {
        while (true) {
            if (permits.getAndIncrement() >= 0) {
                return;
            }
            final long index = deqIdx.getAndIncrement();
            final Segment segment = first.findForward(index / Segment.SIZE);
            final Object previous = segment.getAndSet((int) (index % Segment.SIZE), QueueingSemaphore.PERMIT);
            if (previous == null || ((AdmissionTicket) previous).tryAdmit()) {
                return;
            }
        }
    }

    @Override
    public int counter() {
        return permits.get();
    }
}
