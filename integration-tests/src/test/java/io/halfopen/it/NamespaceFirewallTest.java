package io.halfopen.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.AttemptState;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.testkit.SynSentVerdict;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scenarios against peers in network namespaces (veth pairs, nftables inside each namespace), over IPv4
 * and IPv6. Needs root, {@code ip} and {@code nft}; under CI it fails without them, elsewhere it skips. Also
 * proves, once, that XP's default half-open timeout of 21 s is what a dropped connect gets by default.
 */
class NamespaceFirewallTest extends FirewallScenarios {

    @Override
    PeerNetwork openNetwork() {
        NamespacePeerNetwork.requirePrivileges();
        return new NamespacePeerNetwork();
    }

    /** XP's defaults, unchanged: a dropped connect holds its slot for 21 s, then is aborted. */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void xpDefaults_aDroppedConnectIsAbortedAfterTwentyOneSeconds() throws Exception {
        final LimiterRecorder recorder = new LimiterRecorder();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().listener(recorder).name("xp-defaults").build();
        assertTrue(limiter.halfOpenTimeout().equals(Duration.ofSeconds(21)) && limiter.maxHalfOpen() == 10,
                () -> "XP SP2's defaults are 10 half-open and 21 s, were " + limiter);
        final List<Target> target = Target.spread(host, PeerKind.DROP, 1);
        final Storm storm = fireAndAwait(limiter, target);
        final SynSentVerdict kernel = storm.kernel();
        assertEndedByHalfOpenTimeout(storm.connects().get(0));
        final Duration held = recorder.ended(AttemptState.TIMED_OUT).get(0).halfOpen();
        report("XP defaults", "one dropped connect held its slot %d ms, then was aborted (XP: 21 s); kernel %s",
                held.toMillis(), kernel.summary(LIMIT));
        assertBetween(held, Duration.ofSeconds(21), Duration.ofSeconds(25), "the default half-open time");
        assertDrained(limiter);
        assertWithinLimit(kernel);
        kernel.assertReached(1);
    }
}
