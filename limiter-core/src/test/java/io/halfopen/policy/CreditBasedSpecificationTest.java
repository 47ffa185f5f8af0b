package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Credit-based connection rate limiting, through the real limiter in virtual time: the paper's balance rules
 * (10 to start, 1 per first contact, 2 back per success, decay above 10 to two thirds a second, one credit after
 * 4 s at zero), a scanner left with the allowance, a host more than half of whose first contacts succeed never
 * waiting. Within a cap of 100, so that the cap never hides what credit does.
 */
@DisplayName("creditBased: first contacts spend credit, successful ones earn it back, a host out of credit waits")
class CreditBasedSpecificationTest {

    private static final AdmissionPolicy WIDE = AdmissionPolicy.halfOpenCap(100);
    private static final Duration RTT = Duration.ofMillis(50);
    private static final Duration TIMEOUT = Duration.ofSeconds(21);

    @Test
    void aHostStartsWithTenCreditsAndAnEstablishedFirstContactEarnsTwo() {
        final ScriptedHost host = new ScriptedHost(AdmissionPolicy.creditBased().within(WIDE));
        final List<ScriptedHost.Attempt> first = host.submit(10, 0, Outcome.TIMED_OUT, TIMEOUT);
        final ScriptedHost.Attempt success = host.submit(ScriptedHost.destination(100), Outcome.ESTABLISHED, RTT);
        final List<ScriptedHost.Attempt> later = host.submit(3, 200, Outcome.TIMED_OUT, TIMEOUT);
        assertTrue(first.stream().allMatch(ScriptedHost.Attempt::granted), "ten credits, ten first contacts");
        assertTrue(!success.granted() && later.stream().noneMatch(ScriptedHost.Attempt::granted), "out of credit");
        host.advance(Duration.ofMillis(3_999));
        host.advance(Duration.ofMillis(1)); // at zero for 4 s: the allowance lets the oldest go
        assertEquals(4000L, success.grantedAtMillis());
        host.advance(RTT); // it is established: +2
        assertEquals(List.of(4050L, 4050L, -1L), ScriptedHost.grantTimesMillis(later));
    }

    @Test
    void aScannerWhoseFirstContactsFailIsLeftWithOneFirstContactPerAllowance() {
        final ScriptedHost host = new ScriptedHost(AdmissionPolicy.creditBased().within(WIDE));
        final List<ScriptedHost.Attempt> scans = host.submit(20, 0, Outcome.REFUSED, RTT);
        host.advance(Duration.ofSeconds(30));
        final List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(0L);
        }
        for (int i = 1; i <= 7; i++) {
            expected.add(4000L * i);
        }
        expected.addAll(List.of(-1L, -1L, -1L));
        assertEquals(expected, ScriptedHost.grantTimesMillis(scans));
    }

    @Test
    void aHostTwoThirdsOfWhoseFirstContactsSucceedNeverWaits() {
        final ScriptedHost host = new ScriptedHost(AdmissionPolicy.creditBased().within(WIDE));
        for (int n = 0; n < 600; n++) {
            host.submit(ScriptedHost.destination(n), n % 3 == 2 ? Outcome.TIMED_OUT : Outcome.ESTABLISHED,
                    n % 3 == 2 ? TIMEOUT : RTT);
            host.advance(Duration.ofMillis(100));
        }
        assertTrue(host.attempts().stream().allMatch(a -> a.waitedMillis() == 0), "never out of credit");
    }

    @Test
    void aHostOneThirdOfWhoseFirstContactsSucceedRunsOutAndWaits() { // the known-bad control of the test above
        final ScriptedHost host = new ScriptedHost(AdmissionPolicy.creditBased().within(WIDE));
        for (int n = 0; n < 600; n++) {
            host.submit(ScriptedHost.destination(n), n % 3 == 0 ? Outcome.ESTABLISHED : Outcome.TIMED_OUT,
                    n % 3 == 0 ? RTT : TIMEOUT);
            host.advance(Duration.ofMillis(100));
        }
        assertTrue(host.attempts().stream().anyMatch(a -> a.waitedMillis() != 0));
    }

    @Test
    void aBalanceAboveTenDecaysToTwoThirdsEverySecondButNeverBelowTen() {
        for (final int seconds : new int[] {0, 1, 2, 3}) {
            final ScriptedHost host = new ScriptedHost(AdmissionPolicy.creditBased().within(WIDE));
            host.submit(10, 0, Outcome.ESTABLISHED, Duration.ZERO); // 10 - 10 + 20 = 20 credits at 0 s
            host.advance(Duration.ofSeconds(seconds));
            final List<ScriptedHost.Attempt> burst = host.submit(30, 100, Outcome.TIMED_OUT, TIMEOUT);
            final long went = burst.stream().filter(ScriptedHost.Attempt::granted).count();
            assertEquals(new long[] {20, 13, 10, 10}[seconds], went, "first contacts with credit after " + seconds
                    + " s");
        }
    }

    @Test
    void knownDestinationsNeverSpendCredit() {
        final ScriptedHost host = new ScriptedHost(AdmissionPolicy.creditBased().withCredits(1).within(WIDE));
        host.submit(ScriptedHost.destination(1), Outcome.ESTABLISHED, RTT);
        host.advance(RTT); // known now, and 1 - 1 + 2 = 2 credits
        for (int i = 0; i < 20; i++) {
            host.submit(ScriptedHost.destination(1), Outcome.ESTABLISHED, TIMEOUT);
        }
        final List<ScriptedHost.Attempt> firstContacts = host.submit(3, 10, Outcome.TIMED_OUT, TIMEOUT);
        assertEquals(List.of(50L, 50L, -1L), ScriptedHost.grantTimesMillis(firstContacts));
        assertTrue(host.attempts().subList(1, 21).stream().allMatch(a -> a.waitedMillis() == 0));
    }

    @Test
    void aFirstContactThatLeavesWithoutASlotGetsItsCreditBack() {
        final ScriptedHost host = new ScriptedHost(AdmissionPolicy.creditBased().withCredits(1)
                .within(AdmissionPolicy.halfOpenCap(1)));
        final ScriptedHost.Attempt known = host.submit(ScriptedHost.destination(1), Outcome.ESTABLISHED, RTT);
        host.advance(RTT); // 2 credits, the destination known
        final ScriptedHost.Attempt holder = host.submit(ScriptedHost.destination(1), Outcome.ESTABLISHED,
                Duration.ofSeconds(1)); // holds the only slot
        final ScriptedHost.Attempt leaves = host.submit(ScriptedHost.destination(2), Outcome.TIMED_OUT, TIMEOUT);
        assertTrue(leaves.handle.cancel(), "it leaves while held: nothing was charged");
        host.advance(Duration.ofSeconds(1));
        final List<ScriptedHost.Attempt> next = host.submit(2, 10, Outcome.TIMED_OUT, TIMEOUT);
        assertTrue(known.granted() && holder.granted());
        assertEquals(1050L, next.get(0).grantedAtMillis(), "still two credits");
    }

    @Test
    void aBadParameterFailsAtOnceNamingIt() {
        final CreditBasedPolicy policy = AdmissionPolicy.creditBased();
        assertEquals("credits must be between 0 and 1000000, was -1", assertThrows(PolicyParameterException.class,
                () -> policy.withCredits(-1)).getMessage());
        assertEquals("reward", assertThrows(PolicyParameterException.class, () -> policy.withReward(-1)).parameter());
        assertEquals("decayAbove", assertThrows(PolicyParameterException.class,
                () -> policy.withDecayAbove(-1)).parameter());
        assertEquals("decay must be greater than 0 and at most 0.99, or 1 for no decay, was 1.5",
                assertThrows(PolicyParameterException.class, () -> policy.withDecay(1.5)).getMessage());
        assertEquals("decayInterval", assertThrows(PolicyParameterException.class,
                () -> policy.withDecayInterval(Duration.ZERO)).parameter());
        assertEquals("allowanceAfter", assertThrows(PolicyParameterException.class,
                () -> policy.withAllowanceAfter(Duration.ofSeconds(-4))).parameter());
        assertEquals("within", assertThrows(PolicyParameterException.class, () -> policy.within(null)).parameter());
    }

    @Test
    void itIsInTheRegistryWithThePapersValuesAndWritesItselfBack() {
        final PolicyRegistry registry = PolicyRegistry.builtIn();
        assertEquals(AdmissionPolicy.creditBased(), registry.parse("creditBased"));
        final AdmissionPolicy custom = AdmissionPolicy.creditBased().withCredits(5).withDecay(0.5)
                .withAllowanceAfter(Duration.ofSeconds(2));
        assertEquals(custom, registry.parse("creditBased(credits=5, decay=0.5, allowanceAfter=2s)"));
        assertEquals(custom, registry.parse(custom.spec().orElseThrow()));
        assertEquals(AdmissionPolicy.creditBased(), registry.parse(AdmissionPolicy.creditBased().name()),
                "the decay of 2/3 writes itself exactly");
    }
}
