package io.halfopen.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.Cancellable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("EventLoop: a single-threaded discrete-event clock")
class EventLoopTest {

    /** An event that writes its name into a log when it fires. */
    private static final class Named extends Event {
        private final String name;
        private final List<String> log;
        private final EventLoop loop;

        Named(final String name, final List<String> log, final EventLoop loop) {
            this.name = name;
            this.log = log;
            this.loop = loop;
        }

        @Override
        protected void fire() {
            log.add(name + "@" + loop.nanoTime());
        }
    }

    @Nested
    @DisplayName("order")
    class Order {

        @Test
        @DisplayName("events fire by instant, and the clock reads each event's instant while it fires")
        void eventsFireByInstant() {
            final EventLoop loop = new EventLoop();
            final List<String> log = new ArrayList<>();
            loop.at(new Named("c", log, loop), 30);
            loop.at(new Named("a", log, loop), 10);
            loop.at(new Named("b", log, loop), 20);
            loop.runUntil(Long.MAX_VALUE);
            assertEquals(List.of("a@10", "b@20", "c@30"), log);
        }

        @Test
        @DisplayName("at one instant, the world's events fire before the limiter's timers, each band in scheduling order")
        void theWorldGoesBeforeTheTimersAtOneInstant() {
            final EventLoop loop = new EventLoop();
            final List<String> log = new ArrayList<>();
            loop.schedule(() -> log.add("timer1"), 5, TimeUnit.NANOSECONDS);
            loop.at(new Named("world1", log, loop), 5);
            loop.schedule(() -> log.add("timer2"), 5, TimeUnit.NANOSECONDS);
            loop.at(new Named("world2", log, loop), 5);
            loop.runUntil(Long.MAX_VALUE);
            assertEquals(List.of("world1@5", "world2@5", "timer1", "timer2"), log);
        }

        @Test
        @DisplayName("an event scheduled with a reservation fires where an event scheduled at the reservation would have")
        void aReservationKeepsItsPlaceAtItsInstant() {
            final EventLoop loop = new EventLoop();
            final List<String> log = new ArrayList<>();
            final long early = loop.reserve();
            loop.at(new Named("second", log, loop), 5);
            final long late = loop.reserve();
            loop.at(new Named("fourth", log, loop), 5);
            loop.at(new Named("third", log, loop), 5, late);
            loop.at(new Named("first", log, loop), 5, early);
            loop.at(new Named("far", log, loop), 5L << 40, loop.reserve()); // beyond the wheel
            loop.runUntil(Long.MAX_VALUE);
            assertEquals(List.of("first@5", "second@5", "third@5", "fourth@5", "far@" + (5L << 40)), log);
        }

        @Test
        @DisplayName("a reservation that would fire before the event being fired, or that the loop never made, is refused")
        void aReservationInThePastIsRefused() {
            final EventLoop loop = new EventLoop();
            final List<String> log = new ArrayList<>();
            final long old = loop.reserve();
            final List<Throwable> refused = new ArrayList<>();
            loop.at(new Event() {
                @Override
                protected void fire() {
                    refused.add(assertThrows(IllegalArgumentException.class,
                            () -> loop.at(new Named("past", log, loop), 7, old)));
                    loop.at(new Named("later", log, loop), 8, old); // a later instant is not the past
                }
            }, 7);
            loop.runUntil(Long.MAX_VALUE);
            assertEquals(List.of("later@8"), log);
            assertTrue(refused.get(0).getMessage().contains("in the past"), refused.get(0).getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> loop.at(new Named("x", log, loop), 9, 99))
                    .getMessage().contains("not a reservation"));
        }

        @Test
        @DisplayName("events that schedule and cancel others at their own instant fire exactly as a sorted reference says")
        void eventsSchedulingAtTheirOwnInstantFireInTheReferenceOrder() {
            for (int round = 0; round < 20; round++) {
                final long seed = round;
                final List<String> reference = new ReferenceCascade(seed).run();
                final List<String> log = new ArrayList<>();
                final EventLoop loop = new EventLoop();
                final List<Cancellable> pending = new ArrayList<>();
                final long[] ids = {0};
                final class Child {
                    void schedule(final long id, final long delay, final boolean timer) {
                        final Runnable fire = () -> {
                            log.add(id + "@" + loop.nanoTime());
                            spawn(id);
                        };
                        if (timer) {
                            pending.add(loop.schedule(fire, delay, TimeUnit.NANOSECONDS));
                        } else {
                            final Event e = new Event() {
                                @Override
                                protected void fire() {
                                    fire.run();
                                }
                            };
                            loop.after(e, delay);
                            pending.add(e);
                        }
                    }

                    void spawn(final long id) {
                        final SplittableRandom r = new SplittableRandom(seed * 1_000_003 + id);
                        final int children = ids[0] < 3_000 ? r.nextInt(4) : 0;
                        for (int c = 0; c < children; c++) {
                            schedule(++ids[0], ReferenceCascade.delay(r), r.nextInt(3) == 0);
                        }
                        if (!pending.isEmpty() && r.nextInt(5) == 0) {
                            pending.get(r.nextInt(pending.size())).cancel();
                        }
                    }
                }
                final Child child = new Child();
                for (int i = 0; i < 20; i++) {
                    child.schedule(++ids[0], i % 3, i % 4 == 0);
                }
                loop.runUntil(Long.MAX_VALUE);
                assertEquals(reference, log, "round " + round);
                assertEquals(0, loop.pending());
            }
        }

        @Test
        @DisplayName("a random schedule of events and cancellations fires exactly as a sorted reference says, near and far")
        void randomSchedulesFireInTheReferenceOrder() {
            final SplittableRandom random = new SplittableRandom(11);
            for (int round = 0; round < 20; round++) {
                final EventLoop loop = new EventLoop();
                final List<String> log = new ArrayList<>();
                final List<long[]> expected = new ArrayList<>(); // {time, band, seq}
                final List<Event> events = new ArrayList<>();
                long seq = 0;
                for (int i = 0; i < 2_000; i++) {
                    // instants from the same slot to far beyond the wheel's 69 s
                    final long time = switch (random.nextInt(3)) {
                        case 0 -> random.nextLong(2_000_000L);
                        case 1 -> random.nextLong(30_000_000_000L);
                        default -> random.nextLong(500_000_000_000L);
                    };
                    final String name = "e" + i;
                    if (random.nextBoolean()) {
                        final Named e = new Named(name, log, loop);
                        loop.at(e, time);
                        events.add(e);
                        expected.add(new long[] {time, 0, seq++, i});
                    } else {
                        final Cancellable c = loop.schedule(() -> log.add(name + "@" + loop.nanoTime()), time,
                                TimeUnit.NANOSECONDS);
                        events.add((Event) c);
                        expected.add(new long[] {time, 1, seq++, i});
                    }
                }
                for (int i = 0; i < events.size(); i++) {
                    if (random.nextInt(4) == 0) {
                        events.get(i).cancel();
                        final int index = i;
                        expected.removeIf(x -> x[3] == index);
                    }
                }
                expected.sort(Comparator.<long[]>comparingLong(x -> x[0]).thenComparingLong(x -> x[1])
                        .thenComparingLong(x -> x[2]));
                loop.runUntil(Long.MAX_VALUE);
                final List<String> want = new ArrayList<>();
                for (final long[] x : expected) {
                    want.add("e" + x[3] + "@" + x[0]);
                }
                assertEquals(want, log, "round " + round);
                assertEquals(0, loop.pending());
            }
        }

        @Test
        @DisplayName("an event scheduled while its slot fires, at the same or a later instant, still fires in order")
        void eventsScheduledDuringASlotFireInOrder() {
            final EventLoop loop = new EventLoop();
            final List<String> log = new ArrayList<>();
            loop.at(new Event() {
                @Override
                protected void fire() {
                    log.add("first@" + loop.nanoTime());
                    loop.after(new Named("same", log, loop), 0);
                    loop.after(new Named("later", log, loop), 10);
                    loop.schedule(() -> log.add("timer@" + loop.nanoTime()), 0, TimeUnit.NANOSECONDS);
                }
            }, 100);
            loop.at(new Named("other", log, loop), 105);
            loop.runUntil(Long.MAX_VALUE);
            assertEquals(List.of("first@100", "same@100", "timer@100", "other@105", "later@110"), log);
        }
    }

    @Nested
    @DisplayName("running and cancelling")
    class Running {

        @Test
        @DisplayName("runUntil stops at its instant, leaves the clock there, and later events wait")
        void runUntilStopsAtItsInstant() {
            final EventLoop loop = new EventLoop();
            final List<String> log = new ArrayList<>();
            loop.at(new Named("a", log, loop), 1_000);
            loop.at(new Named("b", log, loop), 5_000_000_000L);
            assertTrue(loop.runUntil(1_000_000_000L), "b still pending");
            assertEquals(List.of("a@1000"), log);
            assertEquals(1_000_000_000L, loop.nanoTime());
            loop.runUntil(Long.MAX_VALUE);
            assertEquals(List.of("a@1000", "b@5000000000"), log);
        }

        @Test
        @DisplayName("a cancelled event never fires and leaves at once; cancelling twice is a no-op")
        void aCancelledEventNeverFires() {
            final EventLoop loop = new EventLoop();
            final List<String> log = new ArrayList<>();
            final Cancellable timer = loop.schedule(() -> log.add("timer"), 21, TimeUnit.SECONDS);
            assertEquals(1, loop.pending());
            timer.cancel();
            timer.cancel();
            assertEquals(0, loop.pending());
            loop.runUntil(Long.MAX_VALUE);
            assertEquals(List.of(), log);
        }

        @Test
        @DisplayName("a timer cancelled by an event of its own instant never fires, does not count as fired or "
                + "pending, and the clock never stops at a cancelled timer's instant")
        void aTimerCancelledInItsOwnSlotNeverFires() {
            final EventLoop loop = new EventLoop();
            final List<String> log = new ArrayList<>();
            final long at = 21_000_000_000L;
            final List<Cancellable> timers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                final String name = "timer" + i;
                timers.add(loop.schedule(() -> log.add(name), at, TimeUnit.NANOSECONDS));
            }
            // the stack's give-up at the same instant fires first (world band) and cancels timers 0, 2 and 4
            loop.at(new Event() {
                @Override
                protected void fire() {
                    log.add("give-up@" + loop.nanoTime());
                    timers.get(0).cancel();
                    timers.get(2).cancel();
                    timers.get(4).cancel();
                    timers.get(4).cancel();
                    assertEquals(3, loop.pending(), "timers 1 and 3 and late wait");
                }
            }, at);
            // a slot that holds nothing but cancelled timers, then a real event later
            final Cancellable lone = loop.schedule(() -> log.add("lone"), 40, TimeUnit.SECONDS);
            lone.cancel();
            loop.at(new Named("late", log, loop), 50_000_000_000L);
            // a cancelled timer as the very last thing scheduled: the clock stays at the last event that fired
            loop.schedule(() -> log.add("last"), 60, TimeUnit.SECONDS).cancel();
            assertEquals(7, loop.pending(), "five timers, the give-up, late");
            assertFalse(loop.runUntil(Long.MAX_VALUE));
            assertEquals(List.of("give-up@" + at, "timer1", "timer3", "late@50000000000"), log);
            assertEquals(4, loop.fired());
            assertEquals(0, loop.pending());
            assertEquals(50_000_000_000L, loop.nanoTime());
        }

        @Test
        @DisplayName("an event that fired can be scheduled again; one still scheduled cannot")
        void anEventIsReusableOnceFired() {
            final EventLoop loop = new EventLoop();
            final List<String> log = new ArrayList<>();
            final Named e = new Named("e", log, loop);
            loop.at(e, 10);
            assertThrows(IllegalStateException.class, () -> loop.at(e, 20));
            loop.runUntil(Long.MAX_VALUE);
            assertFalse(e.isScheduled());
            loop.at(e, 30);
            loop.runUntil(Long.MAX_VALUE);
            assertEquals(List.of("e@10", "e@30"), log);
        }

        @Test
        @DisplayName("stop() ends runUntil after the current event, the clock at that event")
        void stopEndsTheRunAfterTheCurrentEvent() {
            final EventLoop loop = new EventLoop();
            final List<String> log = new ArrayList<>();
            loop.at(new Event() {
                @Override
                protected void fire() {
                    log.add("stopper");
                    loop.stop();
                }
            }, 50);
            loop.at(new Named("after", log, loop), 60);
            loop.runUntil(1_000);
            assertEquals(List.of("stopper"), log);
            assertEquals(50, loop.nanoTime());
        }

        @Test
        @DisplayName("the past, negative delays and other threads are refused, naming the problem")
        void misuseIsRefused() throws Exception {
            final EventLoop loop = new EventLoop();
            loop.runUntil(100);
            final List<String> log = new ArrayList<>();
            assertTrue(assertThrows(IllegalArgumentException.class, () -> loop.at(new Named("x", log, loop), 99))
                    .getMessage().contains("before now"));
            assertThrows(IllegalArgumentException.class, () -> loop.schedule(() -> { }, -1, TimeUnit.SECONDS));
            final ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                final Future<?> f = other.submit(() -> loop.schedule(() -> { }, 1, TimeUnit.SECONDS));
                final Exception e = assertThrows(Exception.class, f::get);
                assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
                assertTrue(e.getCause().getMessage().contains("confined"), e.getCause().getMessage());
            } finally {
                other.shutdownNow();
            }
        }
    }

    /**
     * The reference for the cascade test: the same events, spawned and cancelled by the same draws, kept in one
     * sorted set by (instant, band, scheduling order).
     */
    private static final class ReferenceCascade {
        private final long seed;
        private final java.util.TreeSet<long[]> queue = new java.util.TreeSet<>(Comparator.<long[]>comparingLong(
                x -> x[0]).thenComparingLong(x -> x[1]).thenComparingLong(x -> x[2]));
        private final List<long[]> pending = new ArrayList<>();
        private final List<String> log = new ArrayList<>();
        private long sequence;
        private long ids;
        private long now;

        ReferenceCascade(final long seed) {
            this.seed = seed;
        }

        static long delay(final SplittableRandom r) {
            return switch (r.nextInt(5)) {
                case 0, 1 -> 0;
                case 2 -> r.nextInt(3);
                case 3 -> r.nextLong(3_000_000L);
                default -> r.nextLong(80_000_000_000L);
            };
        }

        List<String> run() {
            for (int i = 0; i < 20; i++) {
                schedule(++ids, i % 3, i % 4 == 0);
            }
            while (!queue.isEmpty()) {
                final long[] e = queue.pollFirst();
                now = e[0];
                log.add(e[3] + "@" + now);
                spawn(e[3]);
            }
            return log;
        }

        private void schedule(final long id, final long delay, final boolean timer) {
            final long[] e = {now + delay, timer ? 1 : 0, sequence++, id};
            queue.add(e);
            pending.add(e);
        }

        private void spawn(final long id) {
            final SplittableRandom r = new SplittableRandom(seed * 1_000_003 + id);
            final int children = ids < 3_000 ? r.nextInt(4) : 0;
            for (int c = 0; c < children; c++) {
                schedule(++ids, delay(r), r.nextInt(3) == 0);
            }
            if (!pending.isEmpty() && r.nextInt(5) == 0) {
                queue.remove(pending.get(r.nextInt(pending.size())));
            }
        }
    }
}
