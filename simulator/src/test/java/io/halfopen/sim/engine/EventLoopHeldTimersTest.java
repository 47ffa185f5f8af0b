package io.halfopen.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import io.halfopen.time.TimerNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The loop holds the limiters' timer nodes itself ({@link EventLoop#arm}, no object per arming): every firing, its
 * instant and its place among the world's events and the tasks, is what it was when each arming was a task of
 * {@link EventLoop#schedule} (the default {@link Scheduler#arm}), which is what keeps a simulation's reports the same
 * for a seed.
 */
@DisplayName("EventLoop: timer nodes held without a task per arming")
class EventLoopHeldTimersTest {

    /** A timer node that logs its expiries. */
    private static final class Node extends TimerNode {
        private final String name;
        private final List<String> log;
        private final EventLoop loop;

        Node(final String name, final List<String> log, final EventLoop loop) {
            this.name = name;
            this.log = log;
            this.loop = loop;
        }

        @Override
        protected void expire() {
            log.add(name + "@" + loop.nanoTime());
        }

        boolean takeBack() {
            return disarm();
        }
    }

    /** Delays that tie, cross slots (2^20 ns), reach past the wheel (69 s), and come out of deadline order. */
    private static final long[] DELAYS = {0, 0, 3, 1_000, 1L << 20, (1L << 20) + 1, 21_000_000_000L,
        21_000_000_000L, 21_000_000_000L, 70_000_000_000L, 300_000_000_000L};

    /**
     * One random world: events that arm, disarm and re-arm nodes, schedule tasks, and schedule further events, on a
     * loop run in random steps. {@code held}: nodes armed with the loop's own {@code arm}; else through a scheduler
     * that only schedules, so each arming is a task.
     */
    private static List<String> run(final long seed, final boolean held) {
        final EventLoop loop = new EventLoop();
        final Scheduler armer = held ? loop : loop::schedule;
        final List<String> log = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            nodes.add(new Node("n" + i, log, loop));
        }
        final int[] budget = {400};
        final class Actor extends Event {
            private final String name;

            Actor(final String name) {
                this.name = name;
            }

            @Override
            protected void fire() {
                log.add(name + "@" + loop.nanoTime());
                for (int step = random.nextInt(4); step >= 0; step--) {
                    final Node node = nodes.get(random.nextInt(nodes.size()));
                    switch (random.nextInt(5)) {
                        case 0, 1 -> {
                            if (!node.isArmed()) {
                                armer.arm(node, DELAYS[random.nextInt(DELAYS.length)], TimeUnit.NANOSECONDS);
                            }
                        }
                        case 2 -> log.add("disarm " + node.name + " " + node.takeBack());
                        case 3 -> {
                            final String task = "t" + log.size();
                            loop.schedule(() -> log.add(task + "@" + loop.nanoTime()),
                                    DELAYS[random.nextInt(DELAYS.length)], TimeUnit.NANOSECONDS);
                        }
                        default -> {
                            if (budget[0]-- > 0) {
                                loop.after(new Actor("a" + log.size()), DELAYS[random.nextInt(DELAYS.length)]);
                            }
                        }
                    }
                }
                if (budget[0]-- > 0) { // the world goes on until its budget is spent
                    loop.after(new Actor("b" + log.size()), DELAYS[random.nextInt(DELAYS.length)]);
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            loop.at(new Actor("start" + i), random.nextLong(2_000_000));
        }
        long end = 0;
        boolean more = true;
        while (more) {
            end += random.nextLong(40_000_000_000L);
            more = loop.runUntil(end);
            log.add("step to " + end + ": now " + loop.nanoTime() + ", pending " + loop.pending() + ", fired "
                    + loop.fired());
        }
        return log;
    }

    @Test
    @DisplayName("held armings fire, and are dropped, exactly where task armings would")
    void heldArmingsKeepTheOrderOfTaskArmings() {
        for (long seed = 1; seed <= 200; seed++) {
            final List<String> tasks = run(seed, false);
            assertTrue(tasks.size() > 100, "a scenario that does something: " + tasks.size());
            assertEquals(tasks, run(seed, true), "seed " + seed);
        }
    }

    /**
     * One random script whose every step checks {@link EventLoop#pending()} against a count of its own: the nodes
     * armed (held or as tasks), the tasks neither run nor cancelled, the world's events scheduled. Nodes are armed,
     * disarmed, re-armed after their expiry and from inside it; tasks are scheduled and cancelled, before and after
     * they run; checked outside the run, inside events, tasks and expiries.
     */
    private static final class PendingScript {
        private final long seed;
        private final EventLoop loop = new EventLoop();
        private final SplittableRandom random;
        private final List<Counted> nodes = new ArrayList<>();
        private final List<Cancellable> tasks = new ArrayList<>();
        private final Set<Cancellable> pendingTasks = Collections.newSetFromMap(new IdentityHashMap<>());
        private final List<World> world = new ArrayList<>();
        private int budget = 3_000;
        private int checks;
        private int expiries;

        private final class Counted extends TimerNode {
            @Override
            protected void expire() {
                expiries++;
                check("expiry");
                if (random.nextInt(3) == 0 && budget-- > 0) {
                    loop.arm(this, delay(), TimeUnit.NANOSECONDS); // re-armed from its own expiry
                    check("re-armed in its expiry");
                }
                act("expiry");
            }

            boolean takeBack() {
                return disarm();
            }
        }

        private final class World extends Event {
            boolean scheduled;

            @Override
            protected void fire() {
                scheduled = false;
                check("world");
                act("world");
                act("world");
            }
        }

        PendingScript(final long seed) {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            for (int i = 0; i < 40; i++) {
                nodes.add(new Counted());
            }
            for (int i = 0; i < 8; i++) {
                world.add(new World());
            }
        }

        private long delay() {
            return switch (random.nextInt(10)) {
                case 0 -> 0;
                case 1 -> random.nextInt(3);
                case 2 -> random.nextLong(1L << EventLoop.SLOT_BITS);
                case 3 -> random.nextLong(3_000_000_000L);
                case 4 -> random.nextLong(100_000_000_000L);
                default -> 21_000_000_000L; // a limiter's one timeout: the ring's case
            };
        }

        private void check(final String where) {
            final long armed = nodes.stream().filter(TimerNode::isArmed).count();
            final long scheduled = world.stream().filter(w -> w.scheduled).count();
            assertEquals(armed + pendingTasks.size() + scheduled, loop.pending(),
                    "seed " + seed + ", check " + checks + " (" + where + "): " + armed + " armed, "
                            + pendingTasks.size() + " tasks, " + scheduled + " world events");
            checks++;
        }

        private void act(final String from) {
            switch (random.nextInt(9)) {
                case 0, 1, 2 -> {
                    final Counted node = nodes.get(random.nextInt(nodes.size()));
                    if (!node.isArmed() && budget-- > 0) {
                        loop.arm(node, delay(), TimeUnit.NANOSECONDS);
                    }
                }
                case 3 -> nodes.get(random.nextInt(nodes.size())).takeBack();
                case 4 -> {
                    if (budget-- > 0) {
                        final Cancellable[] handle = new Cancellable[1];
                        handle[0] = loop.schedule(() -> {
                            pendingTasks.remove(handle[0]);
                            check("task");
                            act("task");
                        }, delay(), TimeUnit.NANOSECONDS);
                        tasks.add(handle[0]);
                        pendingTasks.add(handle[0]);
                    }
                }
                case 5 -> {
                    if (!tasks.isEmpty()) {
                        final Cancellable task = tasks.get(random.nextInt(tasks.size()));
                        task.cancel(); // before or after it ran, once or again
                        pendingTasks.remove(task);
                    }
                }
                case 6 -> {
                    final World w = world.get(random.nextInt(world.size()));
                    if (!w.scheduled && budget-- > 0) {
                        loop.after(w, delay());
                        w.scheduled = true;
                    }
                }
                case 7 -> {
                    final World w = world.get(random.nextInt(world.size()));
                    w.cancel();
                    w.scheduled = false;
                }
                default -> {
                    // nothing: a step that only checks
                }
            }
            check(from);
        }

        void play() {
            for (int i = 0; i < 50; i++) {
                act("outside");
            }
            boolean more = true;
            while (more || budget > 0) {
                more = loop.runUntil(loop.nanoTime() + delay());
                check("after a run");
                for (int i = random.nextInt(6); i > 0; i--) {
                    act("outside");
                }
                if (budget <= 0 && random.nextInt(4) == 0) {
                    more = loop.runUntil(Long.MAX_VALUE);
                    check("drained");
                }
            }
            assertEquals(0, loop.pending());
        }
    }

    @Test
    @DisplayName("pending() is exactly the armings still on, the tasks neither run nor cancelled, and the world's events")
    void pendingCountsExactlyWhatIsOn() {
        long armedAsTasks = 0;
        long expiries = 0;
        long checks = 0;
        for (long seed = 1; seed <= 60; seed++) {
            final PendingScript script = new PendingScript(seed);
            script.play();
            armedAsTasks += script.loop.armedAsTasks;
            expiries += script.expiries;
            checks += script.checks;
        }
        assertTrue(armedAsTasks > 1_000, "out-of-order armings, as tasks: " + armedAsTasks);
        assertTrue(expiries > 10_000, "expiries: " + expiries);
        assertTrue(checks > 100_000, "checks: " + checks);
    }

    @Test
    @DisplayName("the ring grows while it wraps around, and keeps its order")
    void theRingGrowsWhileWrapped() {
        final EventLoop loop = new EventLoop();
        final List<String> log = new ArrayList<>();
        final List<String> expected = new ArrayList<>();
        final List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            nodes.add(new Node("n" + i, log, loop));
        }
        for (int i = 0; i < 40; i++) { // 40 of the ring's first 64 places, then 30 of them fire
            loop.arm(nodes.get(i), 10 + i, TimeUnit.NANOSECONDS);
            expected.add("n" + i + "@" + (10 + i));
        }
        loop.runUntil(39);
        assertEquals(expected.subList(0, 30), log);
        for (int i = 40; i < 300; i++) { // wraps past the end of the first array, then grows twice
            loop.arm(nodes.get(i), 1000 + i, TimeUnit.NANOSECONDS);
            expected.add("n" + i + "@" + (39 + 1000 + i));
        }
        assertEquals(270, loop.pending());
        assertFalse(loop.runUntil(Long.MAX_VALUE));
        assertEquals(expected, log);
    }

    /** Runs {@code action} on a thread of its own and returns what it threw, or null. */
    private static Throwable onAnotherThread(final Runnable action) throws InterruptedException {
        final Throwable[] thrown = new Throwable[1];
        final Thread elsewhere = new Thread(() -> {
            try {
                action.run();
            } catch (final Throwable t) {
                thrown[0] = t;
            }
        });
        elsewhere.start();
        elsewhere.join(10_000);
        assertFalse(elsewhere.isAlive());
        return thrown[0];
    }

    @Test
    @DisplayName("a disarm of a held arming from another thread is refused, and the arming stays on")
    void aHeldDisarmFromAnotherThreadIsRefused() throws Exception {
        final EventLoop loop = new EventLoop();
        final List<String> log = new ArrayList<>();
        final Node node = new Node("n", log, loop);
        loop.arm(node, 10, TimeUnit.SECONDS);
        final boolean[] disarmed = {false};
        final Throwable thrown = onAnotherThread(() -> disarmed[0] = node.takeBack());
        assertTrue(thrown instanceof IllegalStateException, String.valueOf(thrown));
        assertFalse(disarmed[0]);
        assertTrue(node.isArmed(), "refused before it took the arming back");
        assertEquals(1, loop.pending());
        assertFalse(loop.runUntil(Long.MAX_VALUE));
        assertEquals(List.of("n@10000000000"), log);
        loop.arm(node, 1, TimeUnit.SECONDS); // armed again after its expiry; the loop's own thread disarms it
        assertTrue(node.takeBack());
        assertEquals(0, loop.pending());
    }

    @Test
    @DisplayName("a disarm of a task arming from another thread disarms the node, then throws; its task does nothing")
    void aTaskDisarmFromAnotherThreadThrowsAfterTakingTheArmingBack() throws Exception {
        final EventLoop loop = new EventLoop();
        final List<String> log = new ArrayList<>();
        final Node late = new Node("late", log, loop);
        final Node early = new Node("early", log, loop);
        loop.arm(late, 20, TimeUnit.SECONDS);
        loop.arm(early, 10, TimeUnit.SECONDS); // before late: a task event
        assertEquals(1, loop.armedAsTasks);
        final Throwable thrown = onAnotherThread(early::takeBack);
        assertTrue(thrown instanceof IllegalStateException, String.valueOf(thrown));
        assertFalse(early.isArmed(), "the node's compare-and-set came before the task's refused cancel");
        assertEquals(2, loop.pending(), "the task event stays");
        assertFalse(loop.runUntil(Long.MAX_VALUE));
        assertEquals(List.of("late@20000000000"), log);
        assertEquals(2, loop.fired(), "the task event fired, and did nothing");
    }

    @Test
    @DisplayName("disarmed armings at the ring's tail do not push a later, earlier-due arming onto the task path")
    void aDeadTailDoesNotForceATask() {
        final EventLoop loop = new EventLoop();
        final List<String> log = new ArrayList<>();
        final Node a = new Node("a", log, loop);
        final Node b = new Node("b", log, loop);
        final Node c = new Node("c", log, loop);
        final Node d = new Node("d", log, loop);
        final Node e = new Node("e", log, loop);
        loop.at(new Event() {
            @Override
            protected void fire() {
                log.add("world@" + loop.nanoTime());
            }
        }, 25_000_000_000L); // between the live armings and the dead ones: d and b must fire before it
        loop.arm(a, 10, TimeUnit.SECONDS);
        loop.arm(b, 20, TimeUnit.SECONDS);
        loop.arm(c, 30, TimeUnit.SECONDS);
        assertTrue(c.takeBack());
        assertTrue(b.takeBack());
        loop.arm(d, 15, TimeUnit.SECONDS); // after a, the last live arming: held
        assertEquals(0, loop.armedAsTasks, "d is due after every arming still on");
        loop.arm(e, 12, TimeUnit.SECONDS); // before d, which is on: a task, as before
        assertEquals(1, loop.armedAsTasks);
        loop.arm(b, 15, TimeUnit.SECONDS); // b again, tying with d and after it in order: held
        assertEquals(1, loop.armedAsTasks);
        assertEquals(5, loop.pending());
        assertFalse(loop.runUntil(Long.MAX_VALUE));
        assertEquals(List.of("a@10000000000", "e@12000000000", "d@15000000000", "b@15000000000", "world@25000000000"),
                log);
        assertEquals(5, loop.fired());
    }

    @Test
    @DisplayName("an empty ring compares a new arming with nothing, even after its last arming was dropped past now")
    void anEmptyRingTakesAnyArming() {
        final EventLoop loop = new EventLoop();
        final List<String> log = new ArrayList<>();
        final Node a = new Node("a", log, loop);
        final Node b = new Node("b", log, loop);
        loop.arm(a, 10, TimeUnit.SECONDS);
        loop.arm(b, 20, TimeUnit.SECONDS);
        assertTrue(b.takeBack());
        assertFalse(loop.runUntil(Long.MAX_VALUE)); // b is dropped at 20 s; the clock stays at a's 10 s
        assertEquals(10_000_000_000L, loop.nanoTime());
        loop.arm(a, 5, TimeUnit.SECONDS); // at 15 s, before the dropped b: the ring is empty, so held
        assertEquals(0, loop.armedAsTasks);
        assertFalse(loop.runUntil(Long.MAX_VALUE));
        assertEquals(List.of("a@10000000000", "a@15000000000"), log);
    }

    @Test
    @DisplayName("a ring that cannot grow refuses the arming and leaves the node unarmed, the loop as it was")
    void aRingThatCannotGrowLeavesTheNodeUnarmed() {
        final EventLoop loop = new EventLoop();
        final List<String> log = new ArrayList<>();
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < 64; i++) { // the ring's first 64 places, full
            loop.arm(new Node("n" + i, log, loop), 10 + i, TimeUnit.NANOSECONDS);
            expected.add("n" + i + "@" + (10 + i));
        }
        final Node last = new Node("last", log, loop);
        loop.beforeGrowth = () -> {
            throw new OutOfMemoryError("no room for a larger ring (test)");
        };
        assertThrows(OutOfMemoryError.class, () -> loop.arm(last, 1000, TimeUnit.NANOSECONDS));
        assertFalse(last.isArmed(), "an arming the loop holds nowhere would never expire");
        assertEquals(64, loop.pending());
        loop.beforeGrowth = null;
        loop.arm(last, 1000, TimeUnit.NANOSECONDS); // armed again once there is room
        expected.add("last@1000");
        assertEquals(65, loop.pending());
        assertFalse(loop.runUntil(Long.MAX_VALUE));
        assertEquals(expected, log);
        assertEquals(65, loop.fired());
    }

    @Test
    @DisplayName("a disarmed node never expires, is not pending, and its instant does not move the clock")
    void aDisarmedNodeNeverExpires() {
        final EventLoop loop = new EventLoop();
        final List<String> log = new ArrayList<>();
        final Node kept = new Node("kept", log, loop);
        final Node dropped = new Node("dropped", log, loop);
        loop.arm(kept, 10, TimeUnit.SECONDS);
        loop.arm(dropped, 20, TimeUnit.SECONDS);
        assertEquals(2, loop.pending());
        assertTrue(dropped.takeBack());
        assertEquals(1, loop.pending());
        assertFalse(loop.runUntil(Long.MAX_VALUE));
        assertEquals(List.of("kept@10000000000"), log);
        assertEquals(1, loop.fired());
        assertEquals(10_000_000_000L, loop.nanoTime());
        loop.arm(dropped, 5, TimeUnit.SECONDS); // re-armed after its disarm
        loop.runUntil(Long.MAX_VALUE);
        assertEquals(List.of("kept@10000000000", "dropped@15000000000"), log);
    }

    @Test
    @DisplayName("an armed node, a negative delay and another thread are refused")
    void misuseIsRefused() throws Exception {
        final EventLoop loop = new EventLoop();
        final Node node = new Node("n", new ArrayList<>(), loop);
        loop.arm(node, 1, TimeUnit.SECONDS);
        assertThrows(IllegalStateException.class, () -> loop.arm(node, 1, TimeUnit.SECONDS));
        final Node other = new Node("o", new ArrayList<>(), loop);
        assertThrows(IllegalArgumentException.class, () -> loop.arm(other, -1, TimeUnit.SECONDS));
        final Throwable[] thrown = new Throwable[1];
        final Thread elsewhere = new Thread(() -> {
            try {
                loop.arm(other, 1, TimeUnit.SECONDS);
            } catch (final Throwable t) {
                thrown[0] = t;
            }
        });
        elsewhere.start();
        elsewhere.join(10_000);
        assertTrue(thrown[0] instanceof IllegalStateException, String.valueOf(thrown[0]));
        assertFalse(other.isArmed());
    }
}
