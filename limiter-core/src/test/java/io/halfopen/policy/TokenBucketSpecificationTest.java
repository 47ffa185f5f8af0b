package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.halfopen.limiter.ConnectAttempt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The token bucket on new attempts, through the real limiter in virtual time: {@code burst} go at once, then one
 * per {@code 1/rate}, in FIFO order, whatever the destination or the outcome; an idle bucket fills up again.
 */
@DisplayName("tokenBucket: burst at once, then rate per second, FIFO")
class TokenBucketSpecificationTest {

    @Test
    void aFullBucketLetsTheBurstGoAtOnceThenOnePerIntervalInArrivalOrder() {
        final Host host = new Host(AdmissionPolicy.tokenBucket(2, 3));
        final List<ConnectAttempt> attempts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            attempts.add(host.connect(i + 1)); // six destinations: the bucket does not care
        }
        assertEquals(List.of(0L, 0L, 0L, -1L, -1L, -1L), host.grantTimesMillis(attempts));
        host.advanceMillis(499);
        assertEquals(-1L, host.grantedAtMillis(attempts.get(3)), "not before 1/rate");
        host.advanceMillis(1);
        host.advanceMillis(500);
        host.advanceMillis(500);
        assertEquals(List.of(0L, 0L, 0L, 500L, 1000L, 1500L), host.grantTimesMillis(attempts));
        assertEquals(attempts, host.grantOrder());
    }

    @Test
    void outcomesGiveNoTokenBackAndAnIdleBucketFillsUpToTheBurstOnly() {
        final Host host = new Host(AdmissionPolicy.tokenBucket(1, 2));
        final List<ConnectAttempt> first = host.connect(2, 1);
        first.forEach(ConnectAttempt::refused);
        final ConnectAttempt third = host.connect(1);
        assertEquals(-1L, host.grantedAtMillis(third), "a finished attempt is no token back: the rate counts starts");
        host.advanceMillis(1000);
        assertEquals(1000L, host.grantedAtMillis(third));
        third.established();
        host.advanceMillis(10_000); // ten seconds idle: ten tokens gained, but the bucket holds two
        final List<ConnectAttempt> later = host.connect(3, 2);
        assertEquals(List.of(11_000L, 11_000L, -1L), host.grantTimesMillis(later));
        host.advanceMillis(1000);
        assertEquals(12_000L, host.grantedAtMillis(later.get(2)));
    }

    @Test
    void withinACapTheCapStillBoundsTheHalfOpen() {
        final Host host = new Host(AdmissionPolicy.tokenBucket(100, 10).within(AdmissionPolicy.halfOpenCap(2)));
        final List<ConnectAttempt> attempts = host.connect(5, 1);
        host.advanceMillis(1000);
        assertEquals(2, host.halfOpen(), "ten tokens, but two slots");
        assertEquals(3, host.queued());
        attempts.get(0).established();
        assertEquals(1000L, host.grantedAtMillis(attempts.get(2)), "a token was there: the freed slot is taken");
    }

    @Test
    void badParametersFailAtOnceNamingThemAndTheRegistryKnowsIt() {
        assertEquals("rate", assertThrows(PolicyParameterException.class, () -> AdmissionPolicy.tokenBucket(0, 1))
                .parameter());
        assertEquals("rate", assertThrows(PolicyParameterException.class,
                () -> AdmissionPolicy.tokenBucket(Double.NaN, 1)).parameter());
        assertEquals("burst", assertThrows(PolicyParameterException.class, () -> AdmissionPolicy.tokenBucket(1, 0))
                .parameter());
        final PolicyRegistry registry = PolicyRegistry.builtIn();
        assertEquals(AdmissionPolicy.tokenBucket(10, 10), registry.parse("tokenBucket"));
        assertEquals(AdmissionPolicy.tokenBucket(0.5, 1).within(AdmissionPolicy.halfOpenCap(10)),
                registry.parse("tokenBucket(rate=0.5, burst=1, within=halfOpenCap(10))"));
        final AdmissionPolicy p = AdmissionPolicy.tokenBucket(0.5, 1);
        assertEquals(p, registry.parse(p.spec().orElseThrow()), "it writes itself back");
    }
}
