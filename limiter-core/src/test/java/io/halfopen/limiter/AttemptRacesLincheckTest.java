package io.halfopen.limiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.halfopen.fixture.ModelChecked;
import io.halfopen.policy.internal.QueueingSemaphore;
import io.halfopen.time.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Model-checked races between the parties that may end or grant one attempt: the owner (reports and
 * cancel), a release that grants a queued attempt, and the timers (fired by {@link VirtualClock#advance} on
 * another thread). Lincheck's general-purpose API explores the interleavings of the real
 * {@link HalfOpenLimiter} code on real threads and fails with the interleaving if an assertion breaks.
 *
 * <p>Each invocation builds a fresh limiter with one slot, so the slot is either held or handed on and a lost or
 * duplicated permit shows at once: after every race, {@code halfOpen} is zero (or one, if the race left an
 * attempt holding the slot), and exactly one fresh attempt is granted at once while the next one queues.
 *
 * <p>JDK 17 is the reference run: there Lincheck 3.7 switches threads at every shared access. On JDK 25 it
 * switches only at atomics, VarHandles and locks, not at volatile field accesses (see the known-bad tests at
 * the end), so the same tests explore fewer interleavings there.
 *
 * <p>Scope: event 4226 is switched off ({@link LimitEventMode#NEVER}) so that SLF4J and JFR stay out of the
 * model checker; the log line and the JFR event are not part of any race.
 */
class AttemptRacesLincheckTest {

    /*
     * Not trimmed: most of a race's cost is fixed (Lincheck instruments the classes at each check; see
     * ModelChecked), not its invocations: one invocation of a race took 6-11 s where 50 took 10-26 s, at a load of
     * 10-16 on two cores, so 20 would save a few seconds per race. And 20 was not shown to be enough: with
     * DefaultConnectAttempt.leaveQueue's "return false -> true" mutant applied by hand (PIT's survivor, a race only
     * the two cancel races reach), cancel vs grant passed at 20 invocations (one run, load 26).
     */
    private static final int INVOCATIONS = 50;
    private static final Duration QUEUE_TIMEOUT = Duration.ofMillis(5);
    private static final Duration HALF_OPEN_TIMEOUT = Duration.ofSeconds(1);
    private static final InetSocketAddress REMOTE;

    static {
        try {
            REMOTE = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 25);
        } catch (final UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @BeforeAll
    static void loadClassesOutsideTheModelChecker() {
        final VirtualClock clock = new VirtualClock();
        final HalfOpenLimiter limiter = oneSlot(clock);
        final ConnectAttempt holder = limiter.newAttempt(REMOTE, new Recorder());
        final ConnectAttempt waiter = limiter.newAttempt(REMOTE, new Recorder());
        clock.advance(QUEUE_TIMEOUT);
        holder.established();
        waiter.cancel();
        limiter.close();
        ModelChecked.warmUp("a release, a cancel, both timers and a close", () -> {
            final VirtualClock warmClock = new VirtualClock();
            final HalfOpenLimiter warm = oneSlot(warmClock);
            final ConnectAttempt held = warm.newAttempt(REMOTE, new Recorder());
            final ConnectAttempt queued = warm.newAttempt(REMOTE, new Recorder());
            final ConnectAttempt timedOut = warm.newAttempt(REMOTE, new Recorder());
            ModelChecked.inParallel(held::established, queued::cancel, () -> warmClock.advance(HALF_OPEN_TIMEOUT));
            warm.close();
            timedOut.cancel();
        });
    }

    private static HalfOpenLimiter oneSlot(final VirtualClock clock) {
        return HalfOpenLimiter.builder()
                .clock(clock)
                .maxHalfOpen(1)
                .queueTimeout(QUEUE_TIMEOUT)
                .halfOpenTimeout(HALF_OPEN_TIMEOUT)
                .limitEvents(LimitEventMode.NEVER)
                .build();
    }

    private static void timed(final String what, final Runnable test) {
        ModelChecked.check(what, INVOCATIONS, test);
    }

    /** No slot lost, none duplicated: exactly {@code maxHalfOpen} (1) fresh attempt goes at once, the next queues. */
    private static void assertSlotIsFreeAndSingle(final HalfOpenLimiter limiter) {
        assertEquals(0, limiter.stats().halfOpen(), "half-open after the race");
        assertEquals(0, limiter.stats().queued(), "queued after the race");
        final ConnectAttempt first = limiter.newAttempt(REMOTE, new Recorder());
        final ConnectAttempt second = limiter.newAttempt(REMOTE, new Recorder());
        assertEquals(AttemptState.HALF_OPEN, first.state(), "a fresh attempt is granted at once");
        assertEquals(AttemptState.QUEUED, second.state(), "the slot was duplicated: a second fresh attempt went");
        assertTrue(second.cancel());
        assertTrue(first.established());
        assertEquals(0, limiter.stats().halfOpen());
    }

    @Test
    void cancelRacingTheReleaseThatGrantsTheSameQueuedAttemptHasExactlyOneWinner() {
        timed("cancel vs grant", () -> {
            final VirtualClock clock = new VirtualClock();
            final HalfOpenLimiter limiter = oneSlot(clock);
            final ConnectAttempt holder = limiter.newAttempt(REMOTE, new Recorder());
            final Recorder waiterEvents = new Recorder();
            final ConnectAttempt waiter = limiter.newAttempt(REMOTE, waiterEvents);
            final AtomicBoolean cancelled = new AtomicBoolean();

            ModelChecked.inParallel(holder::established, () -> cancelled.set(waiter.cancel()));

            // cancel() ends the attempt whether it wins in the queue or after the grant (then it frees the slot)
            assertTrue(cancelled.get());
            assertEquals(AttemptState.CANCELLED, waiter.state());
            final LimiterStats stats = limiter.stats();
            final boolean grantWon = stats.granted() == 2;
            assertTrue(grantWon || stats.granted() == 1, "granted " + stats.granted());
            assertTrue(waiterEvents.granted.get() <= (grantWon ? 1 : 0), "granted callbacks " + waiterEvents);
            assertEquals(0, waiterEvents.failed.size(), "cancel() does not call failed()");
            assertEquals(1, stats.established());
            assertEquals(1, stats.cancelled());
            assertSlotIsFreeAndSingle(limiter);
        });
    }

    @Test
    void cancelRacingAGrantAndANewcomerLosesNoSlot() {
        timed("cancel vs grant vs newcomer", () -> {
            final VirtualClock clock = new VirtualClock();
            final HalfOpenLimiter limiter = oneSlot(clock);
            final ConnectAttempt holder = limiter.newAttempt(REMOTE, new Recorder());
            final ConnectAttempt waiter = limiter.newAttempt(REMOTE, new Recorder());
            final Recorder newcomerEvents = new Recorder();
            final AtomicReference<ConnectAttempt> newcomer = new AtomicReference<>();

            ModelChecked.inParallel(holder::established, waiter::cancel,
                    () -> newcomer.set(limiter.newAttempt(REMOTE, newcomerEvents)));

            // the holder is gone and the waiter cancelled, so the newcomer must hold the slot, whatever the order
            assertEquals(AttemptState.HALF_OPEN, newcomer.get().state());
            assertEquals(1, newcomerEvents.granted.get());
            assertEquals(1, limiter.stats().halfOpen());
            assertTrue(newcomer.get().established());
            assertSlotIsFreeAndSingle(limiter);
        });
    }

    @Test
    void concurrentOutcomeReportsHaveExactlyOneWinnerAndFreeTheSlotOnce() {
        timed("established vs cancel vs aborted", () -> {
            final VirtualClock clock = new VirtualClock();
            final HalfOpenLimiter limiter = oneSlot(clock);
            final ConnectAttempt owned = limiter.newAttempt(REMOTE, new Recorder());
            final Recorder waiterEvents = new Recorder();
            final ConnectAttempt waiter = limiter.newAttempt(REMOTE, waiterEvents);
            final AtomicInteger wins = new AtomicInteger();

            ModelChecked.inParallel(
                    () -> wins.addAndGet(owned.established() ? 1 : 0),
                    () -> wins.addAndGet(owned.cancel() ? 1 : 0),
                    () -> wins.addAndGet(owned.aborted() ? 1 : 0));

            assertEquals(1, wins.get(), "reports that returned true");
            assertTrue(owned.state().isTerminal());
            final LimiterStats stats = limiter.stats();
            assertEquals(1, stats.established() + stats.cancelled() + stats.timedOut());
            // the single release granted the waiter, once
            assertEquals(1, waiterEvents.granted.get());
            assertEquals(AttemptState.HALF_OPEN, waiter.state());
            assertEquals(1, stats.halfOpen());
            assertTrue(waiter.refused());
            assertSlotIsFreeAndSingle(limiter);
        });
    }

    @Test
    void halfOpenTimeoutRacingOwnerReportsEndsTheAttemptOnce() {
        timed("half-open timeout vs established vs cancel", () -> {
            final VirtualClock clock = new VirtualClock();
            final HalfOpenLimiter limiter = oneSlot(clock);
            final Recorder events = new Recorder();
            final ConnectAttempt owned = limiter.newAttempt(REMOTE, events);
            final AtomicInteger wins = new AtomicInteger();

            ModelChecked.inParallel(
                    () -> clock.advance(HALF_OPEN_TIMEOUT),
                    () -> wins.addAndGet(owned.established() ? 1 : 0),
                    () -> wins.addAndGet(owned.cancel() ? 1 : 0));

            assertEquals(1, wins.get(), "reports that returned true");
            final LimiterStats stats = limiter.stats();
            assertEquals(stats.halfOpenTimeouts(), events.aborts.get(), "abort callbacks");
            assertTrue(stats.halfOpenTimeouts() <= 1);
            assertEquals(1, stats.established() + stats.cancelled() + stats.timedOut());
            assertEquals(0, clock.pendingTasks(), "the half-open timer was cancelled or ran");
            assertSlotIsFreeAndSingle(limiter);
        });
    }

    @Test
    void queueTimeoutRacingTheGrantHasExactlyOneWinner() {
        timed("queue timeout vs grant", () -> {
            final VirtualClock clock = new VirtualClock();
            final HalfOpenLimiter limiter = oneSlot(clock);
            final ConnectAttempt holder = limiter.newAttempt(REMOTE, new Recorder());
            final Recorder waiterEvents = new Recorder();
            final ConnectAttempt waiter = limiter.newAttempt(REMOTE, waiterEvents);

            ModelChecked.inParallel(() -> clock.advance(QUEUE_TIMEOUT), holder::established);

            final LimiterStats stats = limiter.stats();
            if (waiter.state() == AttemptState.HALF_OPEN) { // the grant won
                assertEquals(1, waiterEvents.granted.get());
                assertEquals(0, waiterEvents.failed.size());
                assertEquals(0, stats.queueTimeouts());
                assertEquals(1, stats.halfOpen());
                assertTrue(waiter.established());
            } else { // the timeout won, and the release handed the slot on (to nobody)
                assertEquals(AttemptState.QUEUE_TIMEOUT, waiter.state());
                assertEquals(0, waiterEvents.granted.get());
                assertEquals(1, waiterEvents.failed.size());
                assertInstanceOf(QueueTimeoutException.class, waiterEvents.failed.get(0));
                assertEquals(1, stats.queueTimeouts());
                assertEquals(1, stats.granted());
            }
            assertSlotIsFreeAndSingle(limiter);
        });
    }

    @Test
    void queueTimeoutFiringWhileTheAttemptJoinsTheQueueLosesNoSlot() {
        timed("queue timeout vs enqueue vs release (deposit)", () -> {
            final VirtualClock clock = new VirtualClock();
            final HalfOpenLimiter limiter = oneSlot(clock);
            final ConnectAttempt holder = limiter.newAttempt(REMOTE, new Recorder());
            final Recorder events = new Recorder();
            final AtomicReference<ConnectAttempt> joiner = new AtomicReference<>();

            ModelChecked.inParallel(
                    () -> joiner.set(limiter.newAttempt(REMOTE, events)),
                    () -> clock.advance(QUEUE_TIMEOUT),
                    holder::established);

            final ConnectAttempt attempt = joiner.get();
            final AttemptState state = attempt.state();
            // the holder released after the joiner was counted or before it arrived: either way it never stays queued
            assertNotEquals(AttemptState.QUEUED, state, "a waiter was stranded although the slot was released");
            if (state == AttemptState.HALF_OPEN) {
                assertEquals(1, events.granted.get());
                assertEquals(1, limiter.stats().halfOpen());
                assertTrue(attempt.established());
            } else {
                assertEquals(AttemptState.QUEUE_TIMEOUT, state);
                assertEquals(0, events.granted.get());
            }
            assertEquals(attempt.state() == AttemptState.QUEUE_TIMEOUT ? 1 : 0, events.failed.size());
            assertSlotIsFreeAndSingle(limiter);
        });
    }

    @Test
    void closeRacingAnEnqueueAndAGrantLeavesNoWaiterHanging() {
        timed("close vs enqueue vs grant", () -> {
            final VirtualClock clock = new VirtualClock();
            final HalfOpenLimiter limiter = oneSlot(clock);
            final ConnectAttempt holder = limiter.newAttempt(REMOTE, new Recorder());
            final Recorder events = new Recorder();
            final AtomicReference<ConnectAttempt> joiner = new AtomicReference<>();

            ModelChecked.inParallel(() -> joiner.set(limiter.newAttempt(REMOTE, events)), limiter::close,
                    holder::established);

            final ConnectAttempt attempt = joiner.get();
            final AttemptState state = attempt.state();
            if (state == AttemptState.HALF_OPEN) { // got the slot before the close could fail it
                assertEquals(1, events.granted.get());
                assertEquals(0, events.failed.size());
                assertTrue(attempt.established());
            } else {
                assertEquals(AttemptState.REJECTED, state, "a waiter was left hanging by close()");
                assertEquals(1, events.failed.size());
                assertInstanceOf(LimiterClosedException.class, events.failed.get(0));
            }
            final LimiterStats stats = limiter.stats();
            assertEquals(0, stats.halfOpen());
            assertEquals(0, stats.queued());
            final Recorder late = new Recorder();
            assertEquals(AttemptState.REJECTED, limiter.newAttempt(REMOTE, late).state());
            assertInstanceOf(LimiterClosedException.class, late.failed.get(0));
        });
    }

    /**
     * The race above with no release: the holder keeps the only slot throughout, so nothing but close() can
     * end the joiner. A limiter whose enqueue path does not look at the closed flag again after the gate took
     * the attempt leaves it queued forever when close() scanned the gate just before.
     */
    @Test
    void closeRacingAnEnqueueWhileTheOnlySlotStaysHeldFailsTheWaiter() {
        timed("close vs enqueue, slot held throughout", () -> {
            final VirtualClock clock = new VirtualClock();
            final HalfOpenLimiter limiter = oneSlot(clock);
            final ConnectAttempt holder = limiter.newAttempt(REMOTE, new Recorder());
            final Recorder events = new Recorder();
            final AtomicReference<ConnectAttempt> joiner = new AtomicReference<>();

            ModelChecked.inParallel(() -> joiner.set(limiter.newAttempt(REMOTE, events)), limiter::close);

            final ConnectAttempt attempt = joiner.get();
            assertEquals(AttemptState.REJECTED, attempt.state(), "a waiter was left hanging by close()");
            assertEquals(1, events.failed.size());
            assertInstanceOf(LimiterClosedException.class, events.failed.get(0));
            assertEquals(0, events.granted.get());
            assertEquals(0, limiter.stats().queued());
            assertTrue(holder.established());
            assertEquals(0, limiter.stats().halfOpen());
        });
    }

    @Test
    void blockingAcquireRacingAGrantAndAnInterruptEndsWithTheSlotHeldOrFreed() {
        timed("blocking acquire vs grant vs interrupt", () -> {
            final VirtualClock clock = new VirtualClock();
            final HalfOpenLimiter limiter = oneSlot(clock);
            final ConnectAttempt holder = limiter.newAttempt(REMOTE, new Recorder());
            final AtomicReference<Object> outcome = new AtomicReference<>();
            final Thread waiter = new Thread(() -> {
                try {
                    outcome.set(limiter.acquire(REMOTE, Duration.ofSeconds(1)));
                } catch (final InterruptedException | HalfOpenLimitException e) {
                    outcome.set(e);
                }
            });
            final Thread releaser = new Thread(holder::established);
            final Thread interrupter = new Thread(waiter::interrupt);
            waiter.start();
            releaser.start();
            interrupter.start();
            try {
                waiter.join();
                releaser.join();
                interrupter.join();
            } catch (final InterruptedException e) {
                throw new AssertionError(e);
            }

            if (outcome.get() instanceof ConnectAttempt attempt) {
                assertEquals(AttemptState.HALF_OPEN, attempt.state());
                assertEquals(1, limiter.stats().halfOpen());
                assertTrue(attempt.established());
            } else {
                // interrupted while waiting: the attempt was cancelled, in the queue or right after its grant
                assertInstanceOf(InterruptedException.class, outcome.get());
                assertEquals(1, limiter.stats().cancelled());
            }
            assertSlotIsFreeAndSingle(limiter);
        });
    }

    /**
     * Known bad: an "end once" guard written as check-then-set (an atomic read, then an atomic write) in front
     * of the real semaphore. Two concurrent reports both pass the check and release twice, which duplicates
     * the permit. The model checker must find the interleaving, which shows that the general-purpose API
     * explores interleavings in this build.
     */
    @Test
    void modelCheckingCatchesADoubleReleaseBehindACheckThenSetGuard() {
        assertDoubleReleaseIsCaught("check-then-set on an AtomicBoolean", CheckThenSetAttempt::endWithAtomic);
    }

    /**
     * The same known-bad guard on a plain {@code volatile boolean}. Lincheck 3.7 finds it on JDK 17; on JDK 25
     * its general-purpose API did not switch threads at plain or volatile field accesses (only at atomics,
     * VarHandles and locks), so there the check is skipped, and the races above are explored less finely: the
     * limiter's volatile reads (such as {@code state} before a CAS, or {@code closed}) are not switch points.
     */
    @Test
    void modelCheckingCatchesADoubleReleaseBehindAVolatileCheckThenSetGuard() {
        assumeTrue(Runtime.version().feature() < 25,
                "Lincheck 3.7 does not switch threads at volatile field accesses on JDK 25");
        assertDoubleReleaseIsCaught("check-then-set on a volatile", CheckThenSetAttempt::endWithVolatile);
    }

    private static void assertDoubleReleaseIsCaught(final String what,
            final java.util.function.Consumer<CheckThenSetAttempt> end) {
        final long start = System.nanoTime();
        final LincheckAssertionError error = assertThrows(LincheckAssertionError.class,
                () -> Lincheck.runConcurrentTest(INVOCATIONS, () -> {
                    final QueueingSemaphore<Object> semaphore = new QueueingSemaphore<>(1, waiter -> true);
                    final CheckThenSetAttempt attempt = new CheckThenSetAttempt(semaphore);
                    ModelChecked.inParallel(() -> end.accept(attempt), () -> end.accept(attempt));
                    assertEquals(1, semaphore.availablePermits(), "permits after one attempt ended");
                }));
        assertTrue(error.getMessage().contains("permits after one attempt ended"), error.getMessage());
        System.out.printf("[lincheck] %s double release (known bad): %d ms%n", what,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** The broken guards of the known-bad tests. */
    static final class CheckThenSetAttempt {
        private final QueueingSemaphore<Object> semaphore;
        private final AtomicBoolean endedAtomic = new AtomicBoolean();
        private volatile boolean endedVolatile;

        CheckThenSetAttempt(final QueueingSemaphore<Object> semaphore) {
            this.semaphore = semaphore;
            if (!semaphore.tryAcquire()) {
                throw new AssertionError("no permit");
            }
        }

        void endWithAtomic() {
            if (!endedAtomic.get()) { // BUG: not atomic with the write below (compareAndSet would be)
                endedAtomic.set(true);
                semaphore.release();
            }
        }

        void endWithVolatile() {
            if (!endedVolatile) { // BUG: not atomic with the write below
                endedVolatile = true;
                semaphore.release();
            }
        }
    }

    /** Records what an attempt's owner was told. */
    static final class Recorder implements AttemptListener {
        final AtomicInteger granted = new AtomicInteger();
        final AtomicInteger aborts = new AtomicInteger();
        final List<HalfOpenLimitException> failed = new CopyOnWriteArrayList<>();

        @Override
        public void granted(final ConnectAttempt attempt) {
            granted.incrementAndGet();
        }

        @Override
        public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
            failed.add(cause);
        }

        @Override
        public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
            aborts.incrementAndGet();
        }

        @Override
        public String toString() {
            return "granted=" + granted + " aborts=" + aborts + " failed=" + failed;
        }
    }
}
