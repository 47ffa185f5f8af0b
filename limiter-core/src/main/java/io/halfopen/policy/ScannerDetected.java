package io.halfopen.policy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * {@link ThresholdRandomWalkPolicy}'s test decided that this host scans: its first contacts are held (or
 * refused) for the quarantine. Says why: the observations of the test that decided, and the likelihood ratio
 * against the threshold.
 *
 * @param policy          the policy that raised it, as it writes itself
 * @param nanoTime        when, on the gate's ticker
 * @param remote          the first contact whose outcome decided
 * @param failures        how many distinct first-contact destinations failed in the test that decided
 * @param observations    how many it observed in all
 * @param likelihoodRatio the likelihood ratio Λ the test reached
 * @param threshold       the threshold it reached, {@code η1 = P_D / P_F}
 * @param refused         whether first contacts are refused ({@code true}) or held during the quarantine
 * @param quarantine      how long the verdict lasts
 */
public record ScannerDetected(String policy, long nanoTime, InetSocketAddress remote, int failures,
        int observations, double likelihoodRatio, double threshold, boolean refused, Duration quarantine)
        implements PolicyEvent {

    /**
     * Checks the components.
     *
     * @param policy          see the record's description
     * @param nanoTime        see the record's description
     * @param remote          see the record's description
     * @param failures        see the record's description
     * @param observations    see the record's description
     * @param likelihoodRatio see the record's description
     * @param threshold       see the record's description
     * @param refused         see the record's description
     * @param quarantine      see the record's description
     */
    public ScannerDetected {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(quarantine, "quarantine");
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "scanner detected: %d of %d distinct first-contact destinations failed"
                + " (likelihood ratio %.4g >= %.4g, the threshold random walk's P_D/P_F), the last %s; first contacts"
                + " are %s for %s", failures, observations, likelihoodRatio, threshold, remote,
                refused ? "refused" : "held", DeadDestination.seconds(quarantine));
    }
}
