package io.halfopen.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Property-based: for any precision and any schedule in virtual time of arms (delays from zero to several turns of
 * the wheel), disarms, re-arms and time passing in steps of any size, a {@link TimerWheel} on a
 * {@link VirtualClock} keeps its contract, checked against a model of the armings:
 * <ul>
 *   <li>every arming ends exactly once: it expires once, or a disarm returns {@code true} for it (which happens
 *       exactly when it has not expired yet);</li>
 *   <li>never early, at most one tick late: it expires at a time in [deadline, deadline + precision + 7 ns] (the
 *       7 ns: deadlines are kept rounded up to a multiple of 8 ns);</li>
 *   <li>nothing is lost or kept: once time has passed every deadline, every arming not taken back has expired,
 *       the wheel holds no node and has no tick scheduled.</li>
 * </ul>
 */
class TimerWheelProperties {

    private static final int NODES = 6;

    enum Kind { ARM, DISARM, ADVANCE }

    /** One step: what, which node, how much (a delay or a time step, in microseconds). */
    record Op(Kind kind, int node, long micros) {
    }

    /** A node that logs when it expired. */
    static final class Node extends TimerNode {
        final VirtualClock clock;
        final List<Long> expiredAt = new ArrayList<>();

        Node(final VirtualClock clock) {
            this.clock = clock;
        }

        @Override
        protected void expire() {
            expiredAt.add(clock.nanoTime());
        }

        boolean takeBack() {
            return disarm();
        }
    }

    /** The model of one arming. */
    static final class Arming {
        final long deadline;
        boolean takenBack;
        int expiries;
        long expiredAt;

        Arming(final long deadline) {
            this.deadline = deadline;
        }
    }

    @Provide
    Arbitrary<Long> precisionsMicros() {
        return Arbitraries.of(1L, 7L, 1_000L, 10_000L, 100_000L, 1_000_000L);
    }

    @Provide
    Arbitrary<List<Op>> schedules() {
        final Arbitrary<Kind> kinds = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(Kind.ARM)),
                Tuple.of(2, Arbitraries.just(Kind.DISARM)), Tuple.of(4, Arbitraries.just(Kind.ADVANCE)));
        final Arbitrary<Long> micros = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 20)),
                Tuple.of(5, Arbitraries.longs().between(0, 50_000)),
                Tuple.of(2, Arbitraries.longs().between(0, 40_000_000))); // beyond one 16 s turn
        return Combinators.combine(kinds, Arbitraries.integers().between(0, NODES - 1), micros).as(Op::new)
                .list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 400)
    void everyArmingEndsOnceWithinOneTickOfItsDeadline(@ForAll("precisionsMicros") final long precisionMicros,
            @ForAll("schedules") final List<Op> schedule) {
        final VirtualClock clock = new VirtualClock(123_456_789L);
        final TimerWheel wheel = TimerWheel.onClock(clock, Duration.ofNanos(precisionMicros * 1_000));
        final long precision = precisionMicros * 1_000;
        final Node[] nodes = new Node[NODES];
        final List<List<Arming>> armings = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            nodes[i] = new Node(clock);
            armings.add(new ArrayList<>());
        }
        long latestDeadline = clock.nanoTime();
        for (final Op op : schedule) {
            final Node node = nodes[op.node()];
            final List<Arming> log = armings.get(op.node());
            switch (op.kind()) {
                case ARM -> {
                    if (node.isArmed()) {
                        continue; // the contract forbids arming an armed node (tested elsewhere)
                    }
                    final long delay = op.micros() * 1_000;
                    log.add(new Arming(clock.nanoTime() + delay));
                    latestDeadline = Math.max(latestDeadline, clock.nanoTime() + delay);
                    wheel.arm(node, delay, TimeUnit.NANOSECONDS);
                }
                case DISARM -> {
                    final boolean tookBack = node.takeBack();
                    final Arming last = log.isEmpty() ? null : log.get(log.size() - 1);
                    reconcile(node, log);
                    final boolean live = last != null && !last.takenBack && last.expiries == 0;
                    assertEquals(live, tookBack, "disarm of node " + op.node() + " at " + clock.nanoTime());
                    if (tookBack) {
                        last.takenBack = true;
                    }
                }
                case ADVANCE -> clock.advance(op.micros(), TimeUnit.MICROSECONDS);
            }
            for (int i = 0; i < NODES; i++) {
                reconcile(nodes[i], armings.get(i));
            }
        }
        clock.advance(Math.max(0L, latestDeadline - clock.nanoTime()) + 2 * precision + 8, TimeUnit.NANOSECONDS);
        for (int i = 0; i < NODES; i++) {
            reconcile(nodes[i], armings.get(i));
            for (final Arming arming : armings.get(i)) {
                assertEquals(arming.takenBack ? 0 : 1, arming.expiries, "node " + i + ", arming for "
                        + arming.deadline + ": expiries");
                if (arming.expiries == 1) {
                    final long late = arming.expiredAt - arming.deadline;
                    assertTrue(late >= 0 && late <= precision + 7, "node " + i + " expired " + late
                            + " ns after its deadline " + arming.deadline + ", precision " + precision + " ns");
                }
            }
            assertTrue(!nodes[i].isArmed(), "node " + i + " still armed after every deadline");
        }
        assertEquals(0, wheel.placedNodes(), "nodes the wheel still holds");
        assertTrue(wheel.isIdle(), "the wheel is not idle");
        assertEquals(0, clock.pendingTasks(), "the wheel still ticks");
    }

    /** Attributes the node's new expiries to its armings, in order; an arming is ended by one expiry at most. */
    private static void reconcile(final Node node, final List<Arming> log) {
        int recorded = 0;
        for (final Arming arming : log) {
            recorded += arming.expiries;
        }
        for (int e = recorded; e < node.expiredAt.size(); e++) {
            Arming owner = null;
            for (final Arming arming : log) {
                if (!arming.takenBack && arming.expiries == 0) {
                    owner = arming;
                    break;
                }
            }
            assertTrue(owner != null, "an expiry at " + node.expiredAt.get(e) + " with no live arming: " + log.size()
                    + " armings");
            owner.expiries++;
            owner.expiredAt = node.expiredAt.get(e);
        }
    }
}
