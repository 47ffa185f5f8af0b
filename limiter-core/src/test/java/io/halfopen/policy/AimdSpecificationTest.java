package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The AIMD cap, as Netflix's AIMDLimit adapts: x0.9 (at least -1) on a half-open timeout, +1 on an established
 * connect while at least half the cap is in use, within [min, max]; through the real limiter in virtual time,
 * where the limiter's own half-open timeout is the drop.
 */
@DisplayName("aimd: an adaptive half-open cap")
class AimdSpecificationTest {

    private static int limitOf(final AdmissionGate gate) {
        return ((AimdPolicy.Gate) gate).limit();
    }

    private static final class Probe implements AdmissionTicket {
        @Override
        public java.net.InetSocketAddress remote() {
            return Host.address(0, 1);
        }

        @Override
        public boolean tryAdmit() {
            return true;
        }
    }

    @Test
    void timeoutsCutTheCapByTheBackoffAndAtLeastOneDownToTheMinimum() {
        final AdmissionGate gate = AdmissionPolicy.aimd(10, 2, 100).newGate(new PolicyContext(new VirtualClock(),
                new VirtualClock()));
        final List<Integer> limits = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            gate.enter(new Probe());
            gate.exit(new Probe(), Outcome.TIMED_OUT);
            limits.add(limitOf(gate));
        }
        assertEquals(List.of(9, 8, 7, 6, 5, 4, 3, 2, 2, 2, 2, 2), limits, "floor(10 x 0.9) = 9, ... then at least"
                + " one less, never below min");
        final AdmissionGate big = AdmissionPolicy.aimd(100, 1, 100).newGate(new PolicyContext(new VirtualClock(),
                new VirtualClock()));
        big.enter(new Probe());
        big.exit(new Probe(), Outcome.TIMED_OUT);
        assertEquals(90, limitOf(big), "100 x 0.9");
    }

    @Test
    void establishedConnectsRaiseTheCapByOneOnlyWhileAtLeastHalfOfItIsInUse() {
        final AdmissionGate gate = AdmissionPolicy.aimd(4, 1, 6).newGate(new PolicyContext(new VirtualClock(),
                new VirtualClock()));
        gate.enter(new Probe());
        gate.exit(new Probe(), Outcome.ESTABLISHED);
        assertEquals(4, limitOf(gate), "one in flight of four: the cap is idle, it does not grow");
        for (int round = 0; round < 4; round++) {
            final int inFlight = (limitOf(gate) + 1) / 2;
            for (int i = 0; i < inFlight; i++) {
                gate.enter(new Probe());
            }
            gate.exit(new Probe(), Outcome.ESTABLISHED);
            for (int i = 1; i < inFlight; i++) {
                gate.exit(new Probe(), Outcome.CANCELLED);
            }
        }
        assertEquals(6, limitOf(gate), "4 -> 5 -> 6, then held at max");
        gate.enter(new Probe());
        gate.enter(new Probe());
        gate.enter(new Probe());
        gate.exit(new Probe(), Outcome.REFUSED);
        gate.exit(new Probe(), Outcome.FAILED);
        gate.exit(new Probe(), Outcome.CANCELLED);
        assertEquals(6, limitOf(gate), "resets, failures and cancellations leave the cap");
    }

    @Test
    void throughTheLimiterHalfOpenTimeoutsShrinkTheCapAndWaitersWaitForIt() {
        final Host host = new Host(AdmissionPolicy.aimd(4, 1, 10));
        final List<ConnectAttempt> dead = host.connect(4, 1);  // black-holed: the limiter aborts them at 21 s
        final List<ConnectAttempt> next = host.connect(6, 2);
        host.advance(Duration.ofSeconds(21));
        // four timeouts: 4 -> 3 -> 2 -> 1 -> 1 (each exit lets a waiter go while halfOpen < limit)
        assertEquals(1, next.stream().filter(host::granted).count(), "the cap fell to one");
        assertEquals(1, host.halfOpen());
        final ConnectAttempt granted = next.stream().filter(host::granted).findFirst().orElseThrow();
        granted.established(); // one in flight of one: 1 -> 2
        assertEquals(3, next.stream().filter(host::granted).count(), "an established connect raised it to two");
    }

    @Test
    void badParametersFailAtOnceNamingThem() {
        assertEquals("min", assertThrows(PolicyParameterException.class, () -> AdmissionPolicy.aimd(1, 0, 5))
                .parameter());
        assertEquals("max must be at least min (5), was 4", assertThrows(PolicyParameterException.class,
                () -> AdmissionPolicy.aimd(5, 5, 4)).getMessage());
        assertEquals("initial must be between min (2) and max (5), was 6", assertThrows(
                PolicyParameterException.class, () -> AdmissionPolicy.aimd(6, 2, 5)).getMessage());
        assertEquals("backoff must be at least 0.5 and below 1, was 1.0", assertThrows(PolicyParameterException.class,
                () -> AdmissionPolicy.aimd(5, 1, 5).backoff(1)).getMessage());
        assertEquals(AdmissionPolicy.aimd(10, 1, 100), PolicyRegistry.builtIn().parse("aimd"));
        assertEquals(100, AdmissionPolicy.aimd(10, 1, 100).maxHalfOpen());
    }
}
