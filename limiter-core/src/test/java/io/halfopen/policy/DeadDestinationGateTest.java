package io.halfopen.policy;

import org.junit.jupiter.api.DisplayName;

/** Dead-destination fast fail within XP's cap, against the gate contract (no destination fails often enough there). */
@DisplayName("Gate contract: deadDestination() within halfOpenCap(3)")
class DeadDestinationGateTest extends AdmissionGateContract {

    @Override
    protected AdmissionPolicy policy() {
        return AdmissionPolicy.deadDestination().within(AdmissionPolicy.halfOpenCap(3));
    }

    @Override
    protected boolean fifo() {
        return true; // it holds nobody itself: the cap's FIFO
    }
}
