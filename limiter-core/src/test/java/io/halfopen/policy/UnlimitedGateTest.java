package io.halfopen.policy;

import org.junit.jupiter.api.DisplayName;

/** The unlimited policy against the gate contract: everyone at once, in entry order trivially. */
@DisplayName("Gate contract: unlimited")
class UnlimitedGateTest extends AdmissionGateContract {

    @Override
    protected AdmissionPolicy policy() {
        return AdmissionPolicy.unlimited();
    }

    @Override
    protected boolean fifo() {
        return true;
    }
}
