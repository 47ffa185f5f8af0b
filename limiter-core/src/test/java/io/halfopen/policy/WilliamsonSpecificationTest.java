package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.PolicyRefusedException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Williamson's virus throttle, through the real limiter in virtual time, against the numbers of its papers:
 * Nimda's 400 new destinations per second let out at exactly one per second, the delay queue at 100 after a
 * quarter of a second and at HP's high watermark of 160 after 0.4 s; the working set, the release of every
 * request to the released destination, the watermark events, the optional refusal past the queue's size.
 */
@DisplayName("williamson: the virus throttle of Williamson (2002) and Twycross & Williamson (2003)")
class WilliamsonSpecificationTest {

    /** A distinct address per index in 198.18.0.0/15 (benchmarking, never routed). */
    static InetSocketAddress destination(final int i) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, (byte) (18 + (i >> 16 & 1)),
                (byte) (i >> 8), (byte) i}), 80);
        } catch (final UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Nimda at 400 new destinations per second from t = 0, for {@code millis}; returns the attempts. */
    private static List<ConnectAttempt> nimda(final Host host, final int millis, final List<Integer> queueAt) {
        final List<ConnectAttempt> attempts = new ArrayList<>();
        for (int i = 0; i * 2.5 < millis; i++) {
            final long due = Math.round(i * 2.5 * 1_000_000);
            host.clock.advance(Duration.ofNanos(due - host.clock.nanoTime()));
            attempts.add(host.connect(destination(i)));
            queueAt.add(host.queued());
        }
        host.clock.advance(Duration.ofNanos(millis * 1_000_000L - host.clock.nanoTime()));
        return attempts;
    }

    @Test
    void againstNimdaExactlyOneNewDestinationPerSecondGetsOut() {
        final Host host = new Host(AdmissionPolicy.williamson());
        final List<ConnectAttempt> attempts = nimda(host, 30_000, new ArrayList<>());
        final TreeMap<Long, Integer> perSecond = new TreeMap<>();
        for (final ConnectAttempt a : attempts) {
            if (host.granted(a)) {
                perSecond.merge(host.grantedAtMillis(a) / 1000, 1, Integer::sum);
            }
        }
        for (long second = 0; second < 30; second++) {
            assertEquals(1, perSecond.getOrDefault(second, 0), "connections out in second " + second);
        }
        assertEquals(List.of(0L, 1000L, 2000L), host.grantTimesMillis(attempts.subList(0, 3)),
                "the oldest waiting destination each second, in arrival order");
    }

    @Test
    void theDelayQueueReachesOneHundredAtAQuarterSecondAndHpsHighWatermarkAtFourTenths() {
        final Host host = new Host(AdmissionPolicy.williamson());
        final List<Integer> queueAt = new ArrayList<>();
        nimda(host, 500, queueAt);
        assertEquals(250.0, 2.5 * queueAt.indexOf(100), "ms when the queue first held 100");
        assertEquals(400.0, 2.5 * queueAt.indexOf(160), "ms when the queue first held 160");
        assertEquals(1, host.events.size(), "one event, at the high watermark: " + host.events);
        final VirusThrottleEvent high = assertInstanceOf(VirusThrottleEvent.class, host.events.get(0));
        assertEquals(VirusThrottleEvent.Kind.HIGH_WATERMARK, high.kind());
        assertEquals(400_000_000L, high.nanoTime());
        assertEquals(160, high.queued());
        assertEquals(destination(160), high.remote(), "the 161st attempt: the first went at once");
        assertTrue(high.description().contains("probably infected"), high.description());
        assertEquals(AdmissionPolicy.williamson().spec().orElseThrow(), high.policy());
    }

    @Test
    void theWorkingSetGoesAtOnceEvenBehindALongQueueAndForgetsTheLeastRecentlyUsed() {
        final Host host = new Host(AdmissionPolicy.williamson().workingSet(2));
        host.connect(destination(1));             // let out at 0 s: {1}
        host.connect(destination(2));             // waits
        host.connect(destination(3));             // waits
        host.advance(Duration.ofSeconds(2));      // 2 out at 1 s, 3 at 2 s: {2, 3}, 1 forgotten
        for (int i = 100; i < 110; i++) {
            host.connect(destination(i));         // a queue of 10 new destinations
        }
        assertEquals(0L, host.grantedAtMillis(host.connect(destination(3))) - 2000, "a working-set hit goes at once");
        assertEquals(-1L, host.grantedAtMillis(host.connect(destination(1))), "1 left the working set: it waits");
        assertEquals(11, host.queued());
    }

    @Test
    void aReleaseLetsOutEveryWaitingRequestToThatDestination() {
        final Host host = new Host(AdmissionPolicy.williamson());
        host.connect(destination(0));
        final ConnectAttempt a1 = host.connect(destination(1));
        final ConnectAttempt b = host.connect(destination(2));
        final ConnectAttempt a2 = host.connect(new InetSocketAddress(destination(1).getAddress(), 443));
        host.advance(Duration.ofSeconds(1));
        assertEquals(List.of(1000L, -1L, 1000L), host.grantTimesMillis(List.of(a1, b, a2)), "the port does not"
                + " matter: both requests to the host left together");
        host.advance(Duration.ofSeconds(1));
        assertEquals(2000L, host.grantedAtMillis(b));
    }

    @Test
    void theQueueDrainingToTheLowWatermarkEndsTheEpisodeAndTheNextOneRaisesAgain() {
        final Host host = new Host(AdmissionPolicy.williamson().queue(10, 4, 2));
        final List<ConnectAttempt> attempts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            attempts.add(host.connect(destination(i))); // one out at once, 5 waiting: high at the 4th waiting
        }
        assertEquals(List.of(VirusThrottleEvent.Kind.HIGH_WATERMARK), kinds(host));
        attempts.get(5).cancel(); // 4 waiting
        host.advance(Duration.ofSeconds(1)); // 3 waiting
        assertEquals(1, host.events.size());
        host.advance(Duration.ofSeconds(1)); // 2 waiting: the low watermark
        assertEquals(List.of(VirusThrottleEvent.Kind.HIGH_WATERMARK, VirusThrottleEvent.Kind.LOW_WATERMARK),
                kinds(host));
        assertEquals(2, ((VirusThrottleEvent) host.events.get(1)).queued());
        for (int i = 10; i < 12; i++) {
            host.connect(destination(i));
        }
        assertEquals(3, host.events.size(), "a new episode raises the high watermark again");
    }

    private static List<VirusThrottleEvent.Kind> kinds(final Host host) {
        return host.events.stream().map(e -> ((VirusThrottleEvent) e).kind()).toList();
    }

    @Test
    void withRefuseWhenFullAnAttemptPastTheQueueSizeIsRefusedAndAWorkingSetHitIsNot() {
        final Host host = new Host(AdmissionPolicy.williamson().queue(3, 2, 1).refuseWhenFull(true));
        host.connect(destination(0)); // out at once: in the working set
        for (int i = 1; i <= 3; i++) {
            host.connect(destination(i));
        }
        final ConnectAttempt refused = host.connect(destination(4));
        final PolicyRefusedException e = assertInstanceOf(PolicyRefusedException.class, host.failure(refused));
        assertTrue(e.getMessage().contains("the delay queue is full (3 waiting, its size is 3)"), e.getMessage());
        assertEquals(0L, host.grantedAtMillis(host.connect(destination(0))));
        final Host queues = new Host(AdmissionPolicy.williamson().queue(3, 2, 1));
        for (int i = 0; i <= 5; i++) {
            queues.connect(destination(i));
        }
        assertEquals(5, queues.queued(), "without the option, the queue grows past its size: the papers delay");
    }

    @Test
    void withinACapTheLetOutAttemptsWaitForItsSlots() {
        final Host host = new Host(AdmissionPolicy.williamson().within(AdmissionPolicy.halfOpenCap(1)));
        final ConnectAttempt first = host.connect(destination(0));
        final ConnectAttempt second = host.connect(destination(1));
        host.advance(Duration.ofSeconds(3));
        assertEquals(List.of(0L, -1L), host.grantTimesMillis(List.of(first, second)), "let out at 1 s, but the cap"
                + " is full");
        first.established();
        assertEquals(3000L, host.grantedAtMillis(second));
        assertEquals(1, AdmissionPolicy.williamson().within(AdmissionPolicy.halfOpenCap(1)).maxHalfOpen());
    }

    @Test
    void badParametersFailAtOnceNamingThem() {
        assertEquals("workingSet", assertThrows(PolicyParameterException.class,
                () -> AdmissionPolicy.williamson().workingSet(0)).parameter());
        assertEquals("release", assertThrows(PolicyParameterException.class,
                () -> AdmissionPolicy.williamson().release(Duration.ZERO)).parameter());
        assertEquals("highWatermark must be at most queueSize (200), was 201", assertThrows(
                PolicyParameterException.class, () -> AdmissionPolicy.williamson().queue(200, 201, 100)).getMessage());
        assertEquals("lowWatermark must be below highWatermark (160), was 160", assertThrows(
                PolicyParameterException.class, () -> AdmissionPolicy.williamson().queue(200, 160, 160)).getMessage());
        final PolicySyntaxException e = assertThrows(PolicySyntaxException.class,
                () -> PolicyRegistry.builtIn().parse("williamson(workingSet=5, lowWatermark=170)"));
        assertEquals(39, e.column());
        assertEquals("williamson: lowWatermark must be below highWatermark (160), was 170", e.reason());
        assertEquals(AdmissionPolicy.williamson().workingSet(3).release(Duration.ofMillis(500)),
                PolicyRegistry.builtIn().parse("williamson(workingSet=3, release=500ms)"));
    }
}
