package io.halfopen.policy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

/** The production fixed-rate release against the gate contract. */
@DisplayName("Gate contract: fixedRate(1s) within halfOpenCap(3)")
class FixedRateGateTest extends AdmissionGateContract {

    @Override
    protected AdmissionPolicy policy() {
        return AdmissionPolicy.fixedRate(Duration.ofSeconds(1)).within(AdmissionPolicy.halfOpenCap(3));
    }

    @Override
    protected boolean fifo() {
        return true;
    }
}
