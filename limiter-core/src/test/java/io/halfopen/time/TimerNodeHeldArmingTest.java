package io.halfopen.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.fixture.ModelChecked;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A node held by a scheduler of its own ({@link TimerNode#holdArming}, {@link TimerNode#expireHeld}): the
 * simulator's event loop arms the limiters' half-open timers this way, with no object per arming. Each arming ends
 * exactly once, by its expiry or by a disarm, and a token of an earlier arming never claims a later one.
 */
class TimerNodeHeldArmingTest {

    private static final TimerNode.Holder HOLDER = (task, delay, unit) -> {
        throw new AssertionError("a held arming schedules no task");
    };

    /** A node that counts its expiries and can take its arming back. */
    static final class Counting extends TimerNode {
        final AtomicInteger expired = new AtomicInteger();

        @Override
        protected void expire() {
            expired.incrementAndGet();
        }

        boolean takeBack() {
            return disarm();
        }
    }

    @Test
    void aHeldArmingExpiresOnceThroughItsToken() {
        final Counting node = new Counting();
        final long token = node.holdArming(HOLDER);
        assertTrue(node.isArmed());
        assertTrue(node.isHeld(token));
        assertTrue(node.expireHeld(token));
        assertEquals(1, node.expired.get());
        assertFalse(node.isArmed());
        assertFalse(node.isHeld(token));
        assertFalse(node.expireHeld(token), "an arming expires once");
        assertEquals(1, node.expired.get());
        assertFalse(node.takeBack(), "nothing left to disarm");
    }

    @Test
    void aDisarmTakesAHeldArmingBackAndItNeverExpires() {
        final Counting node = new Counting();
        final long token = node.holdArming(HOLDER);
        assertTrue(node.takeBack());
        assertFalse(node.isHeld(token));
        assertFalse(node.expireHeld(token));
        assertEquals(0, node.expired.get());
    }

    @Test
    void aTokenOfAnEarlierArmingNeverClaimsALaterOne() {
        final Counting node = new Counting();
        final long first = node.holdArming(HOLDER);
        assertTrue(node.takeBack());
        final long second = node.holdArming(HOLDER);
        assertNotEquals(first, second);
        assertFalse(node.isHeld(first));
        assertFalse(node.expireHeld(first), "the first arming's entry, left in its holder, is stale");
        assertTrue(node.isArmed(), "and leaves the second arming on");
        assertTrue(node.expireHeld(second));
        assertEquals(1, node.expired.get());
    }

    @Test
    void heldArmingsAndTasksOfOtherSchedulersShareOneGenerationCount() {
        final VirtualClock clock = new VirtualClock();
        final Counting node = new Counting();
        final long held = node.holdArming(HOLDER);
        assertTrue(node.takeBack());
        clock.arm(node, 1, TimeUnit.SECONDS); // a task arming, after the held one
        assertFalse(node.expireHeld(held), "a held token never claims a task's arming");
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(1, node.expired.get());
        final long again = node.holdArming(HOLDER);
        assertTrue(node.isHeld(again));
        assertEquals(0, clock.pendingTasks());
        assertTrue(node.expireHeld(again));
        assertEquals(2, node.expired.get());
    }

    /** A holder that records what its nodes' disarms ask and tell it, and refuses them while {@code refuse}. */
    private static class Recording implements TimerNode.Holder {
        final List<String> calls = new ArrayList<>();
        boolean refuse;

        @Override
        public Cancellable schedule(final Runnable task, final long delay, final TimeUnit unit) {
            throw new AssertionError("a held arming schedules no task");
        }

        @Override
        public void checkDisarm(final TimerNode node, final long token) {
            calls.add("check " + token);
            if (refuse) {
                throw new IllegalStateException("refused (test)");
            }
        }

        @Override
        public void disarmed(final TimerNode node, final long token) {
            calls.add("disarmed " + token);
        }
    }

    @Test
    void aHolderIsAskedBeforeAndToldAfterADisarmOfItsArmingOnly() {
        final Recording holder = new Recording();
        final Counting node = new Counting();
        final long first = node.holdArming(holder);
        assertTrue(node.takeBack());
        assertEquals(List.of("check " + first, "disarmed " + first), holder.calls);
        assertFalse(node.takeBack(), "nothing left to disarm");
        final long second = node.holdArming(holder);
        assertTrue(node.expireHeld(second));
        assertFalse(node.takeBack(), "expired: nothing to ask about");
        assertEquals(2, holder.calls.size());
        final Scheduler failing = (task, delay, unit) -> {
            throw new RejectedExecutionException("full (test)");
        };
        assertThrows(RejectedExecutionException.class, () -> failing.arm(node, 1, TimeUnit.SECONDS));
        assertFalse(node.isArmed(), "the failed task arming was taken back");
        final VirtualClock clock = new VirtualClock();
        clock.arm(node, 1, TimeUnit.SECONDS);
        assertTrue(node.takeBack());
        assertEquals(2, holder.calls.size(), "the holder of an earlier arming is told nothing of later ones");
        assertEquals(0, clock.pendingTasks());
    }

    /** A holder that is also a {@link Cancellable} (as a task handle is): told of the disarm, never cancelled. */
    @Test
    void aHolderThatIsAlsoACancellableIsToldOfTheDisarmAndNotCancelled() {
        final class CancellableHolder extends Recording implements Cancellable {
            @Override
            public void cancel() {
                calls.add("cancel");
            }
        }
        final CancellableHolder holder = new CancellableHolder();
        final Counting node = new Counting();
        final long token = node.holdArming(holder);
        assertTrue(node.takeBack());
        assertEquals(List.of("check " + token, "disarmed " + token), holder.calls);
    }

    @Test
    void aHolderThatRefusesADisarmLeavesTheArmingOn() {
        final Recording holder = new Recording();
        final Counting node = new Counting();
        final long token = node.holdArming(holder);
        holder.refuse = true;
        assertEquals("refused (test)", assertThrows(IllegalStateException.class, node::takeBack).getMessage());
        assertTrue(node.isHeld(token));
        assertEquals(List.of("check " + token), holder.calls);
        assertTrue(node.expireHeld(token));
        assertEquals(1, node.expired.get());
        assertFalse(node.takeBack());
        assertEquals(1, holder.calls.size());
    }

    @Test
    void aNodeThatIsArmedOrBoundToAWheelIsRefused() {
        final Counting node = new Counting();
        node.holdArming(HOLDER);
        assertTrue(assertThrows(IllegalStateException.class, () -> node.holdArming(HOLDER)).getMessage()
                .contains("armed already"));
        final TimerWheel wheel = TimerWheel.manual(() -> 0L, Duration.ofMillis(10), () -> { });
        assertThrows(IllegalStateException.class, () -> wheel.arm(node, 1, TimeUnit.SECONDS), "held: armed");
        assertTrue(node.takeBack());
        final Counting onWheel = new Counting();
        wheel.arm(onWheel, 1, TimeUnit.SECONDS);
        assertTrue(assertThrows(IllegalStateException.class, () -> onWheel.holdArming(HOLDER)).getMessage()
                .contains("bound to"));
    }

    /**
     * A disarm on one thread races the holder's expiry on another: exactly one wins, and {@code expire()} runs
     * exactly when the expiry says it won.
     */
    @Test
    void aDisarmAndTheHoldersExpiryRaceAndExactlyOneWins() {
        ModelChecked.check("held arming, disarm vs expiry", 200, () -> {
            final Counting node = new Counting();
            final long token = node.holdArming(HOLDER);
            final boolean[] won = new boolean[2];
            ModelChecked.inParallel(() -> won[0] = node.takeBack(), () -> won[1] = node.expireHeld(token));
            assertTrue(won[0] ^ won[1], "disarm " + won[0] + ", expiry " + won[1]);
            assertEquals(won[1] ? 1 : 0, node.expired.get());
            assertFalse(node.isArmed());
        });
    }
}
