package io.halfopen.limiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.fixture.ModelChecked;
import io.halfopen.time.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Model-checked races of shadow mode's {@link ShadowGate}: a real attempt's exit against the grant of its own
 * waiting shadow (whichever comes second must end the shadow, exactly once), close against that grant, and
 * several real exits handing shadow slots on at once. Lincheck's general-purpose API explores interleavings of
 * the real limiter on real threads; after each race the clock runs every shadow timer, and the shadow world must
 * be empty (no shadow slot lost or held twice), every grant heard once, and a fresh pair of attempts must behave
 * as the policy says (the first would go at once, the second would wait).
 *
 * <p>As in {@link AttemptRacesLincheckTest}: event 4226 is off so that SLF4J and JFR stay out of the model
 * checker, and JDK 17 is the reference run (Lincheck 3.7 switches at fewer points on JDK 25).
 */
class ShadowGateLincheckTest {

    private static final int INVOCATIONS = 50;
    private static final InetSocketAddress REMOTE;

    static {
        try {
            REMOTE = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 2}), 25);
        } catch (final UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Counts the shadow grants and adds up their waits. */
    static final class Grants implements LimiterListener {
        final AtomicInteger count = new AtomicInteger();
        final AtomicLong waitedNanos = new AtomicLong();

        @Override
        public void wouldHaveWaited(final InetSocketAddress remote, final Duration wait) {
            count.incrementAndGet();
            waitedNanos.addAndGet(wait.toNanos());
        }
    }

    @BeforeAll
    static void loadClassesOutsideTheModelChecker() {
        final VirtualClock clock = new VirtualClock();
        final HalfOpenLimiter limiter = oneShadowSlot(clock, new Grants());
        final ConnectAttempt a = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
        final ConnectAttempt b = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
        clock.advance(Duration.ofSeconds(1));
        b.established();
        a.established();
        clock.advance(Duration.ofSeconds(1));
        limiter.close();
        ModelChecked.warmUp("a shadow grant, a real exit and a close", () -> {
            final VirtualClock warmClock = new VirtualClock();
            final HalfOpenLimiter warm = oneShadowSlot(warmClock, new Grants());
            final ConnectAttempt held = warm.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
            final ConnectAttempt waiting = warm.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
            ModelChecked.inParallel(held::established, waiting::cancel, warm::close);
            warmClock.advance(Duration.ofMinutes(1));
        });
    }

    private static HalfOpenLimiter oneShadowSlot(final VirtualClock clock, final Grants grants) {
        return HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).shadow(true)
                .halfOpenTimeout(Duration.ofHours(1)).limitEvents(LimitEventMode.NEVER).listener(grants).build();
    }

    private static void timed(final String what, final Runnable test) {
        ModelChecked.check("shadow: " + what, INVOCATIONS, test);
    }

    /** Every shadow timer ran, nothing is held or waiting, and the shadow slot is single and free. */
    private static void assertShadowWorldEmptyAndSingle(final VirtualClock clock, final HalfOpenLimiter limiter,
            final Grants grants) {
        clock.advance(Duration.ofMinutes(1)); // runs the shadow exits that were armed
        final ShadowStats stats = limiter.shadowStats().orElseThrow();
        assertEquals(0, stats.halfOpen(), "shadow slots held after the race: " + stats);
        assertEquals(0, stats.queued(), "shadows waiting after the race: " + stats);
        assertEquals(stats.granted(), grants.count.get(), "every grant heard once");
        assertEquals(0, limiter.stats().halfOpen(), "real half-open");
        if (limiter.isClosed()) {
            return;
        }
        final int before = grants.count.get();
        final ConnectAttempt first = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
        final ConnectAttempt second = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
        assertEquals(before + 1, grants.count.get(), "the first fresh shadow goes at once, the second waits");
        assertEquals(1, limiter.shadowStats().orElseThrow().queued(), "the shadow slot was duplicated");
        assertTrue(second.established());
        assertTrue(first.established());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(0, limiter.shadowStats().orElseThrow().halfOpen());
    }

    @Test
    void aRealExitRacingTheGrantOfItsOwnWaitingShadowEndsTheShadowOnce() {
        timed("real exit vs its shadow's grant", () -> {
            final VirtualClock clock = new VirtualClock();
            final Grants grants = new Grants();
            final HalfOpenLimiter limiter = oneShadowSlot(clock, grants);
            final ConnectAttempt holder = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
            final ConnectAttempt waiter = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
            clock.advance(Duration.ofSeconds(1)); // the waiter's shadow would wait 1 s, its real attempt lasts 1 s

            ModelChecked.inParallel(holder::established, waiter::established);

            assertEquals(2, grants.count.get(), "the holder's release granted the waiting shadow");
            assertEquals(Duration.ofSeconds(1).toNanos(), grants.waitedNanos.get());
            assertShadowWorldEmptyAndSingle(clock, limiter, grants);
        });
    }

    @Test
    void closeRacingTheGrantOfAWaitingShadowLeavesNoShadowBehind() {
        timed("close vs shadow grant", () -> {
            final VirtualClock clock = new VirtualClock();
            final Grants grants = new Grants();
            final HalfOpenLimiter limiter = oneShadowSlot(clock, grants);
            final ConnectAttempt holder = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
            final ConnectAttempt waiter = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());

            ModelChecked.inParallel(holder::established, limiter::close);

            final int granted = grants.count.get();
            assertTrue(granted == 1 || granted == 2, "granted " + granted);
            assertTrue(waiter.established(), "the real attempt ends as usual after close");
            assertShadowWorldEmptyAndSingle(clock, limiter, grants);
        });
    }

    @Test
    void threeRealExitsHandingShadowSlotsOnAtOnceLoseNone() {
        timed("three real exits, two waiting shadows", () -> {
            final VirtualClock clock = new VirtualClock();
            final Grants grants = new Grants();
            final HalfOpenLimiter limiter = oneShadowSlot(clock, grants);
            final ConnectAttempt a = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
            final ConnectAttempt b = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
            final ConnectAttempt c = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());

            ModelChecked.inParallel(a::refused, b::established, c::cancel);

            clock.advance(Duration.ofMinutes(1));
            assertEquals(3, grants.count.get(), "each of the three shadows granted once");
            assertShadowWorldEmptyAndSingle(clock, limiter, grants);
        });
    }
}
