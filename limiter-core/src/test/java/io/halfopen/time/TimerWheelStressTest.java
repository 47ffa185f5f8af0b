package io.halfopen.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Randomized stress on real threads and real time: three threads arm, disarm and re-arm their own nodes with
 * random delays (0 to 30 ms, a tenth of them beyond one turn of a small wheel) on a wheel of 1 ms precision with
 * its own thread, for about two seconds. Every arming must end exactly once: it expires once, never before its
 * deadline, or a disarm takes it back, never both; none is lost; and at the end the wheel holds nothing and goes
 * idle. The counts are checked as a conservation law (armed = expired + disarmed) and per arming.
 */
@DisplayName("The timer wheel under three threads: every arming ends once, never early, never lost")
class TimerWheelStressTest {

    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long LOST_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10); // generous: a loaded machine
    private static final int THREADS = 3;
    private static final int NODES_PER_THREAD = 64;

    private final AtomicLong early = new AtomicLong();
    private final AtomicLong twice = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();

    /** A node that checks its own expiries. */
    final class StressNode extends TimerNode {
        volatile long earliest;
        final AtomicInteger expiriesOfThisArming = new AtomicInteger();

        @Override
        protected void expire() {
            if (System.nanoTime() < earliest) {
                early.incrementAndGet();
            }
            if (expiriesOfThisArming.incrementAndGet() > 1) {
                twice.incrementAndGet();
            }
            expired.incrementAndGet();
        }

        boolean takeBack() {
            return disarm();
        }
    }

    @Test
    void everyArmingEndsOnceNeverEarlyNeverLost() throws Exception {
        final TimerWheel wheel = TimerWheel.start("stress-timer", Duration.ofMillis(1));
        final long[] armed = new long[THREADS];
        final long[] disarmed = new long[THREADS];
        final long[] lost = new long[THREADS];
        final long[] endedTwice = new long[THREADS];
        final Thread[] threads = new Thread[THREADS];
        final long end = System.nanoTime() + RUN_NANOS;
        for (int t = 0; t < THREADS; t++) {
            final int id = t;
            threads[t] = new Thread(() -> {
                final SplittableRandom random = new SplittableRandom(42 + id);
                final StressNode[] nodes = new StressNode[NODES_PER_THREAD];
                final boolean[] pending = new boolean[NODES_PER_THREAD];
                for (int i = 0; i < nodes.length; i++) {
                    nodes[i] = new StressNode();
                }
                while (System.nanoTime() < end) {
                    final int i = random.nextInt(nodes.length);
                    final StressNode node = nodes[i];
                    if (pending[i]) {
                        if (random.nextInt(4) == 0 && !awaitExpiry(node, 0)) {
                            continue; // let it run out another time
                        }
                        if (node.takeBack()) {
                            disarmed[id]++;
                            if (node.expiriesOfThisArming.get() != 0) {
                                endedTwice[id]++; // expired and taken back
                            }
                        } else if (!awaitExpiry(node, LOST_AFTER_NANOS)) {
                            lost[id]++; // not armed any more, yet it never expired
                        }
                        pending[i] = false;
                    }
                    final long delay = random.nextInt(10) == 0 ? 20 + random.nextInt(10)
                            : random.nextInt(3) == 0 ? 0 : random.nextInt(5);
                    node.expiriesOfThisArming.set(0);
                    node.earliest = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                    wheel.arm(node, delay, TimeUnit.MILLISECONDS);
                    armed[id]++;
                    pending[i] = true;
                }
                for (int i = 0; i < nodes.length; i++) {
                    if (pending[i] && !awaitExpiry(nodes[i], LOST_AFTER_NANOS)) {
                        lost[id]++;
                    }
                }
            }, "stress-armer-" + t);
            threads[t].start();
        }
        for (final Thread thread : threads) {
            thread.join();
        }
        final long deadline = System.nanoTime() + LOST_AFTER_NANOS;
        while ((wheel.placedNodes() != 0 || !wheel.isIdle()) && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // bounded: the wheel drops what it holds within a tick or two
        }
        long totalArmed = 0;
        long totalDisarmed = 0;
        for (int t = 0; t < THREADS; t++) {
            assertEquals(0, lost[t], "armings lost by thread " + t);
            assertEquals(0, endedTwice[t], "armings both expired and taken back by thread " + t);
            totalArmed += armed[t];
            totalDisarmed += disarmed[t];
        }
        assertEquals(0, early.get(), "expiries before the deadline");
        assertEquals(0, twice.get(), "armings that expired twice");
        assertEquals(totalArmed, expired.get() + totalDisarmed, "armed = expired + disarmed");
        assertTrue(totalArmed > 10_000, "too few armings to mean anything: " + totalArmed);
        assertEquals(0, wheel.placedNodes(), "nodes the wheel still holds");
        assertTrue(wheel.isIdle(), "the wheel did not go idle");
        System.out.printf("[stress] timer wheel: %d armings, %d expired, %d disarmed%n", totalArmed, expired.get(),
                totalDisarmed);
    }

    /** Waits (bounded) until the node's current arming expired; {@code false} if it did not within the bound. */
    private static boolean awaitExpiry(final StressNode node, final long boundNanos) {
        final long until = System.nanoTime() + boundNanos;
        while (node.expiriesOfThisArming.get() == 0) {
            if (System.nanoTime() - until >= 0) {
                return false;
            }
            Thread.yield();
        }
        return true;
    }
}
