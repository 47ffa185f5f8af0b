package io.halfopen.limiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Property-based, in virtual time: for any schedule of episodes (gaps from 0 to several intervals, bursts and
 * calm), the paced events account for every episode exactly once, are at least one interval apart, and
 * report each episode at most one interval after it began; an episode after a calm interval is raised at once.
 */
class LimitEventPacerProperties {

    record Raised(long nanoTime, long episodes) {
    }

    @Provide
    Arbitrary<List<Long>> gaps() {
        final Arbitrary<Long> gap = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(0, 1_000)),           // a burst
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(1_000, 2_000_000)),   // within an interval
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(2_000_000, 50_000_000))); // calm
        return gap.list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 300)
    void everyEpisodeIsInExactlyOneEventAndEventsAreAnIntervalApart(@ForAll("gaps") final List<Long> gaps,
            @ForAll @LongRange(min = 1, max = 10_000_000) final long interval) {
        final VirtualClock clock = new VirtualClock(7_000_000_000L);
        final List<Raised> raised = new ArrayList<>();
        final LimitEventPacer pacer = new LimitEventPacer(interval, clock, clock,
                (remote, queued, episodes) -> raised.add(new Raised(clock.nanoTime(), episodes)));
        final InetSocketAddress remote = Addresses.remote(1);
        final List<Long> startedAt = new ArrayList<>();
        long lastRaisedAt = Long.MIN_VALUE;
        for (final long gap : gaps) {
            clock.advance(gap, java.util.concurrent.TimeUnit.NANOSECONDS);
            final boolean calm = raised.isEmpty() || clock.nanoTime() - lastRaisedAt >= interval;
            final int before = raised.size();
            startedAt.add(clock.nanoTime());
            pacer.episode(remote, 1);
            if (calm && clock.pendingTasks() == 0) {
                assertEquals(before + 1, raised.size(), "an episode after a calm interval is raised at once");
            }
            if (!raised.isEmpty()) {
                lastRaisedAt = raised.get(raised.size() - 1).nanoTime();
            }
        }
        clock.advance(interval, java.util.concurrent.TimeUnit.NANOSECONDS); // the last window ends

        long covered = 0;
        for (int i = 0; i < raised.size(); i++) {
            final Raised event = raised.get(i);
            assertTrue(event.episodes() >= 1);
            final long firstEpisode = startedAt.get((int) covered);
            assertTrue(event.nanoTime() - firstEpisode <= interval,
                    "event " + i + " came " + (event.nanoTime() - firstEpisode) + " ns after its first episode");
            covered += event.episodes();
            if (i > 0) {
                assertTrue(event.nanoTime() - raised.get(i - 1).nanoTime() >= interval,
                        "events " + (i - 1) + " and " + i + " are closer than the interval: " + raised);
            }
        }
        assertEquals(gaps.size(), covered, "the events' episodes add up to the episodes");
        assertEquals(0, clock.pendingTasks(), "no timer is left armed");
    }
}
