package io.halfopen.policy;

import org.junit.jupiter.api.DisplayName;

/** XP's cap, on the lock-free semaphore, against the gate contract. */
@DisplayName("Gate contract: halfOpenCap(3)")
class HalfOpenCapGateTest extends AdmissionGateContract {

    @Override
    protected AdmissionPolicy policy() {
        return AdmissionPolicy.halfOpenCap(3);
    }

    @Override
    protected boolean fifo() {
        return true;
    }
}
