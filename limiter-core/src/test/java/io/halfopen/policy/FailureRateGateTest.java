package io.halfopen.policy;

import org.junit.jupiter.api.DisplayName;

/**
 * Failure-rate limiting within XP's cap, against the gate contract. Its held first contacts leave in arrival
 * order, and every ticket of the contract's order test is a first contact, so it claims FIFO there. A burst
 * equal to the cap: the contract expects a fresh gate to admit up to its bound, and a smaller burst caps first
 * contacts in flight below it (see the policy's own specification).
 */
@DisplayName("Gate contract: failureRate(rate=1, burst=3) within halfOpenCap(3)")
class FailureRateGateTest extends AdmissionGateContract {

    @Override
    protected AdmissionPolicy policy() {
        return AdmissionPolicy.failureRate().withBurst(3).within(AdmissionPolicy.halfOpenCap(3));
    }

    @Override
    protected boolean fifo() {
        return true;
    }
}
