package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.fixture.LockedFifoCapPolicy;
import io.halfopen.fixture.LockedFifoCapPolicy.Flaw;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Does {@link AdmissionGateContract} catch a broken gate? Each test runs the whole contract against one
 * {@link LockedFifoCapPolicy} variant (a FIFO cap written from the public javadoc alone) and expects the verdict
 * the gate deserves: the correct gate passes, and so does one whose {@code forEachQueued} runs its action under
 * its lock (the limiter tolerates that: it collects before it withdraws); each flawed one fails at least one
 * specification. Known-bad controls: a gate that offers a declined ticket again, one that never gives a declined
 * slot back, one that calls {@code tryAdmit()} under a non-reentrant lock (it deadlocks once an owner reports
 * inside its grant; the contract passed it until its tickets re-entered the gate inside {@code tryAdmit()}), and a
 * gate that claims FIFO but lets a newcomer take a slot freed for its waiters (passed until a specification
 * entered a ticket between an exit and the offer that follows it).
 *
 * <p>About 30 s: the whole contract, six times, with a 10 s bound on the deadlocking variant's reporter.
 */
@DisplayName("The gate contract against a correct gate and its flawed variants")
class AdmissionGateContractKnownBadGatesTest {

    /** The contract, on one variant. */
    public static final class Variant extends AdmissionGateContract {
        private final Flaw flaw;

        Variant(final Flaw flaw) {
            this.flaw = flaw;
        }

        @Override
        protected AdmissionPolicy policy() {
            return new LockedFifoCapPolicy(3, flaw);
        }

        @Override
        protected boolean fifo() {
            return true;
        }

        @Override
        protected Duration settleStep() {
            return Duration.ofMillis(100);
        }
    }

    private static Map<String, Throwable> verdict(final Flaw flaw) {
        final Map<String, Throwable> failures = ContractVerdict.failuresOf(() -> new Variant(flaw));
        failures.forEach((name, failure) -> System.out.printf("[contract verdict] %s fails %s: %s%n", flaw, name,
                String.valueOf(failure).lines().findFirst().orElse("")));
        return failures;
    }

    @Test
    void theCorrectLockedGatePassesTheWholeContract() {
        assertEquals(Map.of(), verdict(Flaw.NONE), "the runner or the correct gate is wrong");
    }

    @Test
    void knownBadControl_theContractRejectsAGateThatOffersADeclinedTicketAgain() {
        assertFalse(verdict(Flaw.OFFERS_TWICE).isEmpty());
    }

    @Test
    void knownBadControl_theContractRejectsAGateThatNeverGivesADeclinedSlotBack() {
        assertFalse(verdict(Flaw.LOSES_A_DECLINED_SLOT).isEmpty());
    }

    @Test
    void aGateWhoseForEachQueuedRunsItsActionUnderItsLockPassesTheWholeContract() {
        assertEquals(Map.of(), verdict(Flaw.ITERATES_UNDER_ITS_LOCK), "the limiter's close() collects before it"
                + " withdraws, so running the action under the gate's lock is allowed");
    }

    @Test
    void knownBadControl_theContractRejectsAGateThatCallsTryAdmitUnderANonReentrantLock() {
        assertTrue(verdict(Flaw.OFFERS_UNDER_A_NON_REENTRANT_LOCK).containsKey(
                "anOwnerThatReportsInsideTryAdmitMayReenterTheGateOnThatThread"), "the contract passed a gate that"
                + " calls tryAdmit() under its lock: an owner that reports inside its grant deadlocks it");
    }

    @Test
    void knownBadControl_theContractRejectsAFifoGateThatLetsNewcomersBarge() {
        assertTrue(verdict(Flaw.BARGES).containsKey(
                "aNewcomerNeverTakesTheSlotFreedForTheTicketsThatWaitWhereTheGateClaimsFifo"), "the contract passed"
                + " a FIFO gate that admits a newcomer while others wait for the slot it takes");
    }
}
