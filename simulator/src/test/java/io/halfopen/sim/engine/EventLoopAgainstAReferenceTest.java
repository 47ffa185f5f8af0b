package io.halfopen.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halfopen.time.Cancellable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loop against the simplest loop that could be right (one sorted set by instant, band and scheduling order),
 * driven by the same random script: events that schedule world events (by delay, by instant, in the place of a
 * fresh or an old reservation), timers, cancel and reuse events, reserve places and stop the run, from inside
 * world events, from inside timers and from outside between runs that end anywhere (mid-slot, on an event's
 * instant, after a stop with events of that instant still waiting). Delays of zero are frequent, so that the
 * lane for the instant being fired (1bba0f7), the firing heap and reservations (1d87948) meet at one instant.
 * The two must fire the same events at the same instants in the same order, and agree on the clock, the pending
 * count and whether an event is scheduled.
 */
@DisplayName("EventLoop fires exactly what a sorted reference fires, whatever schedules what and from where")
class EventLoopAgainstAReferenceTest {

    private static final long TIMER_BAND = 1L << 62;
    private static final int MAX_EVENTS = 4_000;

    /** What a script drives: the real loop or the reference. Handles name events across the two. */
    private interface Sim {
        long now();

        void at(int handle, long time, Runnable action);

        void after(int handle, long delay, Runnable action);

        void atReserved(int handle, long time, long reservation, Runnable action);

        void schedule(int handle, long delay, Runnable action);

        long reserve();

        void cancel(int handle);

        boolean isScheduled(int handle);

        void stop();

        boolean runUntil(long end);

        int pending();
    }

    private static final class Real implements Sim {
        private final EventLoop loop = new EventLoop();
        private final Map<Integer, Act> world = new HashMap<>();
        private final Map<Integer, Cancellable> timers = new HashMap<>();

        private static final class Act extends Event {
            Runnable action;

            @Override
            protected void fire() {
                action.run();
            }
        }

        private Act act(final int handle, final Runnable action) {
            final Act a = world.computeIfAbsent(handle, h -> new Act());
            a.action = action;
            return a;
        }

        @Override
        public long now() {
            return loop.nanoTime();
        }

        @Override
        public void at(final int handle, final long time, final Runnable action) {
            loop.at(act(handle, action), time);
        }

        @Override
        public void after(final int handle, final long delay, final Runnable action) {
            loop.after(act(handle, action), delay);
        }

        @Override
        public void atReserved(final int handle, final long time, final long reservation, final Runnable action) {
            loop.at(act(handle, action), time, reservation);
        }

        @Override
        public void schedule(final int handle, final long delay, final Runnable action) {
            timers.put(handle, loop.schedule(action, delay, TimeUnit.NANOSECONDS));
        }

        @Override
        public long reserve() {
            return loop.reserve();
        }

        @Override
        public void cancel(final int handle) {
            final Cancellable c = world.containsKey(handle) ? world.get(handle) : timers.get(handle);
            c.cancel();
        }

        @Override
        public boolean isScheduled(final int handle) {
            final Event e = world.containsKey(handle) ? world.get(handle) : (Event) timers.get(handle);
            return e.isScheduled();
        }

        @Override
        public void stop() {
            loop.stop();
        }

        @Override
        public boolean runUntil(final long end) {
            return loop.runUntil(end);
        }

        @Override
        public int pending() {
            return loop.pending();
        }
    }

    private static final class Reference implements Sim {
        private record Entry(long time, long order, int handle, Runnable action) {
        }

        private final TreeSet<Entry> queue = new TreeSet<>(Comparator.comparingLong(Entry::time)
                .thenComparingLong(Entry::order));
        private final Map<Integer, Entry> pending = new HashMap<>();
        private long now;
        private long sequence;
        private boolean stopped;

        private void add(final int handle, final long time, final long order, final Runnable action) {
            if (pending.containsKey(handle)) {
                throw new IllegalStateException("already scheduled: " + handle);
            }
            final Entry e = new Entry(time, order, handle, action);
            queue.add(e);
            pending.put(handle, e);
        }

        @Override
        public long now() {
            return now;
        }

        @Override
        public void at(final int handle, final long time, final Runnable action) {
            add(handle, time, sequence++, action);
        }

        @Override
        public void after(final int handle, final long delay, final Runnable action) {
            add(handle, now + delay, sequence++, action);
        }

        @Override
        public void atReserved(final int handle, final long time, final long reservation, final Runnable action) {
            add(handle, time, reservation, action);
        }

        @Override
        public void schedule(final int handle, final long delay, final Runnable action) {
            add(handle, now + delay, TIMER_BAND | sequence++, action);
        }

        @Override
        public long reserve() {
            return sequence++;
        }

        @Override
        public void cancel(final int handle) {
            final Entry e = pending.remove(handle);
            if (e != null) {
                queue.remove(e);
            }
        }

        @Override
        public boolean isScheduled(final int handle) {
            return pending.containsKey(handle);
        }

        @Override
        public void stop() {
            stopped = true;
        }

        @Override
        public boolean runUntil(final long end) {
            stopped = false;
            while (!stopped && !queue.isEmpty() && queue.first().time() <= end) {
                final Entry e = queue.pollFirst();
                pending.remove(e.handle());
                now = e.time();
                e.action().run();
            }
            if (!stopped && end != Long.MAX_VALUE && end > now) {
                now = end;
            }
            return !queue.isEmpty();
        }

        @Override
        public int pending() {
            return queue.size();
        }
    }

    /** One random script, played on one {@link Sim}; every decision depends only on the seed and what fired. */
    private static final class Script {
        private final Sim sim;
        private final SplittableRandom random;
        private final List<String> log = new ArrayList<>();
        private final List<Integer> worldHandles = new ArrayList<>();
        private final List<Integer> timerHandles = new ArrayList<>();
        private final List<Long> reservations = new ArrayList<>();
        private int handles;
        private int scheduled;

        Script(final Sim sim, final long seed) {
            this.sim = sim;
            this.random = new SplittableRandom(seed);
        }

        List<String> play() {
            for (int i = 0; i < 30; i++) {
                act("outside");
            }
            for (int chunk = 0; chunk < 60; chunk++) {
                final long end = random.nextInt(8) == 0 ? Long.MAX_VALUE : sim.now() + delay();
                final boolean more = sim.runUntil(end);
                log.add("run to " + end + ": now " + sim.now() + ", pending " + sim.pending() + ", more " + more);
                for (int i = random.nextInt(4); i > 0; i--) {
                    act("outside");
                }
            }
            final boolean more = sim.runUntil(Long.MAX_VALUE);
            log.add("drained: now " + sim.now() + ", pending " + sim.pending() + ", more " + more);
            return log;
        }

        private long delay() {
            return switch (random.nextInt(8)) {
                case 0, 1, 2 -> 0;
                case 3 -> random.nextInt(3);
                case 4 -> random.nextLong(1L << EventLoop.SLOT_BITS);
                case 5 -> (1L << EventLoop.SLOT_BITS) * (1 + random.nextInt(3)) - sim.now() % (1L << EventLoop.SLOT_BITS);
                case 6 -> random.nextLong(3_000_000_000L);
                default -> random.nextLong(80_000_000_000L);
            };
        }

        private Runnable firing(final int handle, final boolean timer) {
            return () -> {
                log.add((timer ? "t" : "w") + handle + "@" + sim.now());
                for (int i = random.nextInt(5); i > 0; i--) {
                    act(timer ? "timer" : "world");
                }
                if (random.nextInt(40) == 0) {
                    sim.stop();
                    log.add("stop after " + handle);
                }
            };
        }

        /** One random action, from outside the run, a world event or a timer. */
        private void act(final String from) {
            final boolean inWorld = "world".equals(from);
            switch (random.nextInt(9)) {
                case 0 -> {
                    if (scheduled < MAX_EVENTS) {
                        final int h = newWorld();
                        sim.after(h, delay(), firing(h, false));
                    }
                }
                case 1 -> {
                    if (scheduled < MAX_EVENTS) {
                        final int h = newWorld();
                        sim.at(h, sim.now() + delay(), firing(h, false));
                    }
                }
                case 2 -> {
                    if (scheduled < MAX_EVENTS) {
                        final int h = handles++;
                        timerHandles.add(h);
                        scheduled++;
                        sim.schedule(h, delay(), firing(h, true));
                    }
                }
                case 3 -> {
                    final long r = sim.reserve();
                    if (scheduled < MAX_EVENTS && random.nextBoolean()) {
                        final int h = newWorld();
                        sim.atReserved(h, sim.now() + delay(), r, firing(h, false));
                    } else {
                        reservations.add(r); // each reservation is used once, as a worm's turn is
                    }
                }
                case 4 -> {
                    if (scheduled < MAX_EVENTS && !reservations.isEmpty()) {
                        final long r = reservations.remove(random.nextInt(reservations.size()));
                        long d = delay();
                        if (d == 0 && inWorld) {
                            d = 1; // an old reservation at the instant of a world event being fired is the past
                        }
                        final int h = newWorld();
                        sim.atReserved(h, sim.now() + d, r, firing(h, false));
                    }
                }
                case 5, 6 -> {
                    final List<Integer> from2 = random.nextBoolean() ? worldHandles : timerHandles;
                    if (!from2.isEmpty()) {
                        sim.cancel(from2.get(random.nextInt(from2.size())));
                    }
                }
                case 7 -> {
                    // reuse an event that fired or was cancelled, as actors do (a worm, an open loop)
                    if (scheduled < MAX_EVENTS && !worldHandles.isEmpty()) {
                        final int h = worldHandles.get(random.nextInt(worldHandles.size()));
                        final boolean isScheduled = sim.isScheduled(h);
                        log.add("w" + h + (isScheduled ? " scheduled" : " idle"));
                        if (!isScheduled) {
                            scheduled++;
                            if (random.nextBoolean()) {
                                sim.after(h, delay(), firing(h, false));
                            } else {
                                final long r = sim.reserve();
                                sim.atReserved(h, sim.now() + delay(), r, firing(h, false));
                            }
                        }
                    }
                }
                default -> log.add(from + " pending " + sim.pending());
            }
        }

        private int newWorld() {
            final int h = handles++;
            worldHandles.add(h);
            scheduled++;
            return h;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
        26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40})
    void firesWhatTheReferenceFires(final long seed) {
        final List<String> expected = new Script(new Reference(), seed).play();
        final List<String> actual = new Script(new Real(), seed).play();
        final int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                assertEquals(String.join("\n", expected.subList(Math.max(0, i - 8), Math.min(expected.size(), i + 3))),
                        String.join("\n", actual.subList(Math.max(0, i - 8), Math.min(actual.size(), i + 3))),
                        "seed " + seed + ": line " + i + " differs");
            }
        }
        assertEquals(expected.size(), actual.size(), "seed " + seed + ": length");
        final long fired = expected.stream().filter(line -> line.matches("[wt][0-9]+@[0-9]+")).count();
        assertEquals(true, fired > 200, "the script fired " + fired + " events");
    }
}
