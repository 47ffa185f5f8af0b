package io.halfopen.policy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** The token bucket, the sliding window and the AIMD cap against the gate contract. */
@DisplayName("Gate contract: tokenBucket, slidingWindow, aimd")
class RateAndAdaptiveGateTest {

    @Nested
    @DisplayName("tokenBucket(rate=2, burst=2, within=halfOpenCap(3))")
    class TokenBucketWithinACap extends AdmissionGateContract {
        @Override
        protected AdmissionPolicy policy() {
            return AdmissionPolicy.tokenBucket(2, 2).within(AdmissionPolicy.halfOpenCap(3));
        }

        @Override
        protected boolean fifo() {
            return true;
        }
    }

    @Nested
    @DisplayName("tokenBucket(rate=5, burst=1), within unlimited")
    class TokenBucketAlone extends AdmissionGateContract {
        @Override
        protected AdmissionPolicy policy() {
            return AdmissionPolicy.tokenBucket(5, 1);
        }

        @Override
        protected boolean fifo() {
            return true;
        }
    }

    @Nested
    @DisplayName("slidingWindow(attempts=1, window=1s, ipv4Prefix=24, within=halfOpenCap(3)): one network")
    class SlidingWindowOneNetwork extends AdmissionGateContract {
        @Override
        protected AdmissionPolicy policy() {
            return AdmissionPolicy.slidingWindow(1, Duration.ofSeconds(1)).prefixes(24, 64)
                    .within(AdmissionPolicy.halfOpenCap(3));
        }

        @Override
        protected boolean fifo() {
            return true;
        }
    }

    @Nested
    @DisplayName("slidingWindow(attempts=2, window=1s), within unlimited")
    class SlidingWindowAlone extends AdmissionGateContract {
        @Override
        protected AdmissionPolicy policy() {
            return AdmissionPolicy.slidingWindow(2, Duration.ofSeconds(1));
        }

        @Override
        protected boolean fifo() {
            return true;
        }
    }

    /**
     * The contract's exits end in every outcome, and it expects each exit's slot to go to a waiter: true of a
     * cap that does not move. So the cap here is pinned (min = max); how it moves is AimdSpecificationTest's.
     */
    @Nested
    @DisplayName("aimd(initial=3, min=3, max=3): the gate's mechanics, the cap pinned")
    class Aimd extends AdmissionGateContract {
        @Override
        protected AdmissionPolicy policy() {
            return AdmissionPolicy.aimd(3, 3, 3);
        }

        @Override
        protected boolean fifo() {
            return true;
        }
    }
}
