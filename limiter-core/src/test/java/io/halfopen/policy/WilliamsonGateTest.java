package io.halfopen.policy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * Williamson's throttle against the gate contract, alone and within a cap. The contract's tickets go to distinct
 * destinations (until their addresses repeat, in the three-thread test), so the delay queue lets them out in
 * the order they entered.
 */
@DisplayName("Gate contract: williamson")
class WilliamsonGateTest {

    @Nested
    @DisplayName("williamson(workingSet=2), within unlimited")
    class Alone extends AdmissionGateContract {
        @Override
        protected AdmissionPolicy policy() {
            return AdmissionPolicy.williamson().workingSet(2);
        }

        @Override
        protected boolean fifo() {
            return true;
        }
    }

    @Nested
    @DisplayName("williamson(workingSet=2, within=halfOpenCap(3))")
    class WithinACap extends AdmissionGateContract {
        @Override
        protected AdmissionPolicy policy() {
            return AdmissionPolicy.williamson().workingSet(2).within(AdmissionPolicy.halfOpenCap(3));
        }

        @Override
        protected boolean fifo() {
            return true;
        }
    }
}
