package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.HalfOpenLimiter;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * README's "Policies" section, as written there: if a snippet stops compiling or meaning what the README says,
 * so does this test; and the README's table lists every policy of the registry, no more and no fewer.
 */
@DisplayName("README: the policies section")
class ReadmePoliciesTest {

    @Test
    void theSnippetsBuildLimitersAndTheTextAndTypedFormsAreEqual() {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder()
                .policy("williamson(workingSet=5, release=1s)")
                .build();
        final HalfOpenLimiter crawler = HalfOpenLimiter.builder()
                .policy(AdmissionPolicy.perDestination(2).within(AdmissionPolicy.halfOpenCap(10)))
                .build();
        assertEquals(AdmissionPolicy.williamson().workingSet(5).release(Duration.ofSeconds(1)), limiter.policy());
        assertEquals(PolicyRegistry.builtIn().parse("perDestination(k=2, within=halfOpenCap(10))"), crawler.policy(),
                "the README's comment: the typed form equals the text");
        limiter.close();
        crawler.close();
        final PolicySyntaxException bad = assertThrows(PolicySyntaxException.class,
                () -> HalfOpenLimiter.builder().policy("williamson(workingSe=5)"));
        assertTrue(bad.getMessage().contains("unknown parameter 'workingSe'"), bad.getMessage());
    }

    @Test
    void theRegistryHoldsTheThirteenNamesTheReadmeTableLists() {
        assertEquals(List.of("halfOpenCap", "unlimited", "xp", "fixedRate", "tokenBucket", "slidingWindow",
                "williamson", "aimd", "perDestination", "deadDestination", "failureRate", "creditBased",
                "thresholdRandomWalk"), PolicyRegistry.builtIn().descriptors().stream().map(PolicyDescriptor::name)
                .collect(Collectors.toList()));
    }
}
