package io.halfopen.policy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

/**
 * The threshold random walk within XP's cap, against the gate contract, with a quarantine short enough for the
 * contract's settling to end it: the contract's mixed outcomes make it decide "scanner" now and then.
 */
@DisplayName("Gate contract: thresholdRandomWalk(quarantine=5s) within halfOpenCap(3)")
class ThresholdRandomWalkGateTest extends AdmissionGateContract {

    @Override
    protected AdmissionPolicy policy() {
        return AdmissionPolicy.thresholdRandomWalk().withQuarantine(Duration.ofSeconds(5))
                .within(AdmissionPolicy.halfOpenCap(3));
    }

    @Override
    protected boolean fifo() {
        return true;
    }
}
