package io.halfopen.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * {@link ThresholdRandomWalkPolicy}'s quarantine ended: first contacts go again and a new test starts.
 *
 * @param policy     the policy that raised it, as it writes itself
 * @param nanoTime   when, on the gate's ticker
 * @param quarantine how long it lasted
 */
public record ScannerReleased(String policy, long nanoTime, Duration quarantine) implements PolicyEvent {

    /**
     * Checks the components.
     *
     * @param policy     see the record's description
     * @param nanoTime   see the record's description
     * @param quarantine see the record's description
     */
    public ScannerReleased {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(quarantine, "quarantine");
    }

    @Override
    public String description() {
        return "scanner released: the quarantine of " + DeadDestination.seconds(quarantine) + " is over; first"
                + " contacts go again and a new test starts";
    }
}
