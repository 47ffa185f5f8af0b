package io.halfopen.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.TimerWheelTest.Probe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link TimerWheel#armAt}: arming at a deadline read on the wheel's own clock, without the wheel reading it again
 * (the limiter arms an attempt's half-open timer from its grant's reading). The same contract as {@code arm}: never
 * early, at most one tick late, armed once at a time.
 */
class TimerWheelArmAtTest {

    private static final long MS = 1_000_000L;

    private final VirtualClock clock = new VirtualClock(1_000 * MS);
    private final TimerWheel wheel = TimerWheel.onClock(clock, Duration.ofMillis(10));

    @Test
    void aNodeArmedAtADeadlineFiresAtTheFirstTickAtOrAfterItNeverBefore() {
        final Probe probe = new Probe(clock);
        final long deadline = clock.nanoTime() + 25 * MS;
        clock.advance(5, TimeUnit.MILLISECONDS); // the deadline was read before: it counts from then, not from now
        wheel.armAt(probe, deadline);
        clock.advance(19, TimeUnit.MILLISECONDS);
        assertEquals(List.of(), probe.expiredAt, "fired before its deadline");
        clock.advance(20, TimeUnit.MILLISECONDS);
        assertEquals(1, probe.expiredAt.size());
        final long late = probe.expiredAt.get(0) - deadline;
        assertTrue(late >= 0 && late <= 10 * MS, "fired " + late + " ns after its deadline, precision 10 ms");
    }

    @Test
    void aDeadlineAlreadyPastFiresAtTheNextTick() {
        final Probe probe = new Probe(clock);
        wheel.armAt(probe, clock.nanoTime() - 3 * MS);
        clock.advance(10, TimeUnit.MILLISECONDS);
        assertEquals(1, probe.expiredAt.size());
    }

    @Test
    void aNodeArmedAtADeadlineIsArmedOnceAtATimeAndDisarmsAsAnyOther() {
        final Probe probe = new Probe(clock);
        wheel.armAt(probe, clock.nanoTime() + 50 * MS);
        assertThrows(IllegalStateException.class, () -> wheel.armAt(probe, clock.nanoTime() + 60 * MS));
        assertTrue(probe.takeBack());
        clock.advance(100, TimeUnit.MILLISECONDS);
        assertEquals(List.of(), probe.expiredAt, "a disarmed node fired");
    }
}
