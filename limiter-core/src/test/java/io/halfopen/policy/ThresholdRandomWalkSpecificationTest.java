package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The threshold random walk, through the real limiter in virtual time: with the paper's values each first
 * contact moves the walk by ±ln 4 against thresholds ±ln 99, so four failures more than successes say "scanner"
 * and four successes more than failures say "benign"; a scanner's first contacts are held (or refused) for the
 * quarantine, with an event that says why; known destinations and retries are never observations.
 */
@DisplayName("thresholdRandomWalk: four net failures of distinct first contacts say scanner")
class ThresholdRandomWalkSpecificationTest {

    private static final Duration RTT = Duration.ofMillis(100);

    private static ThresholdRandomWalkPolicy oneSlot() {
        return AdmissionPolicy.thresholdRandomWalk().within(AdmissionPolicy.halfOpenCap(1));
    }

    @Test
    void fourFailedFirstContactsSayScannerAndTheNextAreHeldForTheQuarantine() {
        final ScriptedHost host = new ScriptedHost(oneSlot());
        final List<ScriptedHost.Attempt> scans = host.submit(6, 0, Outcome.UNREACHABLE, RTT);
        host.advance(Duration.ofSeconds(1));
        assertEquals(List.of(0L, 100L, 200L, 300L, -1L, -1L), ScriptedHost.grantTimesMillis(scans),
                "three failures (ln 64) are below ln 99; the fourth (ln 256) is past it");
        final ScannerDetected detected = assertInstanceOf(ScannerDetected.class, host.events.get(0));
        assertEquals(4, detected.failures());
        assertEquals(4, detected.observations());
        assertEquals(256, detected.likelihoodRatio(), 1e-9);
        assertEquals(99, detected.threshold(), 1e-9);
        assertEquals(ScriptedHost.destination(3), detected.remote());
        assertEquals(400L * 1_000_000, detected.nanoTime());
        host.advance(Duration.ofMillis(600_400 - 1000 - 1)); // the quarantine of 10 min ends at 600.4 s
        assertEquals(-1L, scans.get(4).grantedAtMillis(), "held until the quarantine is over");
        host.advance(Duration.ofMillis(1));
        assertEquals(600_400L, scans.get(4).grantedAtMillis());
        assertInstanceOf(ScannerReleased.class, host.events.get(1));
    }

    @Test
    void successesPullTheWalkBackAndABenignHostIsNeverHeld() {
        final ScriptedHost host = new ScriptedHost(AdmissionPolicy.thresholdRandomWalk()
                .within(AdmissionPolicy.halfOpenCap(10)));
        for (int n = 0; n < 500; n++) { // 80 % of first contacts succeed, the paper's benign theta0
            host.submit(ScriptedHost.destination(n), n % 5 == 4 ? Outcome.REFUSED : Outcome.ESTABLISHED, RTT);
            host.advance(Duration.ofMillis(50));
        }
        host.advance(Duration.ofSeconds(10));
        assertTrue(host.events.isEmpty(), "no verdict scanner: " + host.events);
        assertTrue(host.attempts().stream().allMatch(a -> a.waitedMillis() == 0));
    }

    @Test
    void netFailuresDecideNotFailuresAlone() { // the known-bad control: one success fewer per five and it is caught
        final ScriptedHost host = new ScriptedHost(oneSlot());
        // S F F F F: the walk is -1 +4 = 3 steps (ln 64) after five: not yet; a sixth failure decides
        final Outcome[] outcomes = {Outcome.ESTABLISHED, Outcome.TIMED_OUT, Outcome.REFUSED, Outcome.UNREACHABLE,
            Outcome.TIMED_OUT, Outcome.REFUSED, Outcome.TIMED_OUT};
        for (int n = 0; n < outcomes.length; n++) {
            host.submit(ScriptedHost.destination(n), outcomes[n], RTT);
        }
        host.advance(Duration.ofSeconds(1));
        final ScannerDetected detected = assertInstanceOf(ScannerDetected.class, host.events.get(0));
        assertEquals(5, detected.failures());
        assertEquals(6, detected.observations());
        assertEquals(-1L, host.attempts().get(6).grantedAtMillis());
    }

    @Test
    void retriesToOneDeadDestinationAreOneObservationNotAScan() {
        final ScriptedHost host = new ScriptedHost(oneSlot());
        for (int i = 0; i < 20; i++) {
            host.submit(ScriptedHost.destination(7), Outcome.TIMED_OUT, RTT);
        }
        host.advance(Duration.ofSeconds(5));
        assertTrue(host.events.isEmpty(), "a host retrying one dead server is not a scanner: " + host.events);
        assertTrue(host.attempts().stream().allMatch(ScriptedHost.Attempt::granted));
    }

    @Test
    void duringTheQuarantineKnownDestinationsGoAtOnceAndOnlyFirstContactsWait() {
        final ScriptedHost host = new ScriptedHost(oneSlot());
        host.submit(ScriptedHost.destination(100), Outcome.ESTABLISHED, RTT); // known from now on; walk -1
        host.advance(RTT);
        host.submit(5, 0, Outcome.UNREACHABLE, RTT); // -1 + 5 = 4 steps: scanner at 600 ms
        host.advance(Duration.ofSeconds(1));
        assertInstanceOf(ScannerDetected.class, host.events.get(0));
        final ScriptedHost.Attempt known = host.submit(ScriptedHost.destination(100), Outcome.ESTABLISHED, RTT);
        final ScriptedHost.Attempt first = host.submit(ScriptedHost.destination(50), Outcome.ESTABLISHED, RTT);
        assertEquals(0L, known.waitedMillis(), "a destination reached before is no first contact");
        assertFalse(first.granted());
    }

    @Test
    void withRefuseFirstContactsFailAtOnceSayingWhy() {
        final ScriptedHost host = new ScriptedHost(oneSlot().withRefuse(true));
        host.submit(4, 0, Outcome.UNREACHABLE, RTT);
        host.advance(Duration.ofSeconds(1));
        final ScriptedHost.Attempt refused = host.submit(ScriptedHost.destination(9), Outcome.ESTABLISHED, RTT);
        assertNotNull(refused.failure, "refused at once, not held");
        assertTrue(refused.failure.getMessage().contains("threshold random walk"), refused.failure.getMessage());
        assertTrue(((ScannerDetected) host.events.get(0)).refused());
    }

    @Test
    void withoutRestartABenignVerdictIsFinal() {
        final ScriptedHost host = new ScriptedHost(oneSlot().withRestartAfterBenign(false));
        host.submit(4, 0, Outcome.ESTABLISHED, RTT); // ln(1/256) <= ln(1/99): benign, for good
        host.submit(20, 10, Outcome.UNREACHABLE, RTT);
        host.advance(Duration.ofSeconds(5));
        assertTrue(host.events.isEmpty());
        assertTrue(host.attempts().stream().allMatch(ScriptedHost.Attempt::granted));

        final ScriptedHost restarting = new ScriptedHost(oneSlot()); // the default: a new test after benign
        restarting.submit(4, 0, Outcome.ESTABLISHED, RTT);
        restarting.submit(20, 10, Outcome.UNREACHABLE, RTT);
        restarting.advance(Duration.ofSeconds(5));
        assertInstanceOf(ScannerDetected.class, restarting.events.get(0));
    }

    @Test
    void waldsExpectedObservationsAreAboutFiveAtThePapersValuesAndBadParametersFailNamingThem() {
        final ThresholdRandomWalkPolicy p = AdmissionPolicy.thresholdRandomWalk();
        assertEquals(5.4, p.expectedObservations(0.2), 0.1);
        assertEquals(5.4, p.expectedObservations(0.8), 0.1);
        assertEquals("theta1", assertThrows(PolicyParameterException.class, () -> p.withTheta1(0.9)).parameter());
        assertEquals("theta0", assertThrows(PolicyParameterException.class, () -> p.withTheta0(1)).parameter());
        assertEquals("falsePositive", assertThrows(PolicyParameterException.class,
                () -> p.withFalsePositive(0.995)).parameter());
        assertEquals("quarantine", assertThrows(PolicyParameterException.class,
                () -> p.withQuarantine(Duration.ZERO)).parameter());
        final PolicyRegistry registry = PolicyRegistry.builtIn();
        assertEquals(p, registry.parse("thresholdRandomWalk"));
        final AdmissionPolicy custom = p.withRefuse(true).withQuarantine(Duration.ofMinutes(1));
        assertEquals(custom, registry.parse(custom.spec().orElseThrow()));
    }
}
