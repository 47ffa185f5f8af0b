package io.halfopen.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimitEventMode;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.time.VirtualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Model-checked races of {@link BlockingConnect} with the real limiter (Lincheck explores the interleavings of
 * real threads): the connecting thread waiting for a slot against a close from another thread and the release
 * that grants it; the real connect against the half-open timer that closes its socket. After every race the
 * attempt ended exactly once, with the outcome the race decided, and the limiter holds nothing.
 *
 * <p>On virtual time (no real clock in the model checker), event 4226 off (no SLF4J or JFR in the model).
 */
class BlockingConnectLincheckTest {

    private static final int INVOCATIONS = 20;
    private static final Duration HALF_OPEN_TIMEOUT = Duration.ofSeconds(1);
    private static final InetSocketAddress REMOTE;

    static {
        try {
            REMOTE = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 25);
        } catch (final UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static HalfOpenLimiter oneSlot(final VirtualClock clock) {
        return HalfOpenLimiter.builder().clock(clock).maxHalfOpen(1).halfOpenTimeout(HALF_OPEN_TIMEOUT)
                .limitEvents(LimitEventMode.NEVER).build();
    }

    @BeforeAll
    static void loadClassesOutsideTheModelChecker() throws Exception {
        final VirtualClock clock = new VirtualClock();
        final HalfOpenLimiter limiter = oneSlot(clock);
        new BlockingConnect(limiter, REMOTE, () -> { }).run(0, millis -> { });
        final BlockingConnect closed = new BlockingConnect(limiter, REMOTE, () -> { });
        closed.socketClosed();
        try {
            closed.run(0, millis -> { });
        } catch (final SocketException expected) {
            // loaded
        }
        new SocketTimeoutException().initCause(new io.halfopen.limiter.HalfOpenTimeoutException(HALF_OPEN_TIMEOUT,
                REMOTE, 1, 0, Duration.ofMillis(1500))); // its message formats with Locale.ROOT: load that here
        clock.advance(HALF_OPEN_TIMEOUT);
        warmUp();
    }

    /**
     * Runs the close race once, untimed and unjudged, before the checks. Lincheck 3.7 instruments the classes a
     * model-checked run uses inside its first invocation, and gives each invocation 30 s of wall-clock time: on a
     * loaded machine the first invocation in a JVM exceeds that and is reported as "Concurrent test has hung"
     * although no interleaving hangs (limiter-core's AttemptRacesLincheckTest, load 16 on two cores: 74-77 s). It keeps the instrumented bytecode for the JVM's life, so
     * after this run the checks' first invocations are as fast as the others. (limiter-core's tests do the same
     * through their ModelChecked helper; no test-jar crosses modules.)
     */
    private static void warmUp() {
        System.out.printf("[lincheck] warm-up on a close racing a grant, %d invocation%n", 1);
        final long start = System.nanoTime();
        String verdict = "done";
        try {
            Lincheck.runConcurrentTest(1, BlockingConnectLincheckTest::closeRacingAGrant);
        } catch (final LincheckAssertionError | RuntimeException e) { // hung, or Lincheck's failure after it
            verdict = "not judged: " + e.getClass().getSimpleName() + " "
                    + String.valueOf(e.getMessage()).strip().lines().findFirst().orElse("");
        }
        System.out.printf("[lincheck] warm-up: %d ms, %s%n", (System.nanoTime() - start) / 1_000_000, verdict);
    }

    private static void timed(final String what, final Runnable race) {
        final long start = System.nanoTime();
        try {
            Lincheck.runConcurrentTest(INVOCATIONS, race);
        } finally {
            System.out.printf("[lincheck] %s, %d invocations: %d ms%n", what, INVOCATIONS,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static void runInParallel(final Runnable... actions) {
        final Thread[] threads = new Thread[actions.length];
        for (int i = 0; i < actions.length; i++) {
            threads[i] = new Thread(actions[i]);
            threads[i].start();
        }
        for (final Thread thread : threads) {
            try {
                thread.join();
            } catch (final InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static Runnable connecting(final BlockingConnect connect, final AtomicReference<Object> outcome) {
        return () -> {
            try {
                connect.run(0, millis -> { });
                outcome.set("connected");
            } catch (final IOException e) {
                outcome.set(e);
            }
        };
    }

    @Test
    void aCloseRacingTheGrantOfAWaitingConnectEndsItOnceAndLeavesNothingHeld() {
        timed("close vs grant of a waiting connect", BlockingConnectLincheckTest::closeRacingAGrant);
    }

    /** The close race: a close from another thread racing the release that grants the waiting connect. */
    private static void closeRacingAGrant() {
        final HalfOpenLimiter limiter = oneSlot(new VirtualClock());
        final ConnectAttempt holder = limiter.newAttempt(REMOTE, new NoOpListener());
        final AtomicInteger closes = new AtomicInteger();
        final BlockingConnect connect = new BlockingConnect(limiter, REMOTE, closes::incrementAndGet);
        final AtomicReference<Object> outcome = new AtomicReference<>();

        final AtomicInteger queuedWhenCloseReturned = new AtomicInteger(-1);
        runInParallel(connecting(connect, outcome), () -> {
            connect.socketClosed();
            queuedWhenCloseReturned.set(limiter.stats().queued());
        }, holder::established);

        final LimiterStats stats = limiter.stats();
        final Object ended = outcome.get();
        if ("connected".equals(ended)) {
            assertEquals(2, stats.established(), "the holder and the connect: " + stats);
        } else {
            assertTrue(ended instanceof SocketException, "closed: " + ended);
            assertEquals(1, stats.established(), stats.toString());
            // closed before it asked for a slot (no attempt), or while it waited or held one (cancelled)
            assertEquals(stats.granted() + stats.throttled() > 1 ? 1 : 0, stats.cancelled(), stats.toString());
        }
        assertEquals(0, stats.halfOpen(), "a slot stayed held: " + stats);
        assertEquals(0, stats.queued(), "an attempt stayed queued: " + stats);
        assertEquals(0, queuedWhenCloseReturned.get(), "close() returned with the attempt still queued");
    }

    @Test
    void theHalfOpenTimerRacingTheRealConnectReportsOneOutcomeAndClosesAnAbortedSocket() {
        timed("half-open timer vs the real connect", () -> {
            final VirtualClock clock = new VirtualClock();
            final HalfOpenLimiter limiter = oneSlot(clock);
            final AtomicInteger closes = new AtomicInteger();
            final BlockingConnect connect = new BlockingConnect(limiter, REMOTE, closes::incrementAndGet);
            final AtomicReference<Object> outcome = new AtomicReference<>();

            runInParallel(connecting(connect, outcome), () -> clock.advance(HALF_OPEN_TIMEOUT));

            final LimiterStats stats = limiter.stats();
            final Object ended = outcome.get();
            if ("connected".equals(ended)) {
                assertEquals(1, stats.established(), stats.toString());
                assertEquals(0, closes.get(), "an established socket was closed by the timer");
            } else if (ended != null) {
                assertTrue(ended instanceof SocketTimeoutException, "aborted: " + ended);
                assertEquals(1, stats.timedOut(), stats.toString());
                assertTrue(closes.get() >= 1, "an aborted socket must be closed");
            }
            // the timer may also have fired before the connect asked for a slot: then the connect simply went
            assertEquals(1, stats.established() + stats.timedOut(), "exactly one outcome: " + stats);
            assertEquals(0, stats.halfOpen(), "a slot stayed held: " + stats);
        });
    }

    /** A listener that does nothing: the holder's slot is given back by the test. */
    private static final class NoOpListener implements io.halfopen.limiter.AttemptListener {
        @Override
        public void granted(final ConnectAttempt attempt) {
        }

        @Override
        public void failed(final ConnectAttempt attempt, final io.halfopen.limiter.HalfOpenLimitException cause) {
        }

        @Override
        public void abort(final ConnectAttempt attempt, final io.halfopen.limiter.HalfOpenTimeoutException cause) {
        }
    }
}
