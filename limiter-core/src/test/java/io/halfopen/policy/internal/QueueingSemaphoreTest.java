package io.halfopen.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The semaphore's specification, one branch at a time, on one thread: the fast path, FIFO hand-offs,
 * withdrawal in each of its cases, reclamation of cells and segments, and the counter that gives every
 * departure's count back. The interleavings (deposits, a withdrawal racing a hand-off on its way) are
 * model-checked by {@link QueueingSemaphoreLincheckTest} and stressed by {@link QueueingSemaphoreStressTest}.
 */
@DisplayName("QueueingSemaphore: fast path, FIFO hand-off, withdrawal, reclamation")
class QueueingSemaphoreTest {

    private static final int WAITING = 0;
    private static final int ADMITTED = 1;
    private static final int LEFT = 2;

    private final List<Waiter> granted = new ArrayList<>();

    /** A waiter that records its grant; leaves by one CAS, as the limiter's attempts do. */
    final class Waiter {
        final int id;
        final AtomicInteger state = new AtomicInteger(WAITING);
        final AtomicInteger offers = new AtomicInteger();
        QueueingSemaphore.Cell cell;

        Waiter(final int id) {
            this.id = id;
        }

        boolean offer() {
            offers.incrementAndGet();
            if (state.compareAndSet(WAITING, ADMITTED)) {
                granted.add(this);
                return true;
            }
            return false;
        }

        void leave() {
            assertTrue(state.compareAndSet(WAITING, LEFT));
            cell.withdraw();
        }
    }

    private QueueingSemaphore<Waiter> semaphore(final int permits) {
        return new QueueingSemaphore<>(permits, Waiter::offer);
    }

    private Waiter acquire(final QueueingSemaphore<Waiter> semaphore, final int id) {
        final Waiter waiter = new Waiter(id);
        waiter.cell = semaphore.acquire(waiter);
        if (waiter.cell == null) {
            waiter.state.set(ADMITTED);
        }
        return waiter;
    }

    private List<Integer> grantedIds() {
        return granted.stream().map(w -> w.id).toList();
    }

    @Test
    void freePermitsAreTakenAtOnceAndTheNextAcquirerWaits() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(2);
        assertNull(acquire(semaphore, 0).cell);
        assertNull(acquire(semaphore, 1).cell);
        assertEquals(0, semaphore.availablePermits());
        assertEquals(2, semaphore.heldPermits());
        final Waiter third = acquire(semaphore, 2);
        assertNotNull(third.cell, "every permit held: the acquirer waits");
        assertEquals(-1, semaphore.counter());
        assertEquals(2, semaphore.peakHeld());
        assertEquals(2, semaphore.maxPermits());
        assertEquals(0, third.cell.position(), "the first waiting cell");
    }

    @Test
    void releasesHandPermitsToWaitersInTheOrderTheyCame() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        acquire(semaphore, 0);
        for (int id = 1; id <= 200; id++) { // several segments
            acquire(semaphore, id);
        }
        for (int i = 0; i < 200; i++) {
            semaphore.release();
        }
        final List<Integer> expected = new ArrayList<>();
        for (int id = 1; id <= 200; id++) {
            expected.add(id);
        }
        assertEquals(expected, grantedIds());
        semaphore.release();
        assertEquals(1, semaphore.counter(), "the last release frees the permit");
        assertEquals(1, semaphore.peakHeld());
    }

    @Test
    void tryAcquireTakesOnlyAFreePermitAndNeverQueues() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        assertTrue(semaphore.tryAcquire());
        assertFalse(semaphore.tryAcquire());
        assertEquals(0, semaphore.counter(), "a failed tryAcquire leaves no trace");
        semaphore.release();
        assertEquals(1, semaphore.counter());
        assertEquals(1, semaphore.peakHeld());
    }

    @Test
    void aWithdrawnWaiterIsSkippedAndGivesItsCountBack() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        acquire(semaphore, 0);
        final Waiter first = acquire(semaphore, 1);
        final Waiter leaving = acquire(semaphore, 2);
        final Waiter last = acquire(semaphore, 3);
        assertEquals(-3, semaphore.counter());
        leaving.leave();
        assertEquals(-2, semaphore.counter(), "the departure gave its count back");
        semaphore.release();
        semaphore.release();
        assertEquals(List.of(1, 3), grantedIds(), "the hand-off skipped the waiter that left");
        assertEquals(0, leaving.offers.get(), "a withdrawn waiter is never offered a permit");
        semaphore.release();
        assertEquals(1, semaphore.counter());
        assertTrue(first.state.get() == ADMITTED && last.state.get() == ADMITTED);
    }

    @Test
    void aWithdrawalThatFindsAHandOffsPermitCarriesItToTheNextWaiterOnItsOwnThread() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        acquire(semaphore, 0);
        final Waiter leaving = acquire(semaphore, 1);
        acquire(semaphore, 2);
        assertTrue(leaving.state.compareAndSet(WAITING, LEFT)); // left; its withdrawal comes later
        semaphore.release(); // offers the permit to the leaving waiter, which declines: the permit stays there
        assertEquals(List.of(), grantedIds());
        assertEquals(1, leaving.offers.get());
        leaving.cell.withdraw(); // finds the permit and hands it on
        assertEquals(List.of(2), grantedIds());
        assertEquals(0, semaphore.counter(), "one held, nobody owed a permit");
    }

    @Test
    void aWithdrawalThatFindsThePermitMeantForItFreesIt() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        acquire(semaphore, 0);
        final Waiter leaving = acquire(semaphore, 1);
        assertTrue(leaving.state.compareAndSet(WAITING, LEFT));
        semaphore.release(); // the only waiter declines: the permit waits in its cell
        assertEquals(0, semaphore.counter());
        leaving.cell.withdraw(); // nobody else is owed it: it becomes free
        assertEquals(1, semaphore.counter());
        assertNull(acquire(semaphore, 2).cell, "the freed permit is taken at once");
    }

    @Test
    void aMillionWithdrawalsLeaveTheCounterWhereItWasAndTheQueueEmpty() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(3);
        for (int i = 0; i < 3; i++) {
            acquire(semaphore, i);
        }
        for (int i = 0; i < 1_000_000; i++) {
            acquire(semaphore, 10).leave();
        }
        assertEquals(0, semaphore.counter(), "no count drifts, so none can wrap");
        assertTrue(semaphore.linkedSegments() <= 2, "segments linked: " + semaphore.linkedSegments());
        semaphore.release();
        assertEquals(1, semaphore.counter(), "the next release frees its permit: nobody is owed one");
        final int[] queued = {0};
        semaphore.forEachQueued(w -> queued[0]++);
        assertEquals(0, queued[0]);
    }

    @Test
    void aHandOffJumpsOverSegmentsWhoseWaitersAllLeft() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        acquire(semaphore, 0);
        final Waiter first = acquire(semaphore, 1); // cell 0, in the head segment
        for (int i = 0; i < 10 * Segment.SIZE; i++) {
            acquire(semaphore, 99).leave(); // fills and empties ten segments behind it
        }
        final Waiter live = acquire(semaphore, 2);
        assertTrue(semaphore.linkedSegments() <= 3, "departed segments stay linked: " + semaphore.linkedSegments());
        semaphore.release();
        semaphore.release();
        assertEquals(List.of(1, 2), grantedIds());
        assertEquals(ADMITTED, first.state.get());
        assertEquals(ADMITTED, live.state.get());
        assertEquals(0, semaphore.counter());
        assertTrue(semaphore.linkedSegments() <= 2, "segments linked after the jump: " + semaphore.linkedSegments());
    }

    @Test
    void aSegmentInTheMiddleWhoseWaitersAllLeaveIsUnlinkedAtOnce() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        acquire(semaphore, 0);
        final List<Waiter> waiters = new ArrayList<>();
        for (int i = 0; i < 4 * Segment.SIZE; i++) {
            waiters.add(acquire(semaphore, i + 1)); // segments 0 to 3, the tail in segment 3
        }
        assertEquals(4, semaphore.linkedSegments());
        assertEquals(Segment.SIZE + 1, waiters.get(Segment.SIZE + 1).cell.position(), "cell 65 is in segment 1");
        for (int i = Segment.SIZE; i < 2 * Segment.SIZE; i++) {
            waiters.get(i).leave(); // every waiter of segment 1, with segments before and after it alive
        }
        assertEquals(3, semaphore.linkedSegments(), "the emptied segment between head and tail is unlinked");
        for (int i = 0; i < 3 * Segment.SIZE; i++) {
            semaphore.release();
        }
        assertEquals(3 * Segment.SIZE, granted.size(), "every live waiter was granted, skipping segment 1");
        assertEquals(2 * Segment.SIZE + 1, granted.get(Segment.SIZE).id, "after segment 0 comes segment 2");
        assertEquals(1, semaphore.peakHeld());
    }

    @Test
    void thePeakCountsThePermitsHeldAtOnce() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(3);
        final Waiter first = acquire(semaphore, 0);
        assertEquals(1, semaphore.peakHeld());
        acquire(semaphore, 1);
        assertEquals(2, semaphore.peakHeld());
        semaphore.release();
        assertNull(acquire(semaphore, 2).cell);
        assertEquals(2, semaphore.peakHeld(), "taking a permit back is no new peak");
        assertTrue(semaphore.tryAcquire());
        assertEquals(3, semaphore.peakHeld());
        assertEquals(ADMITTED, first.state.get());
    }

    @Test
    void forEachQueuedPassesTheWaitersStillWaitingOldestFirst() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        acquire(semaphore, 0);
        final List<Waiter> waiters = new ArrayList<>();
        for (int id = 1; id <= 100; id++) {
            waiters.add(acquire(semaphore, id));
        }
        waiters.get(10).leave();
        semaphore.release(); // grants 1
        final List<Integer> seen = new ArrayList<>();
        semaphore.forEachQueued(w -> seen.add(w.id));
        final List<Integer> expected = new ArrayList<>();
        for (int id = 2; id <= 100; id++) {
            if (id != 11) {
                expected.add(id);
            }
        }
        assertEquals(expected, seen);
    }

    @Test
    void waitersGrantedByHandOffsGiveTheirSegmentsBack() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        acquire(semaphore, 0);
        for (int id = 1; id <= 4 * Segment.SIZE; id++) {
            acquire(semaphore, id);
        }
        assertEquals(4, semaphore.linkedSegments(), "four full segments");
        for (int i = 0; i < 4 * Segment.SIZE; i++) {
            semaphore.release();
        }
        assertEquals(4 * Segment.SIZE, granted.size());
        assertTrue(semaphore.linkedSegments() <= 2, "segments linked after every grant: " + semaphore.linkedSegments());
    }

    @Test
    void anAcquirerThatFindsAPermitDepositedInItsCellTakesItAndItsCellIsReclaimed() {
        // A release between an acquirer's decrement and its cell CAS deposits its permit in the empty cell. The
        // handle factory runs exactly there, so a factory that releases makes that interleaving exact.
        final List<QueueingSemaphore<Waiter>> self = new ArrayList<>();
        final QueueingSemaphore<Waiter> semaphore = new QueueingSemaphore<>(1, Waiter::offer, () -> {
            self.get(0).release(); // the holder of the only permit releases it: nobody waits in a cell yet
            return new QueueingSemaphore.Cell();
        });
        self.add(semaphore);
        acquire(semaphore, 0); // takes the permit on the fast path; the factory does not run
        for (int id = 1; id <= 4 * Segment.SIZE; id++) {
            final Waiter waiter = acquire(semaphore, id);
            assertNull(waiter.cell, "the acquirer took the permit deposited in its cell: it does not wait");
            assertEquals(0, semaphore.counter(), "one permit, held, nobody owed one");
        }
        assertEquals(List.of(), grantedIds(), "a deposit is taken, never offered");
        assertEquals(1, semaphore.peakHeld());
        assertTrue(semaphore.linkedSegments() <= 2, "deposited cells are reclaimed: " + semaphore.linkedSegments());
        semaphore.release();
        assertEquals(1, semaphore.counter());
    }

    @Test
    void aWithdrawalThatFreesThePermitMeantForItReclaimsItsCell() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        acquire(semaphore, 0);
        for (int i = 0; i < 4 * Segment.SIZE; i++) {
            final Waiter leaving = acquire(semaphore, i + 1);
            assertTrue(leaving.state.compareAndSet(WAITING, LEFT));
            semaphore.release(); // declined: the permit waits in the leaving waiter's cell
            leaving.cell.withdraw(); // nobody else is owed it: freed
            assertEquals(1, semaphore.counter());
            assertNull(acquire(semaphore, 0).cell, "the freed permit is taken back at once");
        }
        assertTrue(semaphore.linkedSegments() <= 2, "refused cells are reclaimed: " + semaphore.linkedSegments());
    }

    @Test
    void aWaiterLeavingASegmentWhoseOtherWaitersStayMakesNoHandOffSkipThem() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        acquire(semaphore, 0);
        final List<Waiter> waiters = new ArrayList<>();
        for (int id = 1; id <= 3 * Segment.SIZE; id++) {
            waiters.add(acquire(semaphore, id));
        }
        final Waiter leaving = waiters.get(Segment.SIZE + 5); // in segment 1, between live neighbours
        leaving.leave();
        assertEquals(3, semaphore.linkedSegments(), "segment 1 still holds live waiters: it stays linked");
        for (int i = 0; i < 3 * Segment.SIZE - 1; i++) {
            semaphore.release();
        }
        final List<Integer> expected = new ArrayList<>();
        for (final Waiter waiter : waiters) {
            if (waiter != leaving) {
                expected.add(waiter.id);
            }
        }
        assertEquals(expected, grantedIds(), "every live waiter, in order");
    }

    private Waiter releaseAndAcquire(final QueueingSemaphore<Waiter> semaphore, final int id) {
        final Waiter waiter = new Waiter(id);
        waiter.cell = semaphore.releaseAndAcquire(waiter);
        if (waiter.cell == null) {
            waiter.state.set(ADMITTED);
        }
        return waiter;
    }

    @Test
    void releaseAndAcquireWithNobodyWaitingKeepsThePermitAndWritesNothing() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(2);
        acquire(semaphore, 0);
        final String before = semaphore.toString();
        assertNull(releaseAndAcquire(semaphore, 1).cell, "the caller's next attempt holds the permit at once");
        assertEquals(before, semaphore.toString(), "counter and indices untouched");
        assertEquals(1, semaphore.counter(), "one held, one free");
        acquire(semaphore, 2);
        final String allHeld = semaphore.toString();
        assertNull(releaseAndAcquire(semaphore, 3).cell, "counter 0: every permit held, nobody owed one");
        assertEquals(allHeld, semaphore.toString(), "counter 0 is nobody owed: no hand-off, no cell claimed");
        assertEquals(0, semaphore.counter());
        assertEquals(List.of(), grantedIds());
    }

    @Test
    void releaseAndAcquireWithWaitersHandsThePermitToTheOldestAndQueuesBehindTheRest() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        acquire(semaphore, 0);
        acquire(semaphore, 1);
        acquire(semaphore, 2);
        final Waiter next = releaseAndAcquire(semaphore, 3);
        assertNotNull(next.cell, "two waited before it: it waits");
        assertEquals(List.of(1), grantedIds());
        assertEquals(-2, semaphore.counter(), "one held, two owed: the counter is where it was");
        semaphore.release();
        semaphore.release();
        assertEquals(List.of(1, 2, 3), grantedIds(), "the combined op's waiter is the youngest");
        semaphore.release();
        assertEquals(1, semaphore.counter());
    }

    @Test
    void releaseAndAcquireCarriesThePermitPastWaitersThatLeftAndCanEndInItsOwnCell() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        acquire(semaphore, 0);
        final Waiter cancelled = acquire(semaphore, 1);
        final Waiter declining = acquire(semaphore, 2);
        assertTrue(declining.state.compareAndSet(WAITING, LEFT)); // leaving: declines, withdraws afterwards
        cancelled.leave();
        assertEquals(-1, semaphore.counter(), "only the declining waiter is still counted");
        final Waiter next = releaseAndAcquire(semaphore, 3); // skips 1's cell, left with the declining 2
        assertNotNull(next.cell);
        assertEquals(1, declining.offers.get());
        declining.cell.withdraw(); // carries the permit on: to the combined op's own waiter
        assertEquals(List.of(3), grantedIds());
        assertEquals(0, semaphore.counter(), "one held, nobody owed");
        semaphore.release();
        assertEquals(1, semaphore.counter());
        assertEquals(0, cancelled.offers.get(), "a withdrawn waiter is never offered");
    }

    @Test
    void segmentsAndMarkersDescribeThemselves() {
        final Segment segment = new Segment(3, null, 2);
        segment.cellDone();
        segment.cellDone();
        assertEquals(2, segment.doneCells(), "done cells, not the two pointers packed beside them");
        assertEquals("Segment[3, done 2]", segment.toString());
        assertEquals("PERMIT", String.valueOf(QueueingSemaphore.PERMIT));
        assertEquals("CANCELLED", String.valueOf(QueueingSemaphore.CANCELLED));
        assertEquals("REFUSED", String.valueOf(QueueingSemaphore.REFUSED));
    }

    @Test
    void theCountOfPermitsMustBePositive() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> semaphore(0));
        assertEquals("maxPermits must be >= 1, was 0", e.getMessage());
        assertThrows(NullPointerException.class, () -> new QueueingSemaphore<Waiter>(1, null));
    }

    @Test
    void toStringShowsTheCounterAndBothIndices() {
        final QueueingSemaphore<Waiter> semaphore = semaphore(1);
        acquire(semaphore, 0);
        acquire(semaphore, 1);
        assertEquals("QueueingSemaphore[maxPermits=1, counter=-1, enqIdx=1, deqIdx=0]", semaphore.toString());
    }
}
