package io.halfopen.policy.internal;

import static io.halfopen.policy.internal.ReleaseAndAcquireRacesLincheckTest.REAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.fixture.ModelChecked;
import io.halfopen.policy.internal.ReleaseAndAcquireRacesLincheckTest.Combined;
import io.halfopen.policy.internal.ReleaseAndAcquireRacesLincheckTest.Ticket;
import io.halfopen.policy.internal.ReleaseAndAcquireRacesLincheckTest.World;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The interleavings of {@link QueueingSemaphore#releaseAndAcquire} that {@link ReleaseAndAcquireRacesLincheckTest}
 * leaves out, with its {@link World} (conservation, at most one offer each, FIFO on draining) and its
 * specification ({@code release()} then {@code acquire(waiter)} in program order):
 * <ul>
 *   <li>a plain acquirer caught between its counter step and its cell's write while the combined operation runs:
 *       the release must carry its permit to that acquirer (a deposit in the cell it claimed), never keep it.
 *       The semaphore's handle factory runs in exactly that window (after the acquirer took its index, before it
 *       writes its cell), so a race's other thread can see that it is there; the model checker explores the rest;</li>
 *   <li>the same races and two combined operations at once with the cells on either side of a segment boundary
 *       (cells 63 and 64: the indices are moved there by real hand-offs once, before the model checker runs the
 *       race; see {@link #prepare});</li>
 *   <li>a waiter whose grant callback, running on the combined operation's thread inside its hand-off, itself
 *       releases and acquires again (combined or separately): the nested operations take effect inside the
 *       outer release, so their waiter is in line before the outer operation's own.</li>
 * </ul>
 * A known-bad combined operation that keeps its permit when the next cell holds no waiter yet (it takes an
 * acquirer between its two steps for nobody) must be caught by the first race.
 */
class ReleaseAndAcquireInterleavingsLincheckTest {

    private static final int INVOCATIONS = 300;

    private static final int WAITING = 0;
    private static final int ADMITTED = 1;
    private static final int GAVE_BACK = 3;

    /**
     * Known bad: keeps its permit when the counter says someone is owed one but the next cell holds no waiter yet,
     * as if "owed" meant "a waiter is in its cell"; it barges past an acquirer between its counter step and its
     * write.
     */
    static final Combined KEEPS_WHEN_THE_NEXT_CELL_IS_UNWRITTEN = (semaphore, next) -> {
        final long index = semaphore.deqIdx;
        final Segment head = semaphore.head;
        if (semaphore.counter() >= 0
                || head.id == index / Segment.SIZE && head.get((int) (index % Segment.SIZE)) == null) {
            return null;
        }
        return semaphore.releaseAndAcquire(next);
    };

    /** A world whose semaphore counts the handles it makes: one per acquirer that took a cell index. */
    static final class Counted {
        final AtomicInteger handles = new AtomicInteger();
        final World world;

        Counted(final int permits) {
            this.world = new World(permits, () -> {
                handles.incrementAndGet();
                return new QueueingSemaphore.Cell();
            });
        }
    }

    /**
     * Moves both indices to {@code cellsBeforeTheBoundary} cells before the end of the first segment by real
     * hand-offs (each waiter granted by the release after it), then takes every permit for the world's holders.
     * The moving tickets are not the world's: its checks loop over its tickets, and a loop of more than about 50
     * iterations is a livelock to the model checker (hence three steps per iteration, and one grant polled at
     * a time). Called when a race is built, before the model checker runs it, not inside the race: run inside,
     * the moves made Lincheck 3.7 end its exploration after 3 to 7 of 300 invocations (seen with 30 and 63
     * moves, while the same race with no moves ran all 300), so the race saw almost no interleavings. Built
     * outside, the prepared world is captured by the race, and Lincheck restores the objects a race reaches
     * that existed before it ran to their state at its start after each invocation: every invocation starts from
     * the prepared state (if one did not, the holder would have given its permit back already, and the world's
     * "only a holder releases" check would fail the race, not pass it).
     */
    static Ticket[] prepare(final World world, final int cellsBeforeTheBoundary) {
        final QueueingSemaphore<Ticket> semaphore = world.semaphore;
        for (int i = 0; i < world.permits; i++) {
            assertNull(semaphore.acquire(new Ticket("mover")), "a free permit was not granted");
        }
        final int steps = Segment.SIZE - cellsBeforeTheBoundary;
        for (int i = 0; i < steps / 3; i++) {
            moveOne(world);
            moveOne(world);
            moveOne(world);
        }
        for (int i = 0; i < steps % 3; i++) {
            moveOne(world);
        }
        for (int i = 0; i < world.permits; i++) {
            semaphore.release();
        }
        assertEquals(world.permits, semaphore.counter(), "could not prepare the semaphore: " + semaphore);
        final Ticket[] holders = new Ticket[world.permits];
        for (int i = 0; i < holders.length; i++) {
            holders[i] = world.acquire("holder-" + (i + 1));
            assertNull(holders[i].cell);
        }
        return holders;
    }

    private static void moveOne(final World world) {
        final Ticket mover = new Ticket("mover");
        mover.cell = world.semaphore.acquire(mover);
        assertNotNull(mover.cell, "an acquire with every permit held did not wait");
        world.semaphore.release(); // grants the mover, which now holds the permit released
        assertEquals(mover, world.grants.poll()); // one at a time: clearing 63 at once is a livelock too
    }

    private static void race(final String what, final Runnable race) {
        ModelChecked.check("releaseAndAcquire: " + what, INVOCATIONS, race);
    }

    @BeforeAll
    static void warmUp() {
        ModelChecked.warmUp("releaseAndAcquire against a stalled acquirer, at a segment boundary",
                () -> stalledAcquirerRace(REAL, 1, true).run());
    }

    /**
     * One permit, held. A plain acquirer races the holder's combined operation; with {@code aWaiterLeavesFirst},
     * a waiter queued before the race leaves first on the acquirer's thread (the hand-off then skips its cell
     * and reaches the acquirer's). The combined operation's thread looks, before it starts, whether the acquirer
     * has made its handle: if so, the acquirer's counter step came first and it is the oldest waiter (the one
     * ahead has left), so the release's permit is its own, whether the hand-off finds its cell still empty (a
     * deposit) or written (an offer), and the combined operation's waiter queues behind it. Either way, one
     * holder; with nobody leaving, the combined operation's waiter is never granted by its own hand-off (with the
     * waiter leaving, its withdrawal may carry the permit on into that waiter's cell, as the class comment of
     * {@link QueueingSemaphore#releaseAndAcquire} allows).
     */
    static Runnable stalledAcquirerRace(final Combined combined, final int cellsBeforeTheBoundary,
            final boolean aWaiterLeavesFirst) {
        final Counted counted = new Counted(1);
        final World world = counted.world;
        final Ticket holder = prepare(world, cellsBeforeTheBoundary)[0];
        return () -> {
            final Ticket waiter = aWaiterLeavesFirst ? world.acquire("waiter") : null;
            final int handlesBefore = counted.handles.get();
            final Ticket[] late = new Ticket[1];
            final Ticket[] next = new Ticket[1];
            final boolean[] lateWasThere = new boolean[1];
            ModelChecked.inParallel(
                    () -> {
                        if (waiter != null) {
                            waiter.leave(); // fails if the release granted it first
                        }
                        late[0] = world.acquire("late");
                    },
                    () -> {
                        lateWasThere[0] = counted.handles.get() > handlesBefore;
                        next[0] = world.releaseAndAcquire(combined, holder, "next");
                    });
            if (lateWasThere[0]) {
                assertEquals(ADMITTED, late[0].state.get(),
                        "the acquirer had taken its cell before the combined operation began: the release's permit"
                                + " is its own: " + world.tickets + " " + world.semaphore);
                assertNotNull(next[0].cell, "the combined operation kept the permit owed to the acquirer");
                if (late[0].cell != null) {
                    assertTrue(late[0].cell.position() < next[0].cell.position(), "the acquirer whose counter step"
                            + " came first is behind the combined operation's waiter: " + world.tickets);
                }
            }
            final int holders = (late[0].state.get() == ADMITTED ? 1 : 0) + (next[0].state.get() == ADMITTED ? 1 : 0)
                    + (waiter != null && waiter.state.get() == ADMITTED ? 1 : 0);
            assertEquals(1, holders, "one permit, one holder: " + world.tickets);
            if (waiter == null && next[0].cell != null) {
                // (with a waiter leaving, its withdrawal may carry the permit on into this cell: allowed)
                assertEquals(WAITING, next[0].state.get(), "the combined operation's hand-off granted its own waiter");
            }
            world.checkAndDrain();
        };
    }

    /**
     * Two permits, both held, two waiters in cells 63 and 64 (either side of the first segment boundary): both
     * holders run the combined operation at once, so one hand-off takes cell 63 while the other takes cell 64
     * and moves the head into the second segment, and the two claims take cells 65 and 66. Both waiters must be
     * granted (neither left), and the combined operations' waiters queue behind them.
     */
    static Runnable twoCombinedAcrossTheBoundaryRace(final Combined combined) {
        final World world = new World(2);
        final Ticket[] holders = prepare(world, 1);
        return () -> {
            final Ticket first = world.acquire("waiter-63");
            final Ticket second = world.acquire("waiter-64");
            assertEquals(Segment.SIZE - 1, first.cell.position());
            final Ticket[] next = new Ticket[2];
            ModelChecked.inParallel(
                    () -> next[0] = world.releaseAndAcquire(combined, holders[0], "next-1"),
                    () -> next[1] = world.releaseAndAcquire(combined, holders[1], "next-2"));
            assertEquals(ADMITTED, first.state.get(), "the waiter in cell 63 was skipped: " + world.tickets);
            assertEquals(ADMITTED, second.state.get(), "the waiter in cell 64 was skipped: " + world.tickets);
            assertEquals(WAITING, next[0].state.get());
            assertEquals(WAITING, next[1].state.get());
            world.checkAndDrain();
            assertTrue(world.semaphore.linkedSegments() <= 2, "segments still linked: " + world.semaphore.linkedSegments());
        };
    }

    /**
     * One permit, held; a waiter whose grant callback, on the granting thread, releases its permit and acquires
     * again at once ({@code combinedInside}: by the combined operation; else by release() then acquire()); a
     * second waiter behind it. The holder's combined operation races a plain acquirer. The first waiter is
     * granted by the holder's release; its nested release goes to the second waiter; its nested acquire's waiter
     * is queued inside the outer release, so before the outer operation's waiter.
     */
    static Runnable reentrantGrantRace(final boolean combinedInside, final boolean secondWaiter) {
        return () -> {
            final World world = new World(1);
            final Ticket holder = world.acquire("holder");
            final Ticket first = world.acquire("first");
            final Ticket second = secondWaiter ? world.acquire("second") : null;
            final Ticket[] again = new Ticket[1];
            first.onGrant = nested(world, first, again, combinedInside);
            final Ticket[] next = new Ticket[1];
            ModelChecked.inParallel(
                    () -> next[0] = world.releaseAndAcquire(REAL, holder, "next"),
                    () -> world.acquire("late"));
            assertEquals(GAVE_BACK, first.state.get(), "the first waiter was not granted by the release: " + world.tickets);
            assertNotNull(again[0], "the grant callback did not run");
            if (second != null) {
                assertEquals(ADMITTED, second.state.get(), "the nested release skipped the second waiter: "
                        + world.tickets);
            }
            checkTheNestedWaiterIsAhead(world, again[0], next[0]);
            world.checkAndDrain();
        };
    }

    /** The grant callback of {@code ticket}: gives its permit back and queues {@code again[0]} at once. */
    private static Runnable nested(final World world, final Ticket ticket, final Ticket[] again,
            final boolean combinedInside) {
        return () -> {
            if (combinedInside) {
                again[0] = world.releaseAndAcquire(REAL, ticket, ticket.name + "-again");
            } else {
                world.release(ticket);
                again[0] = world.acquire(ticket.name + "-again");
            }
        };
    }

    /** The nested acquire took effect inside the outer release: its waiter is served first. */
    private static void checkTheNestedWaiterIsAhead(final World world, final Ticket again, final Ticket next) {
        if (next.state.get() == ADMITTED) {
            assertEquals(ADMITTED, again.state.get(), "the outer operation's waiter holds a permit while the nested"
                    + " one, queued before it, waits: " + world.tickets);
        }
        if (again.cell != null && next.cell != null) {
            assertTrue(again.cell.position() < next.cell.position(), "the nested waiter is behind the outer one: "
                    + world.tickets);
        }
    }

    @Test
    void anAcquirerBetweenItsCounterStepAndItsWriteGetsTheReleasedPermit() {
        race("a stalled acquirer", stalledAcquirerRace(REAL, Segment.SIZE, false));
    }

    @Test
    void anAcquirerBetweenItsStepsGetsThePermitAfterTheWaiterAheadLeft() {
        race("a stalled acquirer behind a leaving waiter", stalledAcquirerRace(REAL, Segment.SIZE, true));
    }

    @Test
    void aStalledAcquirerInTheLastCellOfASegmentGetsThePermit() {
        race("a stalled acquirer in cell 63", stalledAcquirerRace(REAL, 1, false));
    }

    @Test
    void aStalledAcquirerInTheFirstCellOfTheNextSegmentGetsThePermitPastALeavingWaiter() {
        race("a stalled acquirer in cell 64, the waiter in 63 leaving", stalledAcquirerRace(REAL, 1, true));
    }

    @Test
    void twoCombinedOperationsHandOffAcrossASegmentBoundary() {
        race("two at once across a segment boundary", twoCombinedAcrossTheBoundaryRace(REAL));
    }

    @Test
    void aGrantCallbackThatReleasesAndAcquiresAgainByTheCombinedOperationStaysAhead() {
        race("a grant callback that runs the combined operation", reentrantGrantRace(true, true));
    }

    @Test
    void aGrantCallbackThatReleasesThenAcquiresStaysAhead() {
        race("a grant callback that releases then acquires", reentrantGrantRace(false, true));
    }

    @Test
    void aGrantCallbackWithNobodyBehindItTakesBackThePermitItGaveUp() {
        race("a grant callback with nobody behind it", reentrantGrantRace(true, false));
    }

    @Test
    void aCombinedOperationThatTakesAnUnwrittenCellForNobodyIsCaught() {
        final LincheckAssertionError error = assertThrows(LincheckAssertionError.class,
                () -> race("known bad, keeps when the next cell is unwritten",
                        stalledAcquirerRace(KEEPS_WHEN_THE_NEXT_CELL_IS_UNWRITTEN, Segment.SIZE, false)));
        System.out.println("[lincheck] known-bad verdict: " + error.getMessage().strip().lines().findFirst().orElse(""));
        assertTrue(error.getMessage().contains("the release's permit is its own"), error.getMessage());
    }

    @Test
    void aCombinedOperationThatTakesAnUnwrittenCellForNobodyIsCaughtAtTheEndOfASegment() {
        final LincheckAssertionError error = assertThrows(LincheckAssertionError.class,
                () -> race("known bad in cell 63, keeps when the next cell is unwritten",
                        stalledAcquirerRace(KEEPS_WHEN_THE_NEXT_CELL_IS_UNWRITTEN, 1, false)));
        System.out.println("[lincheck] known-bad verdict: " + error.getMessage().strip().lines().findFirst().orElse(""));
        assertTrue(error.getMessage().contains("the release's permit is its own"), error.getMessage());
    }

    /**
     * On one thread, step by step: the first waiter's grant callback runs the combined operation inside the
     * holder's; the nested hand-off grants the second waiter, the nested waiter takes cell 2, the outer one
     * cell 3, and the counter still counts both.
     */
    @Test
    void aNestedCombinedOperationInAGrantCallbackQueuesBeforeTheOuterOne() {
        for (final boolean combinedInside : new boolean[] {true, false}) {
            final World world = new World(1);
            final Ticket holder = world.acquire("holder");
            final Ticket first = world.acquire("first");
            final Ticket second = world.acquire("second");
            final Ticket[] again = new Ticket[1];
            first.onGrant = nested(world, first, again, combinedInside);
            final Ticket next = world.releaseAndAcquire(REAL, holder, "next");
            assertEquals(GAVE_BACK, first.state.get());
            assertEquals(ADMITTED, second.state.get());
            assertEquals(2, again[0].cell.position(), "the nested waiter's cell");
            assertEquals(3, next.cell.position(), "the outer waiter's cell");
            assertEquals(-2, world.semaphore.counter());
            world.checkAndDrain();
        }
    }

    /**
     * On one thread: with nobody behind the first waiter, the nested combined operation reads the counter that
     * still counts the outer operation's waiter-to-be, hands its permit to the next cell, which is empty, and
     * claims that very cell: the nested waiter holds the permit, the outer one waits behind it.
     */
    @Test
    void aNestedCombinedOperationWithNobodyBehindTakesItsOwnDeposit() {
        final World world = new World(1);
        final Ticket holder = world.acquire("holder");
        final Ticket first = world.acquire("first");
        final Ticket[] again = new Ticket[1];
        first.onGrant = nested(world, first, again, true);
        final Ticket next = world.releaseAndAcquire(REAL, holder, "next");
        assertEquals(GAVE_BACK, first.state.get());
        assertNull(again[0].cell, "the nested waiter found the deposit in its cell");
        assertEquals(ADMITTED, again[0].state.get());
        assertEquals(2, next.cell.position());
        assertEquals(WAITING, next.state.get());
        assertEquals(-1, world.semaphore.counter());
        world.checkAndDrain();
    }
}
