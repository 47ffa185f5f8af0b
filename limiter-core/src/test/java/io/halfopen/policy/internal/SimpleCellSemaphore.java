package io.halfopen.policy.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The hand-off protocol of {@link QueueingSemaphore} (counter, cells, deposit, smart withdrawal) on one fixed
 * array, without segments, for the known-bad Lincheck controls: each subclass breaks one step, and only an
 * interleaving shows it. Sequentially every subclass behaves exactly like the real semaphore.
 */
abstract class SimpleCellSemaphore implements SemaphoreHarness.UnderTest {

    private static final Object PERMIT = new Object();
    private static final Object CANCELLED = new Object();
    private static final Object REFUSED = new Object();

    private final AtomicLong permits;
    private final AtomicLong enqIdx = new AtomicLong();
    private final AtomicLong deqIdx = new AtomicLong();
    final AtomicReferenceArray<Object> cells = new AtomicReferenceArray<>(256);

    SimpleCellSemaphore(final int permits) {
        this.permits = new AtomicLong(permits);
    }

    @Override
    public Object acquire(final SemaphoreHarness.Ticket ticket) {
        if (permits.getAndDecrement() > 0) {
            return null;
        }
        final int index = (int) enqIdx.getAndIncrement();
        return claim(index, ticket) ? index : null;
    }

    /** Claims cell {@code index} for {@code ticket}; {@code false} if a deposited permit was there. */
    boolean claim(final int index, final SemaphoreHarness.Ticket ticket) {
        return cells.compareAndSet(index, null, ticket);
    }

    @Override
    public void release() {
        if (permits.getAndIncrement() < 0) {
            handOff();
        }
    }

    private void handOff() {
        while (true) {
            final int index = (int) deqIdx.getAndIncrement();
            final Object previous = cells.getAndSet(index, PERMIT);
            if (previous == CANCELLED) {
                continue;
            }
            if (previous != null && previous != REFUSED) {
                ((SemaphoreHarness.Ticket) previous).tryAdmit();
            }
            return;
        }
    }

    @Override
    public void withdraw(final Object handle) {
        final int index = (Integer) handle;
        if (permits.getAndIncrement() < 0) {
            if (cells.getAndSet(index, CANCELLED) == PERMIT) {
                carryOn();
            }
            return;
        }
        cells.set(index, REFUSED);
    }

    /** A withdrawal found a permit that a hand-off left with it and must carry it to the next waiter. */
    void carryOn() {
        handOff();
    }

    @Override
    public long counter() {
        return permits.get();
    }
}
