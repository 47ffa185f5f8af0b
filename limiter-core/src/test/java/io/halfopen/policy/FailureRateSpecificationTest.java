package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failure-rate limiting, through the real limiter in virtual time: a scanner whose first contacts fail goes at
 * the rate once its burst is spent; a host whose first contacts succeed is not slowed beyond its cap; the bound
 * on failures holds however late outcomes come; known destinations are never held.
 */
@DisplayName("failureRate: failed first contacts are limited to burst + rate × time; the rest is not held")
class FailureRateSpecificationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(21);
    private static final Duration RTT = Duration.ofMillis(200);

    @Test
    void aScannerWhoseFirstContactsTimeOutGoesAtTheRateOnceItsBurstIsSpent() {
        final ScriptedHost host = new ScriptedHost(AdmissionPolicy.failureRate()); // 1/s, burst 10, within cap 10
        final List<ScriptedHost.Attempt> scans = host.submit(40, 0, Outcome.TIMED_OUT, TIMEOUT);
        host.advance(Duration.ofSeconds(60));
        final List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(0L); // the burst: the cap's ten slots, all reserved
        }
        for (int i = 0; i < 10; i++) {
            expected.add(22_000L + 1000L * i); // at 21 s ten failures fill the bucket; it drains one a second
        }
        expected.add(44_000L); // all ten places reserved at 31 s; the first of them fails at 43 s, drains at 44 s
        assertEquals(expected, ScriptedHost.grantTimesMillis(scans).subList(0, 21));
    }

    @Test
    void aHostWhoseFirstContactsSucceedGoesExactlyAsXpsCapAloneLetsIt() {
        final ScriptedHost limited = new ScriptedHost(AdmissionPolicy.failureRate());
        final ScriptedHost capOnly = new ScriptedHost(AdmissionPolicy.halfOpenCap(10));
        final List<ScriptedHost.Attempt> a = limited.submit(60, 0, Outcome.ESTABLISHED, RTT);
        final List<ScriptedHost.Attempt> b = capOnly.submit(60, 0, Outcome.ESTABLISHED, RTT);
        limited.advance(Duration.ofSeconds(5));
        capOnly.advance(Duration.ofSeconds(5));
        assertEquals(ScriptedHost.grantTimesMillis(b), ScriptedHost.grantTimesMillis(a));
        assertEquals(1000L, a.get(59).grantedAtMillis(), "six rounds of the cap, 200 ms each");
    }

    private static final double RATE = 0.5;
    private static final int BURST = 4;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void inAnyIntervalAtMostBurstPlusRateTimesItsLengthFirstContactsFailHoweverLateTheyFail(final long seed) {
        final ScriptedHost host = randomWorkload(AdmissionPolicy.failureRate().withRate(RATE).withBurst(BURST), seed);
        final List<Long> failed = host.failedAtMillis;
        assertTrue(failed.size() > 100, "the workload failed often: " + failed.size());
        assertEquals("", firstExcess(failed), "more failures than burst + rate × T");
        assertTrue(host.attempts().stream().allMatch(ScriptedHost.Attempt::granted), "everyone went in the end");
    }

    @Test
    void theBoundCheckFailsForXpsCapAloneOnTheSameWorkload() { // the known-bad control of the test above
        assertTrue(!firstExcess(randomWorkload(AdmissionPolicy.halfOpenCap(10), 1).failedAtMillis).isEmpty());
    }

    /** The first interval with more failures than {@code BURST + RATE × T}, or empty. */
    private static String firstExcess(final List<Long> failed) {
        for (int i = 0; i < failed.size(); i++) {
            for (int j = i; j < failed.size(); j++) {
                if (j - i + 1 > BURST + RATE * (failed.get(j) - failed.get(i)) / 1000.0 + 1e-9) {
                    return (j - i + 1) + " failures in [" + failed.get(i) + " ms, " + failed.get(j) + " ms]";
                }
            }
        }
        return "";
    }

    /** 400 first contacts, 70 % of which fail (after up to 21 s), arriving every 0-600 ms. */
    private static ScriptedHost randomWorkload(final AdmissionPolicy policy, final long seed) {
        final ScriptedHost host = new ScriptedHost(policy);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < 400; n++) {
            final Outcome outcome = random.nextInt(100) < 70
                    ? new Outcome[] {Outcome.TIMED_OUT, Outcome.REFUSED, Outcome.UNREACHABLE}[random.nextInt(3)]
                    : Outcome.ESTABLISHED;
            final Duration after = Duration.ofMillis(outcome == Outcome.TIMED_OUT ? 1_000 + random.nextInt(20_000)
                    : 1 + random.nextInt(500));
            host.submit(ScriptedHost.destination(n), outcome, after);
            host.advance(Duration.ofMillis(random.nextInt(600)));
        }
        host.advance(Duration.ofMinutes(30));
        return host;
    }

    @Test
    void attemptsToKnownDestinationsAreNeverHeldWhileFirstContactsAre() {
        final ScriptedHost host = new ScriptedHost(AdmissionPolicy.failureRate().withBurst(2));
        final ScriptedHost.Attempt known = host.submit(ScriptedHost.destination(1000), Outcome.ESTABLISHED, RTT);
        host.advance(Duration.ofSeconds(1));
        host.submit(4, 0, Outcome.REFUSED, RTT);
        host.advance(Duration.ofSeconds(1)); // two refused: the bucket is full, two first contacts wait
        final ScriptedHost.Attempt again = host.submit(ScriptedHost.destination(1000), Outcome.ESTABLISHED, RTT);
        final ScriptedHost.Attempt firstContact = host.submit(ScriptedHost.destination(2000), Outcome.ESTABLISHED,
                RTT);
        assertTrue(known.granted());
        assertEquals(0, again.waitedMillis(), "a known destination goes past the held first contacts");
        assertEquals(-1, firstContact.waitedMillis(), "a first contact waits behind the others");
    }

    @Test
    void aBurstSmallerThanTheCapAlsoCapsFirstContactsInFlight() {
        final ScriptedHost host = new ScriptedHost(AdmissionPolicy.failureRate().withBurst(3));
        final List<ScriptedHost.Attempt> slow = host.submit(5, 0, Outcome.ESTABLISHED, Duration.ofSeconds(2));
        assertEquals(List.of(0L, 0L, 0L, -1L, -1L), ScriptedHost.grantTimesMillis(slow), "three places in the bucket");
        host.advance(Duration.ofSeconds(2));
        assertEquals(List.of(0L, 0L, 0L, 2000L, 2000L), ScriptedHost.grantTimesMillis(slow),
                "successes give their places back and leave nothing in the bucket");
    }

    @Test
    void localFailuresAndCancellationsAreNotFailuresOfTheDestination() {
        final ScriptedHost host = new ScriptedHost(AdmissionPolicy.failureRate().withBurst(1));
        for (int i = 0; i < 10; i++) {
            host.submit(ScriptedHost.destination(i), i % 2 == 0 ? Outcome.FAILED : Outcome.CANCELLED, RTT);
            host.advance(RTT);
        }
        assertTrue(host.attempts().stream().allMatch(a -> a.waitedMillis() == 0), "never held");
    }

    @Test
    void aBadParameterFailsAtOnceNamingIt() {
        final FailureRatePolicy policy = AdmissionPolicy.failureRate();
        assertEquals("rate must be greater than 0.0 and less than 1.0E9, was 0.0",
                assertThrows(PolicyParameterException.class, () -> policy.withRate(0)).getMessage());
        assertEquals("rate", assertThrows(PolicyParameterException.class, () -> policy.withRate(Double.NaN))
                .parameter());
        assertEquals("burst must be between 1 and 1000000, was 0", assertThrows(PolicyParameterException.class,
                () -> policy.withBurst(0)).getMessage());
        assertEquals("rate", assertThrows(PolicyParameterException.class,
                () -> policy.withRate(1e-9).withBurst(1_000_000)).parameter());
        assertEquals("within", assertThrows(PolicyParameterException.class, () -> policy.within(null)).parameter());
    }

    @Test
    void itIsInTheRegistryWithItsDefaultsAndWritesItselfBack() {
        final PolicyRegistry registry = PolicyRegistry.builtIn();
        assertEquals(AdmissionPolicy.failureRate(), registry.parse("failureRate"));
        final AdmissionPolicy custom = AdmissionPolicy.failureRate().withRate(0.25).withBurst(3)
                .within(AdmissionPolicy.halfOpenCap(4));
        assertEquals(custom, registry.parse("failureRate(0.25, 3, halfOpenCap(4))"));
        assertEquals(custom, registry.parse(custom.spec().orElseThrow()));
        assertEquals("failureRate(rate=1, burst=10, within=halfOpenCap(maxHalfOpen=10))",
                AdmissionPolicy.failureRate().name());
    }
}
