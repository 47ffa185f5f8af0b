package io.halfopen.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shared coarse timer's contract, in virtual time: a {@link TimerWheel} on a {@link VirtualClock} ticks as
 * the clock's tasks, so each test moves its timers with {@code advance} and reads exactly when they fired.
 */
class TimerWheelTest {

    private static final long MS = 1_000_000L;

    private final VirtualClock clock = new VirtualClock(1_000 * MS); // not zero: no reliance on an origin of 0
    private final TimerWheel wheel = TimerWheel.onClock(clock, Duration.ofMillis(10));

    /** A node that records when it expired, on the clock it runs on. */
    static final class Probe extends TimerNode {
        final Ticker ticker;
        final List<Long> expiredAt = new ArrayList<>();
        Runnable onExpire = () -> { };

        Probe(final Ticker ticker) {
            this.ticker = ticker;
        }

        @Override
        protected void expire() {
            expiredAt.add(ticker.nanoTime());
            onExpire.run();
        }

        boolean takeBack() {
            return disarm();
        }
    }

    @Test
    void aTimerFiresAtTheFirstTickAtOrAfterItsDeadlineNeverBefore() {
        final Probe probe = new Probe(clock);
        final long armedAt = clock.nanoTime();
        wheel.arm(probe, 25, TimeUnit.MILLISECONDS);
        clock.advance(24, TimeUnit.MILLISECONDS);
        assertEquals(List.of(), probe.expiredAt, "fired before its deadline");
        clock.advance(20, TimeUnit.MILLISECONDS);
        assertEquals(1, probe.expiredAt.size());
        final long late = probe.expiredAt.get(0) - (armedAt + 25 * MS);
        assertTrue(late >= 0 && late <= 10 * MS, "fired " + late + " ns after its deadline, precision 10 ms");
        assertFalse(probe.isArmed());
    }

    @Test
    void thePrecisionIsTheLongestATimerFiresLate() {
        for (final long precisionMs : new long[] {1, 10, 100}) {
            final VirtualClock own = new VirtualClock();
            final TimerWheel coarse = TimerWheel.onClock(own, Duration.ofMillis(precisionMs));
            assertEquals(Duration.ofMillis(precisionMs), coarse.precision());
            for (long delay = 0; delay < 3 * precisionMs * MS; delay += precisionMs * MS / 7 + 1) {
                final Probe probe = new Probe(own);
                final long deadline = own.nanoTime() + delay;
                coarse.arm(probe, delay, TimeUnit.NANOSECONDS);
                own.advance(delay + precisionMs * MS + 8, TimeUnit.NANOSECONDS);
                assertEquals(1, probe.expiredAt.size(), "delay " + delay + " ns, precision " + precisionMs + " ms");
                final long late = probe.expiredAt.get(0) - deadline;
                assertTrue(late >= 0 && late <= precisionMs * MS + 7,
                        "delay " + delay + " ns fired " + late + " ns late with precision " + precisionMs + " ms");
            }
        }
    }

    @Test
    void aDisarmedTimerNeverFiresAndOnlyTheFirstDisarmTakesItBack() {
        final Probe probe = new Probe(clock);
        wheel.arm(probe, 50, TimeUnit.MILLISECONDS);
        assertTrue(probe.isArmed());
        assertTrue(probe.takeBack());
        assertFalse(probe.takeBack(), "a second disarm took back nothing");
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(List.of(), probe.expiredAt);
    }

    @Test
    void disarmingAnExpiredTimerReturnsFalse() {
        final Probe probe = new Probe(clock);
        wheel.arm(probe, 5, TimeUnit.MILLISECONDS);
        clock.advance(20, TimeUnit.MILLISECONDS);
        assertEquals(1, probe.expiredAt.size());
        assertFalse(probe.takeBack());
    }

    @Test
    void aTimerDisarmedAfterTheWheelPlacedItLeavesTheWheelWithinOneTick() {
        final Probe probe = new Probe(clock);
        wheel.arm(probe, 21, TimeUnit.SECONDS);
        clock.advance(10, TimeUnit.MILLISECONDS); // the wheel drains its inbox: the node is in a bucket now
        assertEquals(1, wheel.placedNodes());
        assertTrue(probe.takeBack());
        clock.advance(10, TimeUnit.MILLISECONDS);
        assertEquals(0, wheel.placedNodes(), "a disarmed node stays referenced until its deadline");
        assertTrue(wheel.isIdle());
        assertEquals(0, clock.pendingTasks(), "an empty wheel keeps ticking");
    }

    @Test
    void armingAnArmedNodeFailsAndNamesIt() {
        final Probe probe = new Probe(clock);
        wheel.arm(probe, 1, TimeUnit.SECONDS);
        final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> wheel.arm(probe, 2, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("armed already"), e.getMessage());
        clock.advance(3, TimeUnit.SECONDS);
        assertEquals(1, probe.expiredAt.size(), "the failed arm changed the first arming");
    }

    @Test
    void aNodeStaysBoundToTheFirstWheelItWasArmedOn() {
        final Probe probe = new Probe(clock);
        wheel.arm(probe, 1, TimeUnit.MILLISECONDS);
        clock.advance(20, TimeUnit.MILLISECONDS);
        final TimerWheel other = TimerWheel.onClock(clock, Duration.ofMillis(10));
        final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> other.arm(probe, 1, TimeUnit.MILLISECONDS));
        assertTrue(e.getMessage().contains("bound to"), e.getMessage());
    }

    @Test
    void aNodeDisarmedAndArmedAgainBeforeTheWheelLooksFiresOnceForTheNewDeadline() {
        final Probe probe = new Probe(clock);
        final long start = clock.nanoTime();
        wheel.arm(probe, 100, TimeUnit.MILLISECONDS);
        clock.advance(10, TimeUnit.MILLISECONDS); // placed for 100 ms
        assertTrue(probe.takeBack());
        wheel.arm(probe, 30, TimeUnit.MILLISECONDS); // earlier than the old bucket
        clock.advance(500, TimeUnit.MILLISECONDS);
        assertEquals(1, probe.expiredAt.size(), "fired " + probe.expiredAt);
        final long firedAfter = probe.expiredAt.get(0) - start;
        assertTrue(firedAfter >= 40 * MS && firedAfter <= 50 * MS, "fired after " + firedAfter + " ns");
    }

    @Test
    void aNodeArmedAgainLaterThanItsOldBucketIsNotFiredFromIt() {
        final Probe probe = new Probe(clock);
        final long start = clock.nanoTime();
        wheel.arm(probe, 30, TimeUnit.MILLISECONDS);
        clock.advance(10, TimeUnit.MILLISECONDS); // placed for 30 ms
        assertTrue(probe.takeBack());
        wheel.arm(probe, 200, TimeUnit.MILLISECONDS);
        clock.advance(100, TimeUnit.MILLISECONDS);
        assertEquals(List.of(), probe.expiredAt, "fired early, from the bucket of its first arming");
        clock.advance(200, TimeUnit.MILLISECONDS);
        assertEquals(1, probe.expiredAt.size());
        assertTrue(probe.expiredAt.get(0) - start >= 210 * MS);
    }

    @Test
    void aNodeMayArmItselfAgainFromItsExpiry() {
        final Probe probe = new Probe(clock);
        probe.onExpire = () -> {
            if (probe.expiredAt.size() < 3) {
                wheel.arm(probe, 100, TimeUnit.MILLISECONDS);
            }
        };
        wheel.arm(probe, 100, TimeUnit.MILLISECONDS);
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(3, probe.expiredAt.size(), "expired at " + probe.expiredAt);
        for (int i = 1; i < 3; i++) {
            final long gap = probe.expiredAt.get(i) - probe.expiredAt.get(i - 1);
            assertTrue(gap >= 100 * MS && gap <= 110 * MS, "gap " + gap);
        }
    }

    @Test
    void timersBeyondOneTurnOfTheWheelWaitForTheirTurn() {
        final long[] delaysSeconds = {15, 16, 17, 33, 60, 300};
        final List<Probe> probes = new ArrayList<>();
        final long start = clock.nanoTime();
        for (final long delay : delaysSeconds) {
            final Probe probe = new Probe(clock);
            wheel.arm(probe, delay, TimeUnit.SECONDS);
            probes.add(probe);
        }
        clock.advance(301, TimeUnit.SECONDS);
        for (int i = 0; i < delaysSeconds.length; i++) {
            final Probe probe = probes.get(i);
            assertEquals(1, probe.expiredAt.size(), delaysSeconds[i] + " s");
            final long late = probe.expiredAt.get(0) - start - TimeUnit.SECONDS.toNanos(delaysSeconds[i]);
            assertTrue(late >= 0 && late <= 10 * MS, delaysSeconds[i] + " s fired " + late + " ns late");
        }
    }

    @Test
    void aDueTimerFiresAtTheNextTickEvenWithZeroDelay() {
        final Probe probe = new Probe(clock);
        wheel.arm(probe, 0, TimeUnit.NANOSECONDS);
        clock.runDueTasks();
        assertEquals(1, probe.expiredAt.size());
    }

    @Test
    void aTimerNeverFiresBeforeItsDeadlineEvenWithTicksFinerThanTheEightNanosecondRounding() {
        final VirtualClock own = new VirtualClock(3); // deadlines and tick starts not multiples of 8
        final TimerWheel fine = TimerWheel.onClock(own, Duration.ofNanos(1));
        for (long delay = 0; delay < 24; delay++) {
            final Probe probe = new Probe(own);
            final long deadline = own.nanoTime() + delay;
            fine.arm(probe, delay, TimeUnit.NANOSECONDS);
            own.advance(delay + 16, TimeUnit.NANOSECONDS);
            assertEquals(1, probe.expiredAt.size(), "delay " + delay + " ns");
            final long late = probe.expiredAt.get(0) - deadline;
            assertTrue(late >= 0 && late <= 1 + 7, "delay " + delay + " ns fired " + late + " ns late, precision 1 ns");
        }
    }

    @Test
    void aTimerDueAtOnceFiresOnceAndLeavesItsNodeFreeToArmAgain() {
        final Probe probe = new Probe(clock);
        for (int arming = 1; arming <= 2; arming++) {
            wheel.arm(probe, 0, TimeUnit.NANOSECONDS);
            clock.runDueTasks();
            assertEquals(arming, probe.expiredAt.size());
            assertFalse(probe.isArmed(), "still armed after it expired");
        }
        assertEquals(0, wheel.placedNodes());
        assertTrue(wheel.isIdle());
    }

    @Test
    void aNodeTakenBackFromItsBucketAndArmedDueAtOnceFiresOnceAndLeavesTheBucket() {
        final Probe probe = new Probe(clock);
        wheel.arm(probe, 21, TimeUnit.SECONDS);
        clock.advance(10, TimeUnit.MILLISECONDS); // placed in the bucket of its 21 s deadline
        assertEquals(1, wheel.placedNodes());
        assertTrue(probe.takeBack());
        wheel.arm(probe, 0, TimeUnit.NANOSECONDS); // before the wheel has looked again
        clock.runDueTasks();
        assertEquals(1, probe.expiredAt.size());
        assertEquals(0, wheel.placedNodes(), "the node that fired is still in the bucket of its first arming");
        assertTrue(wheel.isIdle());
        assertEquals(0, clock.pendingTasks(), "the wheel still ticks for a node it no longer holds");
    }

    @Test
    void aVirtualWheelMayBeArmedFromAnotherThreadBetweenTicks() throws Exception {
        final Probe early = new Probe(clock);
        wheel.arm(early, 10, TimeUnit.MILLISECONDS);
        clock.advance(20, TimeUnit.MILLISECONDS); // the wheel ticked (its driver took and released its lock)
        final Probe fromElsewhere = new Probe(clock);
        final java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            other.submit(() -> wheel.arm(fromElsewhere, 10, TimeUnit.MILLISECONDS)).get(10, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
        clock.advance(20, TimeUnit.MILLISECONDS);
        assertEquals(1, early.expiredAt.size());
        assertEquals(1, fromElsewhere.expiredAt.size());
    }

    @Test
    void aLongGapIsCaughtUpInOneTurnAndFiresEverythingDue() {
        final TimerWheel manual = TimerWheel.manual(clock, Duration.ofMillis(10), () -> { });
        final Probe soon = new Probe(clock);
        final Probe later = new Probe(clock);
        final Probe farLater = new Probe(clock);
        manual.arm(soon, 1, TimeUnit.SECONDS);
        manual.arm(later, 40, TimeUnit.SECONDS);
        manual.arm(farLater, 2, TimeUnit.HOURS);
        clock.advance(Duration.ofMinutes(30)); // the wheel's thread slept for many turns
        manual.advanceTo(clock.nanoTime());
        assertEquals(1, soon.expiredAt.size());
        assertEquals(1, later.expiredAt.size());
        assertEquals(List.of(), farLater.expiredAt);
        clock.advance(Duration.ofMinutes(91));
        manual.advanceTo(clock.nanoTime());
        assertEquals(1, farLater.expiredAt.size());
    }

    @Test
    void anArmWakesAnIdleWheelOnceAndABusyWheelNever() {
        final int[] wakes = {0};
        final TimerWheel manual = TimerWheel.manual(clock, Duration.ofMillis(10), () -> wakes[0]++);
        assertTrue(manual.isIdle());
        final Probe first = new Probe(clock);
        manual.arm(first, 1, TimeUnit.SECONDS);
        assertEquals(1, wakes[0], "the first arm on an idle wheel wakes it");
        assertFalse(manual.isIdle(), "a woken wheel is not idle");
        final long next = manual.advanceTo(clock.nanoTime());
        assertTrue(next > clock.nanoTime() && next != Long.MAX_VALUE, "a wheel with a timer ticks again");
        for (int i = 0; i < 100; i++) {
            manual.arm(new Probe(clock), 2, TimeUnit.SECONDS);
        }
        assertEquals(1, wakes[0], "arms on a busy wheel woke it");
        clock.advance(3, TimeUnit.SECONDS);
        assertEquals(Long.MAX_VALUE, manual.advanceTo(clock.nanoTime()), "an empty wheel goes idle");
        assertTrue(manual.isIdle());
        manual.arm(new Probe(clock), 1, TimeUnit.SECONDS);
        assertEquals(2, wakes[0]);
    }

    @Test
    void aTimerThatThrowsDoesNotStopTheOthers() {
        final Probe throwing = new Probe(clock);
        throwing.onExpire = () -> {
            throw new IllegalStateException("a broken timer (expected in this test's log)");
        };
        final Probe next = new Probe(clock);
        wheel.arm(throwing, 10, TimeUnit.MILLISECONDS);
        wheel.arm(next, 10, TimeUnit.MILLISECONDS);
        clock.advance(30, TimeUnit.MILLISECONDS);
        assertEquals(1, throwing.expiredAt.size());
        assertEquals(1, next.expiredAt.size());
    }

    @Test
    void scheduledTasksRunOnceAndCancelledOnesNever() {
        final int[] runs = {0, 0};
        wheel.schedule(() -> runs[0]++, 10, TimeUnit.MILLISECONDS);
        final Cancellable cancelled = wheel.schedule(() -> runs[1]++, 10, TimeUnit.MILLISECONDS);
        cancelled.cancel();
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(1, runs[0]);
        assertEquals(0, runs[1]);
    }

    @Test
    void aNodeOnASchedulerWithoutNodesIsArmedThroughOneTaskPerArming() {
        final Probe probe = new Probe(clock);
        clock.arm(probe, 10, TimeUnit.MILLISECONDS); // VirtualClock holds tasks, not nodes
        assertTrue(probe.isArmed());
        clock.advance(10, TimeUnit.MILLISECONDS);
        assertEquals(List.of(clock.nanoTime()), probe.expiredAt, "exact on a VirtualClock");
        clock.arm(probe, 10, TimeUnit.MILLISECONDS);
        assertTrue(probe.takeBack());
        assertEquals(0, clock.pendingTasks(), "the disarm cancelled the arming's task");
        clock.arm(probe, 10, TimeUnit.MILLISECONDS);
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(2, probe.expiredAt.size());
    }

    @Test
    void aStaleTaskOfAnEarlierArmingNeverClaimsALaterOne() {
        final List<Runnable> tasks = new ArrayList<>();
        final Scheduler keepsTasks = (task, delay, unit) -> {
            tasks.add(task);
            return () -> { }; // a handle that cannot cancel: the task stays
        };
        final Probe probe = new Probe(clock);
        keepsTasks.arm(probe, 1, TimeUnit.SECONDS);
        assertTrue(probe.takeBack());
        keepsTasks.arm(probe, 1, TimeUnit.SECONDS);
        tasks.get(0).run(); // the first arming's task, which its disarm could not cancel
        assertEquals(List.of(), probe.expiredAt, "a stale task expired the second arming");
        assertTrue(probe.isArmed());
        tasks.get(1).run();
        assertEquals(1, probe.expiredAt.size());
    }

    @Test
    void aNodeBoundToAWheelIsRefusedByASchedulerWithoutNodesAndTheWheelKeepsItsContract() {
        final Probe probe = new Probe(clock);
        wheel.arm(probe, 30, TimeUnit.MILLISECONDS);
        clock.advance(10, TimeUnit.MILLISECONDS); // the node is in the bucket of its deadline now
        assertTrue(probe.takeBack());
        final VirtualClock other = new VirtualClock();
        final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> other.arm(probe, 1, TimeUnit.MILLISECONDS));
        assertTrue(e.getMessage().contains("bound to"), e.getMessage());
        assertFalse(probe.isArmed(), "the refused arming left the node armed");
        assertEquals(0, other.pendingTasks());
        wheel.arm(probe, 10, TimeUnit.MILLISECONDS); // still good on its wheel
        clock.advance(30, TimeUnit.MILLISECONDS);
        assertEquals(1, probe.expiredAt.size());
        assertEquals(0, wheel.placedNodes());
    }

    @Test
    void aNodeArmedOnASchedulerWithoutNodesMayThenBeArmedOnAWheel() {
        final Probe probe = new Probe(clock);
        final VirtualClock other = new VirtualClock();
        other.arm(probe, 1, TimeUnit.MILLISECONDS);
        assertThrows(IllegalStateException.class, () -> wheel.arm(probe, 1, TimeUnit.MILLISECONDS),
                "armed twice at once");
        other.advance(1, TimeUnit.MILLISECONDS);
        assertEquals(1, probe.expiredAt.size());
        wheel.arm(probe, 10, TimeUnit.MILLISECONDS);
        clock.advance(30, TimeUnit.MILLISECONDS);
        assertEquals(2, probe.expiredAt.size());
        assertTrue(wheel.isIdle());
    }

    @Test
    void badPrecisionsFailAndNameTheValue() {
        assertEquals(10, TimerWheel.precisionMillis(null));
        assertEquals(25, TimerWheel.precisionMillis(" 25 "));
        assertEquals(1, TimerWheel.precisionMillis("1"));
        assertEquals(16_000, TimerWheel.precisionMillis("16000"), "16 s, one turn of the wheel, is the coarsest");
        assertEquals(Duration.ofSeconds(16), TimerWheel.onClock(clock, Duration.ofSeconds(16)).precision());
        for (final String bad : new String[] {"0", "-5", "ten", "1.5", "17000"}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TimerWheel.precisionMillis(bad));
            assertTrue(e.getMessage().contains(TimerWheel.PRECISION_PROPERTY)
                    && e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
        final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> TimerWheel.onClock(clock, Duration.ZERO));
        assertTrue(zero.getMessage().contains("PT0S"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> wheel.arm(new Probe(clock), -1, TimeUnit.SECONDS));
    }

    @Test
    void aBadPrecisionPropertyFailsEveryUseOfTheSharedWheelWithAnIllegalArgumentNamingTheValue() throws Exception {
        // The property is read once, when the shared wheel is first used: a class loader of its own gives this test
        // a first use (this JVM's own shared wheel is running already, or is left to start on the default).
        final String before = System.getProperty(TimerWheel.PRECISION_PROPERTY);
        System.setProperty(TimerWheel.PRECISION_PROPERTY, "ten");
        try (URLClassLoader fresh = new URLClassLoader(new URL[] {codeSource(TimerWheel.class),
                codeSource(org.slf4j.LoggerFactory.class)}, null)) { // not the platform loader: it delegates
            // the packages of the application's named modules (this one, on surefire's module path) to their loader
            final Method shared = fresh.loadClass(TimerWheel.class.getName()).getMethod("shared");
            for (int use = 1; use <= 2; use++) {
                final Throwable thrown = assertThrows(InvocationTargetException.class, () -> shared.invoke(null))
                        .getCause();
                assertTrue(thrown instanceof IllegalArgumentException && thrown.getMessage().contains("\"ten\""),
                        "use " + use + " of the shared wheel threw " + thrown);
            }
        } finally {
            if (before == null) {
                System.clearProperty(TimerWheel.PRECISION_PROPERTY);
            } else {
                System.setProperty(TimerWheel.PRECISION_PROPERTY, before);
            }
        }
    }

    private static URL codeSource(final Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    void theSystemSchedulerIsTheSharedWheel() {
        assertTrue(Scheduler.system() == TimerWheel.shared());
        assertEquals(TimerWheel.DEFAULT_PRECISION, TimerWheel.shared().precision());
    }
}
