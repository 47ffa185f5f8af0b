package io.halfopen.time;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Machine-checked linearizability of the timer's arming protocol, with Lincheck's data-structure API: arms and
 * disarms of a node from any thread, and ticks by one thread at a time (the wheel's, a non-parallel group),
 * must be explainable by some sequential order of the same operations on the same timer. One node: a tick over
 * several nodes is not atomic (it claims them one by one), so it is not linearizable as a whole, by design. Each
 * tick returns how many expiries it fired, so an arming that both expires and is taken back, or one that is lost (armed due now, yet no
 * tick ever fires it), has no sequential explanation. Model checking explores the interleavings of the atomic
 * steps systematically (the general-purpose scenarios of {@link TimerWheelLincheckTest} pick fixed races).
 *
 * <p>Run on the real {@link TimerWheel} (ticked by hand on a frozen clock: delay 0 is due at the next tick, an
 * hour never is), on the correct bucket-less copy of its protocol, and on two known-bad copies that must be
 * caught: a two-step clear of the in-inbox flag (a re-arm in between is never pushed: a lost timer) and a
 * check-then-write claim (a racing disarm also wins: an arming ended twice).
 */
class TimerWheelLinearizabilityTest {

    /** The operations; subclasses pick the timer. Lincheck makes a new instance per scenario. */
    public abstract static class Operations {
        private final TimerUnderTest timer;
        private final TimerUnderTest.Node node;
        private int reported; // the wheel's thread only (tick is a non-parallel group)

        Operations(final TimerUnderTest timer) {
            this.timer = timer;
            this.node = timer.newNode(() -> { });
        }

        /**
         * Arms a node, due at the next tick or never in this test.
         *
         * @return {@code false} if it was armed already (the contract refuses it)
         */
        @Operation
        public boolean arm(@Param(gen = IntGen.class, conf = "0:1") final int dueNow) {
            try {
                timer.arm(node, dueNow == 1);
                return true;
            } catch (final IllegalStateException armedAlready) {
                return false;
            }
        }

        /** @return whether the disarm took an arming back */
        @Operation
        public boolean disarm() {
            return timer.disarm(node);
        }

        /** @return how many expiries this tick fired */
        @Operation(nonParallelGroup = "wheel")
        public int tick() {
            timer.tick();
            final int now = node.expiries();
            final int fired = now - reported;
            reported = now;
            return fired;
        }
    }

    /** The real wheel. */
    public static class RealWheel extends Operations {
        public RealWheel() {
            super(TimerUnderTest.realWheel());
        }
    }

    /** The correct bucket-less copy of the protocol. */
    public static class CorrectCopy extends Operations {
        public CorrectCopy() {
            super(new SimpleInboxTimer());
        }
    }

    /** Known bad: the in-inbox flag cleared by a read and a later write. */
    public static class TwoStepFlagClear extends Operations {
        public TwoStepFlagClear() {
            super(new SimpleInboxTimer.PlainFlagClear());
        }
    }

    /** Known bad: a due node claimed by check-then-write. */
    public static class CheckThenWriteClaim extends Operations {
        public CheckThenWriteClaim() {
            super(new SimpleInboxTimer.CheckThenClaim());
        }
    }

    private static ModelCheckingOptions options() {
        return new ModelCheckingOptions().iterations(20).invocationsPerIteration(200).threads(2)
                .actorsPerThread(3).actorsBefore(2).actorsAfter(2).minimizeFailedScenario(false);
    }

    private static void timed(final String what, final Runnable check) {
        final long start = System.nanoTime();
        try {
            check.run();
        } finally {
            System.out.printf("[lincheck] timer wheel linearizability, %s: %d ms%n", what,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Test
    void theRealWheelIsLinearizable() {
        timed("real wheel", () -> options().check(RealWheel.class));
    }

    @Test
    void theCorrectCopyOfTheProtocolIsLinearizable() {
        timed("correct copy", () -> options().check(CorrectCopy.class));
    }

    @Test
    void modelCheckingCatchesALostTimerBehindATwoStepFlagClear() {
        timed("two-step flag clear (known bad)", () -> {
            final LincheckAssertionError error = assertThrows(LincheckAssertionError.class,
                    () -> options().check(TwoStepFlagClear.class));
            assertTrue(error.getMessage().contains("Invalid execution results"), error.getMessage());
        });
    }

    @Test
    void modelCheckingCatchesAnArmingEndedTwiceBehindACheckThenWriteClaim() {
        timed("check-then-write claim (known bad)", () -> {
            final LincheckAssertionError error = assertThrows(LincheckAssertionError.class,
                    () -> options().check(CheckThenWriteClaim.class));
            assertTrue(error.getMessage().contains("Invalid execution results"), error.getMessage());
        });
    }
}
