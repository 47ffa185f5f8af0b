package io.halfopen.policy;

/**
 * The list behind {@link PolicyRegistry#builtIn()}: one line per policy, each policy's descriptor declared in
 * its own file. Add a policy by adding its line in its group; the groups keep lines from different work apart.
 */
final class BuiltInPolicies {

    static final PolicyRegistry REGISTRY = PolicyRegistry.empty()
            // Windows' own: XP SP2's cap (with its documented "fixed rate" as an option), and no limit
            .with(HalfOpenCapPolicy.DESCRIPTOR)
            .with(UnlimitedPolicy.DESCRIPTOR)
            .with(FixedRatePolicy.XP_PROFILE)
            .with(FixedRatePolicy.DESCRIPTOR)
            // the throttles: rates, the virus throttle, adaptive and per-destination caps
            .with(TokenBucketPolicy.DESCRIPTOR)
            .with(SlidingWindowPolicy.DESCRIPTOR)
            .with(WilliamsonPolicy.DESCRIPTOR)
            .with(AimdPolicy.DESCRIPTOR)
            .with(PerDestinationPolicy.DESCRIPTOR)

            // the scan detectors: fast fail, failure rates, credit, threshold random walk
            .with(DeadDestinationPolicy.DESCRIPTOR)
            .with(FailureRatePolicy.DESCRIPTOR)
            .with(CreditBasedPolicy.DESCRIPTOR)
            .with(ThresholdRandomWalkPolicy.DESCRIPTOR)

            ;

    private BuiltInPolicies() {
    }
}
