package io.halfopen.policy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** The per-destination cap against the gate contract: many destinations, and one network holding every ticket. */
@DisplayName("Gate contract: perDestination")
class PerDestinationGateTest {

    @Nested
    @DisplayName("perDestination(k=2, within=halfOpenCap(3)): every ticket to its own address")
    class ManyDestinations extends AdmissionGateContract {
        @Override
        protected AdmissionPolicy policy() {
            return AdmissionPolicy.perDestination(2).within(AdmissionPolicy.halfOpenCap(3));
        }

        @Override
        protected boolean fifo() {
            return true;
        }
    }

    @Nested
    @DisplayName("perDestination(k=3, ipv4Prefix=24, within=halfOpenCap(3)): every ticket to one /24")
    class OneNetwork extends AdmissionGateContract {
        @Override
        protected AdmissionPolicy policy() {
            return AdmissionPolicy.perDestination(3).prefixes(24, 64).within(AdmissionPolicy.halfOpenCap(3));
        }

        @Override
        protected boolean fifo() {
            return true;
        }
    }
}
