package io.halfopen.benchmarks.handoff;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.Control;

/**
 * A {@link HandoffGate} over a JUC {@link Semaphore} whose waiters are parked threads. A blocked thread can
 * wait for one permit at a time, so a lane starts its attempts lazily: it blocks only once it holds none.
 * The wait is {@code tryAcquire(1, MILLISECONDS)} in a loop rather than {@code acquire()}, so that it can be
 * abandoned at the end of an iteration; it parks the same way. No FIFO check: that needs parked threads.
 */
final class ParkingGate implements HandoffGate {

    private final String name;
    private final Semaphore semaphore;

    ParkingGate(final String name, final Semaphore semaphore) {
        this.name = name;
        this.semaphore = semaphore;
    }

    @Override
    public Lane newLane(final int depth) {
        return new ParkingLane(depth);
    }

    @Override
    public void finish(final List<Lane> lanes, final int limit) {
        for (final Lane lane : lanes) {
            ((ParkingLane) lane).releaseAll();
        }
        if (semaphore.availablePermits() != limit || semaphore.hasQueuedThreads()) {
            throw new IllegalStateException(name + " after the trial: " + semaphore.availablePermits()
                    + " free permits, expected " + limit + "; queued threads: " + semaphore.hasQueuedThreads());
        }
    }

    private final class ParkingLane implements Lane {
        private int held;

        ParkingLane(final int depth) {
            while (held < depth && semaphore.tryAcquire()) {
                held++;
            }
        }

        @Override
        public boolean cycle(final Control control, final int holdTokens) {
            while (held == 0) {
                try {
                    if (semaphore.tryAcquire(1L, TimeUnit.MILLISECONDS)) {
                        held++;
                    } else if (control.stopMeasurement) {
                        return false;
                    }
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a permit", e);
                }
            }
            held--;
            Blackhole.consumeCPU(holdTokens);
            semaphore.release();
            return true;
        }

        void releaseAll() {
            semaphore.release(held);
            held = 0;
        }
    }
}
