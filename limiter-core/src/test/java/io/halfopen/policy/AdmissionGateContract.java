package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate contract test, in JCTools' style: one abstract specification of {@link AdmissionGate}'s javadoc
 * that every gate's test extends. It drives a gate directly, as the limiter would, with tickets that keep the
 * limiter's side of the contract (one CAS decides between a grant and a departure; a departed ticket
 * withdraws once) and check the gate's side: conservation (never more admitted than the bound, each exit
 * frees one slot), exactly one answer per ticket (never offered twice, never offered after leaving or after an
 * admission at once), no waiter left behind, FIFO where the gate claims it, departures in both states (a
 * waiter that withdraws, an admitted ticket that exits as cancelled), departures racing a grant, memory
 * (a withdrawn ticket is unreachable), close, an {@code enter} after close, owners that re-enter the gate
 * inside {@code tryAdmit()} (no offer under a lock), newcomers that do not barge past waiters (where FIFO is
 * claimed), and all of it again from three threads.
 *
 * <p>Time-driven gates run on a {@link VirtualClock}; {@link #settle()} advances it far enough for every
 * offer the policy would make.
 */
public abstract class AdmissionGateContract {

    private static final int WAITING = 0;
    private static final int ADMITTED = 1;
    private static final int LEFT = 2;
    private static final int EXITED = 3;

    /** The clock the gate is created with: its ticker and its scheduler. */
    protected final VirtualClock clock = new VirtualClock();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<Ticket> admissionOrder = new CopyOnWriteArrayList<>();
    private final AtomicInteger admittedNow = new AtomicInteger();
    private final AtomicInteger admittedPeak = new AtomicInteger();
    private AdmissionPolicy policy;
    private AdmissionGate gate;
    private int nextId;

    /**
     * Returns the policy under test, with a bound small enough to exercise (at most a few dozen).
     *
     * @return a fresh policy
     */
    protected abstract AdmissionPolicy policy();

    /**
     * Returns whether the gate admits waiting tickets in the order they entered.
     *
     * @return whether it claims FIFO
     */
    protected abstract boolean fifo();

    /**
     * Returns how far one step of {@link #settle()} moves the clock: the policy's own period, if it has one.
     *
     * @return the step
     */
    protected Duration settleStep() {
        return Duration.ofSeconds(1);
    }

    /** Creates the gate under test, on {@link #clock}. */
    @BeforeEach
    public final void createGate() {
        policy = policy();
        gate = policy.newGate(new PolicyContext(clock, clock));
    }

    /** Moves the clock far enough for every offer the policy would make now; no-op for timeless gates. */
    protected final void settle() {
        for (int i = 0; i < 64; i++) {
            clock.advance(settleStep());
        }
    }

    private int bound() {
        return Math.min(policy.maxHalfOpen(), 8);
    }

    private boolean bounded() {
        return policy.maxHalfOpen() != Integer.MAX_VALUE;
    }

    // ------------------------------------------------------------------------------- the limiter's side

    /** A ticket that keeps the limiter's side of the contract and records what the gate did to it. */
    final class Ticket implements AdmissionTicket {
        final int id = nextId++;
        final AtomicInteger state = new AtomicInteger(WAITING);
        final AtomicInteger offers = new AtomicInteger();
        final InetSocketAddress remote = address(id);
        volatile Admission admission;
        /** Whether its owner reports at once inside its grant, as an instant refusal does through the limiter. */
        volatile boolean reportsInsideTryAdmit;

        @Override
        public InetSocketAddress remote() {
            return remote;
        }

        @Override
        public boolean tryAdmit() {
            if (offers.incrementAndGet() > 1) {
                violations.add("ticket " + id + " was offered a slot twice");
            }
            if (admission == Admission.admitted()) {
                violations.add("ticket " + id + " was offered a slot although it was admitted at once");
            }
            if (!state.compareAndSet(WAITING, ADMITTED)) {
                return false;
            }
            admitted(this);
            if (reportsInsideTryAdmit) {
                exit(this, Outcome.REFUSED); // re-enters the gate on this thread, before tryAdmit() returns
            }
            return true;
        }

        boolean isAdmitted() {
            return state.get() == ADMITTED;
        }
    }

    private void admitted(final Ticket ticket) {
        admissionOrder.add(ticket);
        final int now = admittedNow.incrementAndGet();
        admittedPeak.accumulateAndGet(now, Math::max);
        if (now > policy.maxHalfOpen()) {
            violations.add(now + " tickets admitted at once, the bound is " + policy.maxHalfOpen());
        }
    }

    private static InetSocketAddress address(final int id) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100,
                    (byte) (id % 250 + 1)}), 25); // TEST-NET-2: never connected to
        } catch (final UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Enters a new ticket as the limiter does. */
    final Ticket enter() {
        return enter(false);
    }

    /** Enters a new ticket whose owner, if it has to wait, reports at once inside the {@code tryAdmit()} that
     * grants it. */
    final Ticket enter(final boolean reportsInsideTryAdmit) {
        final Ticket ticket = new Ticket();
        ticket.reportsInsideTryAdmit = reportsInsideTryAdmit;
        final Admission admission = gate.enter(ticket);
        ticket.admission = admission;
        if (admission == Admission.admitted()) {
            if (ticket.state.compareAndSet(WAITING, ADMITTED)) {
                admitted(ticket);
            } else {
                violations.add("ticket " + ticket.id + " admitted at once after a tryAdmit");
            }
        } else if (!(admission instanceof Admission.Waiting)) {
            violations.add("ticket " + ticket.id + " refused: " + admission);
        }
        return ticket;
    }

    /** The ticket leaves as the limiter's cancel or timeout does: one CAS, then one withdrawal. */
    final boolean leave(final Ticket ticket) {
        if (!ticket.state.compareAndSet(WAITING, LEFT)) {
            return false;
        }
        ((Admission.Waiting) ticket.admission).withdraw();
        return true;
    }

    /** The admitted ticket's attempt ends as the limiter reports it, once. */
    final void exit(final Ticket ticket, final Outcome outcome) {
        assertTrue(ticket.state.compareAndSet(ADMITTED, EXITED), "exit of a ticket that is not admitted");
        admittedNow.decrementAndGet();
        gate.exit(ticket, outcome);
    }

    private List<Ticket> admittedOf(final List<Ticket> tickets) {
        final List<Ticket> admitted = new ArrayList<>();
        for (final Ticket ticket : tickets) {
            if (ticket.isAdmitted()) {
                admitted.add(ticket);
            }
        }
        return admitted;
    }

    private void assertNoViolation() {
        assertEquals(List.of(), violations, "the gate broke its contract");
    }

    // ------------------------------------------------------------------------------- the specification

    @Test
    public void aFreshGateAdmitsUpToItsBoundAndKeepsTheRestWaiting() {
        final List<Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < bound() + 3; i++) {
            tickets.add(enter());
        }
        settle();
        final int admitted = admittedOf(tickets).size();
        assertEquals(bounded() ? bound() : tickets.size(), admitted, "admitted from a fresh gate");
        assertEquals(admitted, gate.halfOpen(), "halfOpen counts the admitted tickets");
        assertEquals(admitted, gate.peakHalfOpen());
        assertNoViolation();
    }

    @Test
    public void everyExitFreesOneSlotAndEveryWaiterIsAdmittedOnceSlotsFree() {
        final List<Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < bound() + 5; i++) {
            tickets.add(enter());
        }
        settle();
        for (int round = 0; round < tickets.size() && admittedOf(tickets).size() > 0; round++) {
            final Ticket holder = admittedOf(tickets).get(0);
            final int halfOpenBefore = gate.halfOpen();
            final long waitingBefore = tickets.stream().filter(t -> t.state.get() == WAITING).count();
            exit(holder, Outcome.values()[round % Outcome.values().length]);
            settle();
            assertEquals(waitingBefore > 0 ? halfOpenBefore : halfOpenBefore - 1, gate.halfOpen(),
                    "after an exit, the slot went to a waiter, or was freed if nobody waited");
        }
        assertEquals(0, tickets.stream().filter(t -> t.state.get() == WAITING).count(), "waiters left behind");
        assertEquals(0, gate.halfOpen(), "every slot came back");
        assertEquals(bounded() ? bound() : tickets.size(), admittedPeak.get());
        assertNoViolation();
    }

    @Test
    public void waitersAreAdmittedInTheOrderTheyEnteredWhereTheGateClaimsFifo() {
        final List<Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < bound() + 10; i++) {
            tickets.add(enter());
        }
        settle();
        while (!admittedOf(tickets).isEmpty()) {
            exit(admittedOf(tickets).get(0), Outcome.ESTABLISHED);
            settle();
        }
        final List<Integer> order = admissionOrder.stream().map(t -> t.id).toList();
        if (fifo()) {
            final List<Integer> entered = tickets.stream().map(t -> t.id).toList();
            assertEquals(entered, order, "admission order");
        } else {
            assertEquals(tickets.size(), order.size());
        }
        assertNoViolation();
    }

    @Test
    public void aWaiterThatLeavesIsNeverAdmittedAndTheSlotGoesToTheNextOne() {
        final List<Ticket> holders = fill();
        if (holders == null) {
            return; // an unbounded gate has no waiters
        }
        final Ticket first = enter();
        final Ticket leaving = enter();
        final Ticket last = enter();
        assertTrue(leave(leaving));
        exit(holders.get(0), Outcome.REFUSED);
        settle();
        assertTrue(first.isAdmitted(), "the oldest waiter got the freed slot");
        exit(first, Outcome.TIMED_OUT);
        settle();
        assertTrue(last.isAdmitted(), "the slot skipped the waiter that left");
        assertEquals(LEFT, leaving.state.get(), "the waiter that left was never admitted");
        assertNoViolation();
    }

    @Test
    public void aWaiterThatDeclinesItsOfferLosesNoSlot() {
        final List<Ticket> holders = fill();
        if (holders == null) {
            return;
        }
        final Ticket decliner = enter();
        final Ticket next = enter();
        assertTrue(decliner.state.compareAndSet(WAITING, LEFT)); // left, its withdrawal not made yet
        exit(holders.get(0), Outcome.ESTABLISHED);
        settle();
        ((Admission.Waiting) decliner.admission).withdraw(); // the gate hands the slot on by now at the latest
        settle();
        assertTrue(next.isAdmitted(), "the declined slot went to the next waiter");
        assertEquals(holders.size(), gate.halfOpen(), "no slot lost, none duplicated");
        assertNoViolation();
    }

    @Test
    public void anAdmittedTicketThatIsCancelledFreesItsSlot() {
        final Ticket ticket = enter();
        settle();
        assertTrue(ticket.isAdmitted());
        exit(ticket, Outcome.CANCELLED);
        assertEquals(0, gate.halfOpen());
        final List<Ticket> again = new ArrayList<>();
        for (int i = 0; i < bound(); i++) {
            again.add(enter());
        }
        settle();
        assertEquals(bound(), admittedOf(again).size(), "the cancelled ticket's slot is free again");
        assertNoViolation();
    }

    @Test
    public void aWithdrawnTicketIsUnreachableThroughTheGate() {
        final List<Ticket> holders = fill();
        if (holders == null) {
            return;
        }
        final WeakReference<Ticket> withdrawn = enterAndLeave();
        for (int i = 0; i < 20 && withdrawn.get() != null; i++) {
            System.gc();
        }
        assertEquals(null, withdrawn.get(), "the gate still references a withdrawn ticket");
        assertEquals(holders.size(), gate.halfOpen());
    }

    private WeakReference<Ticket> enterAndLeave() {
        final Ticket ticket = enter();
        assertTrue(leave(ticket));
        return new WeakReference<>(ticket);
    }

    @Test
    public void closeStopsOffersFromTimersAndLeavesExitsWorking() {
        final List<Ticket> holders = fill();
        final List<Ticket> waiting = new ArrayList<>();
        if (holders != null) {
            for (int i = 0; i < 3; i++) {
                waiting.add(enter());
            }
            final List<AdmissionTicket> queued = new ArrayList<>();
            gate.forEachQueued(queued::add);
            assertEquals(fifo() ? waiting : queued, queued, "forEachQueued lists the waiters, oldest first");
            assertTrue(queued.containsAll(waiting), "forEachQueued lists every waiter");
            for (final AdmissionTicket ticket : queued) { // as the limiter's close() fails them
                leave((Ticket) ticket);
            }
        }
        gate.close();
        settle();
        assertEquals(0, clock.pendingTasks(), "the gate left timers armed after close");
        for (final Ticket ticket : waiting) {
            assertEquals(LEFT, ticket.state.get());
        }
        if (holders != null) {
            for (final Ticket holder : holders) {
                exit(holder, Outcome.ESTABLISHED);
            }
        }
        assertEquals(0, gate.halfOpen(), "exits after close still free their slots");
        assertNoViolation();
    }

    /**
     * {@link AdmissionGate}'s rule: {@code tryAdmit()} may run the owner's code, which may re-enter the gate on
     * the same thread ({@code exit} here). A gate that offers under a lock of its own deadlocks on it (or, with
     * a reentrant lock, corrupts the structure it is iterating); the reporter runs on its own thread, so that a
     * deadlock fails this specification instead of hanging the suite.
     */
    @Test
    public void anOwnerThatReportsInsideTryAdmitMayReenterTheGateOnThatThread() throws InterruptedException {
        final List<Ticket> holders = fill();
        if (holders == null) {
            return; // an unbounded gate admits at once and never calls tryAdmit()
        }
        final List<Ticket> instant = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            instant.add(enter(true));
        }
        final Ticket last = enter();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread reporter = new Thread(() -> {
            try {
                exit(holders.get(0), Outcome.ESTABLISHED); // each instant waiter is granted and exits in turn
                settle();
            } catch (final Throwable e) {
                failure.set(e);
            }
        }, "contract-reporter");
        reporter.setDaemon(true); // a deadlocked gate must not keep the JVM alive
        reporter.start();
        reporter.join(TimeUnit.SECONDS.toMillis(10)); // ten exits: milliseconds, even on a busy machine
        assertFalse(reporter.isAlive(), "the reporter is stuck: the gate called tryAdmit() under a lock that the"
                + " owner's report, made inside tryAdmit(), takes again");
        if (failure.get() != null) {
            throw new AssertionError("the reporter failed", failure.get());
        }
        for (final Ticket ticket : instant) {
            assertEquals(EXITED, ticket.state.get(), "ticket " + ticket.id + " was granted and reported");
        }
        assertTrue(last.isAdmitted(), "the slot that the instant reporters passed on reached the last waiter");
        assertEquals(policy.maxHalfOpen(), gate.halfOpen(), "no slot lost, none duplicated");
        assertNoViolation();
    }

    /**
     * {@link AdmissionGate}'s FIFO rule: a ticket that enters while another waits, just after an exit freed the
     * slot that waiter is to get (offered at once, or by the gate's timer later), waits behind it. A gate that
     * does not claim FIFO still hands the one freed slot to exactly one of them.
     */
    @Test
    public void aNewcomerNeverTakesTheSlotFreedForTheTicketsThatWaitWhereTheGateClaimsFifo() {
        final List<Ticket> holders = fill();
        if (holders == null) {
            return;
        }
        final Ticket oldest = enter();
        exit(holders.get(0), Outcome.ESTABLISHED);
        final Ticket newcomer = enter(); // before the gate's timer, if it has one, offers the freed slot
        settle();
        assertEquals(1, (oldest.isAdmitted() ? 1 : 0) + (newcomer.isAdmitted() ? 1 : 0),
                "one slot was freed: exactly one of the two has it");
        if (fifo()) {
            assertTrue(oldest.isAdmitted(), "the oldest waiter got the freed slot");
            assertEquals(WAITING, newcomer.state.get(), "the newcomer waits behind it, it did not barge");
        }
        assertEquals(policy.maxHalfOpen(), gate.halfOpen());
        assertNoViolation();
    }

    /**
     * {@link AdmissionGate}'s first rule: {@code enter} may follow {@code close()} (an attempt that raced with
     * the limiter's close); the gate answers it as before, and the answer's ticket leaves or exits as usual.
     */
    @Test
    public void aGateAnswersAnEnterThatFollowsItsClose() {
        gate.close();
        final Ticket ticket = enter();
        settle();
        if (ticket.isAdmitted()) {
            exit(ticket, Outcome.CANCELLED);
        } else {
            assertTrue(leave(ticket), "a ticket entered after close is admitted or waits");
        }
        assertEquals(0, gate.halfOpen(), "its slot, if it had one, came back");
        assertNoViolation();
    }

    /** Admits as many tickets as the bound; {@code null} for an unbounded gate. */
    private List<Ticket> fill() {
        if (!bounded()) {
            return null;
        }
        final List<Ticket> holders = new ArrayList<>();
        for (int i = 0; i < policy.maxHalfOpen(); i++) {
            holders.add(enter());
        }
        settle();
        assertEquals(policy.maxHalfOpen(), admittedOf(holders).size(), "a fresh gate admits up to its bound");
        return holders;
    }

    @Test
    public void threeThreadsEnteringLeavingAndExitingStrandNobodyAndConserveSlots() throws InterruptedException {
        final int rounds = 20_000;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicInteger running = new AtomicInteger(3);
        final Thread ticker = new Thread(() -> { // time-driven gates need their clock to move meanwhile
            while (running.get() > 0) {
                clock.advance(settleStep());
                Thread.yield();
            }
        }, "contract-clock");
        final Thread[] threads = new Thread[3];
        for (int t = 0; t < threads.length; t++) {
            final SplittableRandom random = new SplittableRandom(t);
            threads[t] = new Thread(() -> {
                try {
                    for (int round = 0; round < rounds && failure.get() == null; round++) {
                        final Ticket ticket = enter();
                        if (!ticket.isAdmitted() && random.nextInt(100) < 40 && leave(ticket)) {
                            continue;
                        }
                        awaitAdmission(ticket);
                        exit(ticket, Outcome.ESTABLISHED);
                    }
                } catch (final Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    running.decrementAndGet();
                }
            }, "contract-" + t);
            threads[t].start();
        }
        ticker.start();
        for (final Thread thread : threads) {
            thread.join();
        }
        ticker.join();
        if (failure.get() != null) {
            throw new AssertionError("a contract thread failed", failure.get());
        }
        assertNoViolation();
        assertEquals(0, gate.halfOpen(), "every slot came back");
        final List<AdmissionTicket> queued = new ArrayList<>();
        gate.forEachQueued(queued::add);
        assertEquals(List.of(), queued, "nobody is left waiting");
        assertTrue(admittedPeak.get() <= policy.maxHalfOpen());
        assertNotEquals(0, admissionOrder.size());
    }

    private void awaitAdmission(final Ticket ticket) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ticket.isAdmitted()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("ticket " + ticket.id + " was stranded: never admitted in 30 s");
            }
            Thread.yield();
        }
    }
}
