package io.halfopen.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * Machine-checked evidence for the timer wheel's arming protocol: Lincheck's general-purpose model checker
 * ({@code runConcurrentTest}) runs each race between arming threads, disarming threads and the wheel's own thread
 * through its interleavings and checks, after every one, that <b>each arming ended exactly once</b> (its node
 * expired once, or a disarm returned {@code true}, never both, never neither) and that the wheel holds nothing it
 * should have let go.
 *
 * <p>The races are run on the real {@link TimerWheel}, ticked by hand on a frozen clock (a node armed with delay 0
 * is due at the next tick, one armed for an hour never is). These fixed races on real threads are the scenarios
 * the design names, but <b>on JDK 17 the first five are not evidence</b>: checked by hand (2026-12-01), none of
 * them catches either known-bad copy of the protocol ({@link SimpleInboxTimer.PlainFlagClear},
 * {@link SimpleInboxTimer.CheckThenClaim}: 10 of 10 runs of 200 invocations passed), nor the real wheel with a
 * disarm that takes a lost compare-and-set for a won one (an arming both expired and taken back) or a push that
 * does (a lost timer); {@link TimerWheelLinearizabilityTest} and {@link TimerWheelStressTest} catch all four. They
 * appear to switch threads at plain volatile fields but not at the VarHandle and atomic operations the protocol is
 * made of. The two-wheel scenario races on such a field (the node's binding) and does catch its bug: it failed
 * before the binding was a compare-and-set.
 *
 * <p>As with the limiter's own Lincheck tests, JDK 17 is the reference run; on JDK 25 Lincheck 3.7 switches
 * threads at atomics and VarHandles (every step of this protocol is one), not at plain field accesses.
 */
class TimerWheelLincheckTest {

    private static final int INVOCATIONS = 200;
    private static final Ticker FROZEN = () -> 1_000_000_000L;

    // ------------------------------------------------------------------------------ the scenarios

    /** One due arming; a thread disarms it while the wheel ticks: exactly one of the two ends it. */
    private static void disarmRacesTheExpiry(final Supplier<TimerUnderTest> make) {
        final TimerUnderTest timer = make.get();
        final TimerUnderTest.Node node = timer.newNode(() -> { });
        timer.arm(node, true);
        final boolean[] disarmed = new boolean[1];
        runInParallel(() -> disarmed[0] = timer.disarm(node), timer::tick);
        timer.tick();
        assertEquals(1, node.expiries() + (disarmed[0] ? 1 : 0),
                "one arming: expiries " + node.expiries() + ", disarm took it back: " + disarmed[0]);
        assertEquals(0, timer.held(), "nodes the timer still holds");
    }

    /** As above, with the arm itself racing the wheel's drain too. */
    private static void armAndDisarmRaceTheExpiry(final Supplier<TimerUnderTest> make) {
        final TimerUnderTest timer = make.get();
        final TimerUnderTest.Node node = timer.newNode(() -> { });
        final boolean[] disarmed = new boolean[1];
        runInParallel(() -> {
            timer.arm(node, true);
            disarmed[0] = timer.disarm(node);
        }, timer::tick);
        timer.tick();
        assertEquals(1, node.expiries() + (disarmed[0] ? 1 : 0),
                "one arming: expiries " + node.expiries() + ", disarm took it back: " + disarmed[0]);
        assertEquals(0, timer.held(), "nodes the timer still holds");
    }

    /**
     * A node armed far ahead is disarmed and armed again due at once, while the wheel ticks twice: the first
     * arming is taken back (it was never due), the second expires exactly once, never lost.
     */
    private static void reArmRacesTheWheel(final Supplier<TimerUnderTest> make) {
        final TimerUnderTest timer = make.get();
        final TimerUnderTest.Node node = timer.newNode(() -> { });
        timer.arm(node, false);
        final boolean[] disarmed = new boolean[1];
        runInParallel(() -> {
            disarmed[0] = timer.disarm(node);
            timer.arm(node, true);
        }, () -> {
            timer.tick();
            timer.tick();
        });
        timer.tick();
        assertTrue(disarmed[0], "the first arming, never due, was not taken back");
        assertEquals(1, node.expiries(), "expiries of the second arming (a lost timer if 0)");
        assertEquals(0, timer.held(), "nodes the timer still holds");
    }

    /** Two threads arm two nodes while the wheel drains: both pushes land, both expire once. */
    private static void concurrentPushes(final Supplier<TimerUnderTest> make) {
        final TimerUnderTest timer = make.get();
        final TimerUnderTest.Node a = timer.newNode(() -> { });
        final TimerUnderTest.Node b = timer.newNode(() -> { });
        runInParallel(() -> timer.arm(a, true), () -> timer.arm(b, true), timer::tick);
        timer.tick();
        assertEquals(1, a.expiries(), "node a");
        assertEquals(1, b.expiries(), "node b");
    }

    /**
     * A node that arms itself again from its expiry (as a session's idle check does), while another thread
     * disarms it: every arming ends once, the re-arming included.
     */
    private static void selfReArmRacesADisarm(final Supplier<TimerUnderTest> make) {
        final TimerUnderTest timer = make.get();
        final AtomicBoolean reArmed = new AtomicBoolean();
        final TimerUnderTest.Node[] node = new TimerUnderTest.Node[1];
        node[0] = timer.newNode(() -> {
            if (reArmed.compareAndSet(false, true)) {
                timer.arm(node[0], true);
            }
        });
        timer.arm(node[0], true);
        final boolean[] disarmed = new boolean[1];
        runInParallel(timer::tick, () -> disarmed[0] = timer.disarm(node[0]));
        timer.tick();
        final int armings = reArmed.get() ? 2 : 1;
        assertEquals(armings, node[0].expiries() + (disarmed[0] ? 1 : 0),
                armings + " armings: expiries " + node[0].expiries() + ", disarm took one back: " + disarmed[0]);
        assertEquals(0, timer.held(), "nodes the timer still holds");
    }

    /**
     * Two threads arm one fresh node on two different wheels at once (a misuse the contract refuses): exactly one
     * arming is accepted, the node is bound to that wheel, and a later disarm reaches the wheel that holds it, so
     * that neither wheel's lists nor its count of placed nodes is touched by the other.
     */
    private static void armOnTwoWheelsAtOnce(final Deque<TimerWheel> freshWheels) {
        final TimerWheel first = freshWheels.pop();
        final TimerWheel second = freshWheels.pop();
        final TimerUnderTest.RealNode node = new TimerUnderTest.RealNode(() -> { });
        final boolean[] accepted = new boolean[2];
        runInParallel(() -> accepted[0] = tryArm(first, node), () -> accepted[1] = tryArm(second, node));
        assertTrue(accepted[0] ^ accepted[1], "armings accepted: " + accepted[0] + ", " + accepted[1]);
        final TimerWheel holder = accepted[0] ? first : second;
        final TimerWheel other = accepted[0] ? second : first;
        holder.advanceTo(FROZEN.nanoTime());
        assertEquals(1, holder.placedNodes(), "the accepting wheel placed the node");
        assertTrue(node.takeBack());
        holder.advanceTo(FROZEN.nanoTime());
        other.advanceTo(FROZEN.nanoTime());
        assertEquals(0, holder.placedNodes(), "the disarm never reached the wheel that holds the node");
        assertEquals(0, other.placedNodes(), "the other wheel counts a node it never held");
    }

    private static boolean tryArm(final TimerWheel wheel, final TimerNode node) {
        try {
            wheel.arm(node, 1, TimeUnit.HOURS);
            return true;
        } catch (final IllegalStateException refused) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------ the real wheel

    @Test
    void aDisarmRacingTheExpiryEndsTheArmingExactlyOnce() {
        check("disarm vs expiry", () -> disarmRacesTheExpiry(TimerUnderTest::realWheel));
    }

    @Test
    void anArmAndADisarmRacingTheDrainEndTheArmingExactlyOnce() {
        check("arm and disarm vs expiry", () -> armAndDisarmRaceTheExpiry(TimerUnderTest::realWheel));
    }

    @Test
    void aNodeDisarmedAndArmedAgainWhileTheWheelTicksIsNeitherLostNorFiredTwice() {
        check("disarm and re-arm vs two ticks", () -> reArmRacesTheWheel(TimerUnderTest::realWheel));
    }

    @Test
    void armsFromTwoThreadsWhileTheWheelDrainsAllExpire() {
        check("two pushes vs a drain", () -> concurrentPushes(TimerUnderTest::realWheel));
    }

    @Test
    void aNodeArmingItselfFromItsExpiryWhileAnotherThreadDisarmsEndsEachArmingOnce() {
        check("self re-arm vs disarm", () -> selfReArmRacesADisarm(TimerUnderTest::realWheel));
    }

    @Test
    void aNodeArmedOnTwoWheelsAtOnceIsAcceptedByOneAndDisarmedOnThatOne() {
        // Two fresh wheels per invocation, made before the run: Lincheck 3.7 reports the constructor's bucket loop,
        // run twice inside one invocation, as a livelock. 64 buckets each (a 1 s tick), so they cost little.
        final Deque<TimerWheel> freshWheels = new ArrayDeque<>();
        for (int i = 0; i < 4 * INVOCATIONS; i++) {
            freshWheels.push(TimerWheel.manual(FROZEN, Duration.ofSeconds(1), () -> { }));
        }
        check("arm on two wheels at once", () -> armOnTwoWheelsAtOnce(freshWheels));
    }

    // ------------------------------------------------------------------------------ helpers

    private static void check(final String what, final Runnable scenario) {
        final int invocations = INVOCATIONS;
        final long start = System.nanoTime();
        try {
            Lincheck.runConcurrentTest(invocations, scenario);
        } finally {
            System.out.printf("[lincheck] timer wheel, %s, %d invocations: %d ms%n", what, invocations,
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
}
