package io.halfopen.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.halfopen.policy.AdmissionGateContract;
import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.review.LockedFifoCapPolicy.Flaw;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 10: does {@code AdmissionGateContract} catch a broken gate? Each test runs the whole contract
 * against one {@link LockedFifoCapPolicy} variant (written from the public javadoc alone) and expects the verdict
 * the gate deserves. The correct gate must pass, each flawed one must fail at least one specification.
 *
 * <ul>
 *   <li>Known-bad controls that the contract catches (pass on main): a gate that offers a declined ticket again,
 *       a gate that never gives a declined slot back.</li>
 *   <li><b>Reproducer of finding 3</b> (contract gap, misleading doc): a gate whose {@code forEachQueued} runs its
 *       action under its lock while iterating passes the contract, whose close test copies the queued tickets
 *       first; the limiter's {@code close()} withdraws from inside the action (see
 *       {@code ForEachQueuedReentranceReproducerTest} for what that does).</li>
 *   <li><b>Reproducer of finding 4</b> (contract gap): a gate that calls {@code tryAdmit()} under a non-reentrant
 *       lock passes the contract, whose tickets never run owner code inside {@code tryAdmit()}; through the
 *       limiter it deadlocks ({@code TryAdmitUnderALockReproducerTest}).</li>
 *   <li><b>Reproducer of finding 5</b> (contract gap): a gate that claims FIFO but lets a newcomer take a slot
 *       freed for the waiters passes, because no specification enters a ticket between an exit and the offer
 *       that follows it ({@code BargingGateReproducerTest} shows it through the limiter).</li>
 * </ul>
 *
 * <p>Run: {@code ./mvnw -B -o -pl limiter-core -am verify -Dtest='GateContractKnownBadReproducerTest'
 * -Dsurefire.failIfNoSpecifiedTests=false} (about 20 s).
 */
@DisplayName("Review: the gate contract against a correct gate and five flawed ones")
class GateContractKnownBadReproducerTest {

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
        failures.forEach((name, failure) -> System.out.printf("[review contract] %s fails %s: %s%n", flaw, name,
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
    void reproducerOfFinding3_theContractRejectsAGateWhoseForEachQueuedBreaksWhenItsActionWithdraws() {
        assertFalse(verdict(Flaw.ITERATES_UNDER_ITS_LOCK).isEmpty(), "the contract passed a gate whose"
                + " forEachQueued fails when its action withdraws the ticket, as the limiter's close() does");
    }

    @Test
    void reproducerOfFinding4_theContractRejectsAGateThatCallsTryAdmitUnderANonReentrantLock() {
        assertFalse(verdict(Flaw.OFFERS_UNDER_A_NON_REENTRANT_LOCK).isEmpty(), "the contract passed a gate that"
                + " calls tryAdmit() under its lock (rule 5): its tickets never run owner code in tryAdmit()");
    }

    @Test
    void reproducerOfFinding5_theContractRejectsAFifoGateThatLetsNewcomersBarge() {
        assertFalse(verdict(Flaw.BARGES).isEmpty(), "the contract passed a FIFO gate that admits a newcomer"
                + " while others wait for the slot it takes");
    }
}
