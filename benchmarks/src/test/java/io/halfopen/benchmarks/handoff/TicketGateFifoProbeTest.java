package io.halfopen.benchmarks.handoff;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.policy.AdmissionTicket;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The saturated hand-off benchmark's FIFO probe (its tear-down) passes our semaphore, plain and combined, and fails
 * the two orders it exists to catch: a queue granted last-in first, and a release-and-acquire that keeps its
 * permit while others wait. Single-threaded by design: the concurrent order is limiter-core's tests' to judge.
 */
@DisplayName("The hand-off benchmark's FIFO probe")
class TicketGateFifoProbeTest {

    @ParameterizedTest(name = "passes {0} at limits 1, 4 and 10")
    @ValueSource(strings = {"QUEUEING_SEMAPHORE", "QUEUEING_SEMAPHORE_COMBINED", "XADD_QUEUE_BASELINE"})
    void passesOurSemaphoreAndTheSingleThreadedOrderOfTheBaseline(final String type) {
        for (final int limit : new int[] {1, 4, 10}) {
            final HandoffGate gate = HandoffType.valueOf(type).create(limit);
            assertDoesNotThrow(() -> gate.finish(List.of(), limit), type + " at limit " + limit);
        }
    }

    @Test
    void failsAQueueGrantedLastInFirst() {
        final TicketGate gate = new TicketGate("LIFO", new DequeSemaphore(4, true, false));
        final IllegalStateException failure = assertThrows(IllegalStateException.class, () -> gate.checkFifo(4));
        assertTrue(failure.getMessage().contains("not FIFO: grant 0 went to probe"), failure.getMessage());
    }

    @Test
    void failsAReleaseAndAcquireThatKeepsItsPermitWhileOthersWait() {
        final TicketGate gate = new TicketGate("BARGING", new DequeSemaphore(4, false, true));
        final IllegalStateException failure = assertThrows(IllegalStateException.class, () -> gate.checkFifo(4));
        assertTrue(failure.getMessage().contains("kept the permit it released while 200 older probes waited"),
                failure.getMessage());
    }

    @Test
    void passesTheSameTestDoubleWhenItIsFifo() {
        assertDoesNotThrow(() -> new TicketGate("FIFO", new DequeSemaphore(4, false, false)).finish(List.of(), 4));
    }

    /** A single-threaded semaphore over a deque: FIFO, or one of the two known-bad orders. */
    private static final class DequeSemaphore implements TicketSemaphore {
        private final ArrayDeque<AdmissionTicket> waiters = new ArrayDeque<>();
        private final boolean lifo;
        private final boolean barging;
        private int free;

        DequeSemaphore(final int permits, final boolean lifo, final boolean barging) {
            this.free = permits;
            this.lifo = lifo;
            this.barging = barging;
        }

        @Override
        public boolean acquire(final AdmissionTicket ticket) {
            if (free > 0 && waiters.isEmpty()) {
                free--;
                return true;
            }
            waiters.addLast(ticket);
            return false;
        }

        @Override
        public void release() {
            final AdmissionTicket next = lifo ? waiters.pollLast() : waiters.pollFirst();
            if (next == null) {
                free++;
            } else {
                next.tryAdmit();
            }
        }

        @Override
        public boolean releaseAndAcquire(final AdmissionTicket ticket) {
            if (barging) {
                return true; // keeps the permit it releases, whoever waits
            }
            release();
            return acquire(ticket);
        }

        @Override
        public int counter() {
            return free;
        }

        @Override
        public boolean hasPending() {
            return !waiters.isEmpty();
        }
    }
}
