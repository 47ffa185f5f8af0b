package io.halfopen.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("VirtualClock moves only when told to and runs due tasks in deadline order")
class VirtualClockTest {

    private final VirtualClock clock = new VirtualClock();
    private final List<String> ran = new ArrayList<>();

    @Test
    void timeStandsStillUntilAdvanced() {
        assertEquals(0, clock.nanoTime());
        clock.advance(Duration.ofMillis(1500));
        assertEquals(1_500_000_000L, clock.nanoTime());
        clock.advance(2, TimeUnit.SECONDS);
        assertEquals(3_500_000_000L, clock.nanoTime());
    }

    @Test
    void tasksRunInDeadlineOrderThenSchedulingOrderAndSeeTheirOwnDeadlineAsNow() {
        final List<Long> seen = new ArrayList<>();
        clock.schedule(() -> { ran.add("b@2"); seen.add(clock.nanoTime()); }, 2, TimeUnit.SECONDS);
        clock.schedule(() -> { ran.add("a@1"); seen.add(clock.nanoTime()); }, 1, TimeUnit.SECONDS);
        clock.schedule(() -> ran.add("c@2"), 2, TimeUnit.SECONDS);
        clock.schedule(() -> ran.add("d@9"), 9, TimeUnit.SECONDS);

        assertEquals(3, clock.advance(Duration.ofSeconds(5)));
        assertEquals(List.of("a@1", "b@2", "c@2"), ran);
        assertEquals(List.of(1_000_000_000L, 2_000_000_000L), seen);
        assertEquals(5_000_000_000L, clock.nanoTime());
        assertEquals(1, clock.pendingTasks());
    }

    @Test
    void aTaskMayScheduleAnotherThatFallsDueInTheSameAdvance() {
        clock.schedule(() -> {
            ran.add("first");
            clock.schedule(() -> ran.add("second"), 1, TimeUnit.SECONDS);
        }, 1, TimeUnit.SECONDS);
        clock.advance(Duration.ofSeconds(3));
        assertEquals(List.of("first", "second"), ran);
    }

    @Test
    void cancelledTasksNeverRun() {
        final Cancellable task = clock.schedule(() -> ran.add("x"), 1, TimeUnit.SECONDS);
        task.cancel();
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of(), ran);
        assertEquals(0, clock.pendingTasks());
    }

    @Test
    void cancelledTasksDoNotPileUpWhileTheEarliestTaskStaysLive() {
        clock.schedule(() -> ran.add("live"), 1, TimeUnit.HOURS);
        for (int i = 0; i < 100_000; i++) {
            clock.schedule(() -> ran.add("never"), 2, TimeUnit.HOURS).cancel();
        }
        assertEquals(1, clock.pendingTasks());
        assertEquals(1, clock.heapSize(), "cancelled tasks retained");
        clock.advance(Duration.ofHours(3));
        assertEquals(List.of("live"), ran);
    }

    @Test
    void advanceToNextTaskJumpsExactlyThere() {
        clock.schedule(() -> ran.add("x"), 7, TimeUnit.MILLISECONDS);
        assertEquals(1, clock.advanceToNextTask());
        assertEquals(7_000_000L, clock.nanoTime());
        assertEquals(0, clock.advanceToNextTask());
    }

    @Test
    void negativeDelaysAndDurationsAreRejected() {
        assertEquals("delay must be >= 0, was -1 SECONDS", assertThrows(IllegalArgumentException.class,
                () -> clock.schedule(() -> { }, -1, TimeUnit.SECONDS)).getMessage());
        assertEquals("duration must be >= 0, was PT-1S", assertThrows(IllegalArgumentException.class,
                () -> clock.advance(Duration.ofSeconds(-1))).getMessage());
    }

    @Test
    void manyTasksScheduledAndCancelledAtRandomRunInDeadlineThenSchedulingOrder() {
        // A reference model: every live task, in (deadline, scheduling order); the clock must run exactly these,
        // in this order, each seeing its own deadline as now. Deadlines collide often (0-63 ms), so ties matter.
        final java.util.SplittableRandom random = new java.util.SplittableRandom(18);
        final java.util.TreeMap<long[], Integer> expected = new java.util.TreeMap<>(
                java.util.Comparator.<long[]>comparingLong(k -> k[0]).thenComparingLong(k -> k[1]));
        final List<long[]> keys = new java.util.ArrayList<>();
        final List<Cancellable> handles = new java.util.ArrayList<>();
        final List<String> seen = new java.util.ArrayList<>();
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < 50; i++) {
                final int id = keys.size();
                final long delay = random.nextInt(64);
                final long[] key = {clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay), id};
                keys.add(key);
                expected.put(key, id);
                handles.add(clock.schedule(() -> seen.add(id + "@" + clock.nanoTime()), delay, TimeUnit.MILLISECONDS));
            }
            for (int i = 0; i < 20; i++) {
                final int victim = random.nextInt(keys.size());
                handles.get(victim).cancel(); // also on tasks that ran or were cancelled already: a no-op
                expected.remove(keys.get(victim));
            }
            assertEquals(expected.size(), clock.pendingTasks());
            final long step = TimeUnit.MILLISECONDS.toNanos(random.nextInt(40));
            final List<String> want = new java.util.ArrayList<>();
            while (!expected.isEmpty() && expected.firstKey()[0] <= clock.nanoTime() + step) {
                final java.util.Map.Entry<long[], Integer> e = expected.pollFirstEntry();
                want.add(e.getValue() + "@" + e.getKey()[0]);
            }
            seen.clear();
            assertEquals(want.size(), clock.advance(step, TimeUnit.NANOSECONDS));
            assertEquals(want, seen);
            assertEquals(expected.isEmpty() ? Long.MAX_VALUE : expected.firstKey()[0], clock.nextDeadline());
        }
    }

    @Test
    void anotherThreadMayUseTheClockAfterEveryOperation() throws Exception {
        // Each operation takes the clock's lock; one that kept it would leave the other thread blocked here.
        final java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            final Runnable[] operations = {
                () -> clock.schedule(() -> ran.add("x"), 1, TimeUnit.SECONDS),
                () -> clock.schedule(() -> ran.add("y"), 3, TimeUnit.SECONDS).cancel(),
                clock::pendingTasks, clock::nextDeadline, clock::heapSize, clock::pendingDeadlines,
                clock::runDueTasks, () -> clock.advance(Duration.ofSeconds(2)),
            };
            for (final Runnable operation : operations) {
                operation.run();
                final int pending = other.submit(clock::pendingTasks).get(10, TimeUnit.SECONDS);
                assertTrue(pending <= 1, "pending " + pending);
            }
        } finally {
            other.shutdownNow();
        }
        assertEquals(List.of("x"), ran);
        assertEquals(0, clock.pendingTasks());
    }

    @Test
    void runDueTasksRunsWhatIsDueNowAndSaysHowMany() {
        clock.schedule(() -> ran.add("a"), 0, TimeUnit.SECONDS);
        clock.schedule(() -> ran.add("b"), 0, TimeUnit.SECONDS);
        clock.schedule(() -> ran.add("later"), 1, TimeUnit.NANOSECONDS);
        assertEquals(2, clock.runDueTasks());
        assertEquals(List.of("a", "b"), ran);
        assertEquals(0, clock.nanoTime());
    }

    @Test
    void aDelayBeyondTheEndOfTimeSaturatesAndRunsOnlyWhenTimeGetsThere() {
        clock.advance(1, TimeUnit.SECONDS);
        clock.schedule(() -> ran.add("never before the end"), Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        assertEquals(Long.MAX_VALUE, clock.nextDeadline(), "the deadline wrapped around");
        clock.advance(Duration.ofDays(365));
        assertEquals(List.of(), ran);
        clock.advance(Duration.ofSeconds(Long.MAX_VALUE)); // more nanoseconds than a long holds: saturates too
        assertEquals(Long.MAX_VALUE, clock.nanoTime());
        assertEquals(List.of("never before the end"), ran);
    }
}
