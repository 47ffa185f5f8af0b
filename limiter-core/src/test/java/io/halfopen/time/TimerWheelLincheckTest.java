package io.halfopen.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.fixture.ModelChecked;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
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
 * the design names; they found no known-bad copy of the protocol within a few thousand invocations (tried while
 * writing them), so the evidence that the checker explores the steps that matter is in
 * {@link TimerWheelLinearizabilityTest}, whose model checking catches both known-bad copies.
 *
 * <p>As with the limiter's own Lincheck tests, JDK 17 is the reference run; on JDK 25 Lincheck 3.7 switches
 * threads at atomics and VarHandles (every step of this protocol is one), not at plain field accesses.
 */
class TimerWheelLincheckTest {

    private static final int INVOCATIONS = 200;

    // ------------------------------------------------------------------------------ the scenarios

    /** One due arming; a thread disarms it while the wheel ticks: exactly one of the two ends it. */
    private static void disarmRacesTheExpiry(final Supplier<TimerUnderTest> make) {
        final TimerUnderTest timer = make.get();
        final TimerUnderTest.Node node = timer.newNode(() -> { });
        timer.arm(node, true);
        final boolean[] disarmed = new boolean[1];
        ModelChecked.inParallel(() -> disarmed[0] = timer.disarm(node), timer::tick);
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
        ModelChecked.inParallel(() -> {
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
        ModelChecked.inParallel(() -> {
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
        ModelChecked.inParallel(() -> timer.arm(a, true), () -> timer.arm(b, true), timer::tick);
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
        ModelChecked.inParallel(timer::tick, () -> disarmed[0] = timer.disarm(node[0]));
        timer.tick();
        final int armings = reArmed.get() ? 2 : 1;
        assertEquals(armings, node[0].expiries() + (disarmed[0] ? 1 : 0),
                armings + " armings: expiries " + node[0].expiries() + ", disarm took one back: " + disarmed[0]);
        assertEquals(0, timer.held(), "nodes the timer still holds");
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

    // ------------------------------------------------------------------------------ helpers

    private static void check(final String what, final Runnable scenario) {
        ModelChecked.check("timer wheel, " + what, INVOCATIONS, scenario);
    }
}
