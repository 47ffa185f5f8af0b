package io.halfopen.policy;

import org.junit.jupiter.api.DisplayName;

/**
 * Credit-based connection rate limiting within XP's cap, against the gate contract, starting with as much credit
 * as the cap has slots (the contract expects a fresh gate to admit up to its bound) and no more, so that the
 * allowance timer is exercised too.
 */
@DisplayName("Gate contract: creditBased(credits=3) within halfOpenCap(3)")
class CreditBasedGateTest extends AdmissionGateContract {

    @Override
    protected AdmissionPolicy policy() {
        return AdmissionPolicy.creditBased().withCredits(3).within(AdmissionPolicy.halfOpenCap(3));
    }

    @Override
    protected boolean fifo() {
        return true;
    }
}
