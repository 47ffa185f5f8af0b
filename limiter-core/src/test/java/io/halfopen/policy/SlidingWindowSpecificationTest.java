package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.halfopen.limiter.ConnectAttempt;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The sliding-window rate per destination, through the real limiter in virtual time: no destination starts more
 * than {@code attempts} attempts in any {@code window}; its extra attempts wait, FIFO, until its oldest start is a
 * window old; other destinations never wait for it.
 */
@DisplayName("slidingWindow: attempts per destination per window, no head-of-line blocking")
class SlidingWindowSpecificationTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void aDestinationPastItsRateWaitsUntilItsOldestStartIsAWindowOld() {
        final Host host = new Host(AdmissionPolicy.slidingWindow(2, SECOND));
        final ConnectAttempt a0 = host.connect(1);
        host.advanceMillis(300);
        final ConnectAttempt a1 = host.connect(1);
        final ConnectAttempt a2 = host.connect(1);
        final ConnectAttempt a3 = host.connect(1);
        assertEquals(List.of(0L, 300L, -1L, -1L), host.grantTimesMillis(List.of(a0, a1, a2, a3)));
        host.advanceMillis(699);
        assertEquals(-1L, host.grantedAtMillis(a2), "the start at 0 ms is not yet a window old");
        host.advanceMillis(1);
        assertEquals(1000L, host.grantedAtMillis(a2), "exact: the window slid past the start at 0 ms");
        assertEquals(-1L, host.grantedAtMillis(a3), "the start at 300 ms still counts");
        host.advanceMillis(300);
        assertEquals(1300L, host.grantedAtMillis(a3));
        assertEquals(List.of(a0, a1, a2, a3), host.grantOrder(), "FIFO within the destination");
    }

    @Test
    void otherDestinationsNeverWaitBehindARateLimitedOne() {
        final Host host = new Host(AdmissionPolicy.slidingWindow(1, SECOND));
        final List<ConnectAttempt> busy = host.connect(3, 1);
        final ConnectAttempt other = host.connect(2);
        assertEquals(List.of(0L, -1L, -1L), host.grantTimesMillis(busy));
        assertEquals(0L, host.grantedAtMillis(other), "no head-of-line blocking");
        host.advance(SECOND);
        host.advance(SECOND);
        assertEquals(List.of(0L, 1000L, 2000L), host.grantTimesMillis(busy));
    }

    @Test
    void networksCountAsOneDestinationWhenPrefixesSaySoAndThePortNever() {
        final Host host = new Host(AdmissionPolicy.slidingWindow(1, SECOND).prefixes(24, 64));
        final ConnectAttempt first = host.connect(Host.address(0, 1));
        final ConnectAttempt sameNet = host.connect(Host.address(0, 2));
        final ConnectAttempt otherNet = host.connect(Host.address(1, 1));
        assertEquals(List.of(0L, -1L, 0L), host.grantTimesMillis(List.of(first, sameNet, otherNet)));
        final Host byAddress = new Host(AdmissionPolicy.slidingWindow(1, SECOND));
        byAddress.connect(Host.address(0, 1));
        final ConnectAttempt otherPort = byAddress.connect(new java.net.InetSocketAddress(
                Host.address(0, 1).getAddress(), 587));
        assertEquals(-1L, byAddress.grantedAtMillis(otherPort), "the same address on another port: one destination");
    }

    @Test
    void withinACapTheCapStillBoundsTheHalfOpen() {
        final Host host = new Host(AdmissionPolicy.slidingWindow(5, SECOND).within(AdmissionPolicy.halfOpenCap(2)));
        for (int i = 0; i < 4; i++) {
            host.connect(i + 1);
        }
        assertEquals(2, host.halfOpen());
        assertEquals(2, host.queued());
    }

    @Test
    void badParametersFailAtOnceNamingThemAndTheRegistryKnowsIt() {
        assertEquals("attempts", assertThrows(PolicyParameterException.class,
                () -> AdmissionPolicy.slidingWindow(0, SECOND)).parameter());
        assertEquals("window", assertThrows(PolicyParameterException.class,
                () -> AdmissionPolicy.slidingWindow(1, Duration.ZERO)).parameter());
        assertEquals("ipv4Prefix", assertThrows(PolicyParameterException.class,
                () -> AdmissionPolicy.slidingWindow(1, SECOND).prefixes(33, 64)).parameter());
        final PolicyRegistry registry = PolicyRegistry.builtIn();
        assertEquals(AdmissionPolicy.slidingWindow(10, SECOND), registry.parse("slidingWindow"));
        final AdmissionPolicy p = AdmissionPolicy.slidingWindow(3, Duration.ofMillis(250)).prefixes(24, 64)
                .within(AdmissionPolicy.halfOpenCap(10));
        assertEquals(p, registry.parse(p.spec().orElseThrow()), "it writes itself back");
    }
}
