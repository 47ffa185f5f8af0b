package io.halfopen.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The wheel's own thread, on system time: what a task run on it may do to the thread without taking the wheel
 * down with it. Each test starts a wheel of its own (the shared one serves the whole test JVM).
 */
class TimerWheelThreadTest {

    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(10); // generous: a loaded machine

    @Test
    void aTaskThatInterruptsTheWheelsThreadLeavesItParkedWhileIdleNotSpinning() throws Exception {
        final TimerWheel wheel = TimerWheel.start("interrupt-test-timer", Duration.ofMillis(1));
        final AtomicReference<Thread> wheelThread = new AtomicReference<>();
        final CountDownLatch fired = new CountDownLatch(1);
        // A listener that restores an interrupt it caught, as well-behaved blocking code does.
        wheel.schedule(() -> {
            wheelThread.set(Thread.currentThread());
            Thread.currentThread().interrupt();
            fired.countDown();
        }, 0, TimeUnit.MILLISECONDS);
        assertTrue(fired.await(10, TimeUnit.SECONDS), "the task never ran");
        final Thread thread = wheelThread.get();
        assertTrue(thread.isDaemon(), "a wheel's thread keeps the JVM from exiting");
        final long until = System.nanoTime() + BOUND_NANOS;
        while (!(wheel.isIdle() && thread.getState() == Thread.State.WAITING) && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        // An idle wheel's thread is parked without a timeout; one that spins is RUNNABLE nearly all the time.
        final List<Thread.State> states = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            states.add(thread.getState());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // sampling over 100 ms, not waiting for a state
        }
        assertTrue(wheel.isIdle(), "nothing is armed, yet the wheel is not idle");
        assertTrue(states.stream().noneMatch(s -> s == Thread.State.RUNNABLE),
                "the idle wheel's thread was running (spinning on its interrupt flag): " + states);

        // and it still fires what is armed later, on time
        final CountDownLatch later = new CountDownLatch(1);
        final long armedAt = System.nanoTime();
        final long[] firedAt = new long[1];
        wheel.schedule(() -> {
            firedAt[0] = System.nanoTime();
            later.countDown();
        }, 20, TimeUnit.MILLISECONDS);
        assertTrue(later.await(10, TimeUnit.SECONDS), "a timer armed after the interrupt never fired");
        assertTrue(firedAt[0] - armedAt >= TimeUnit.MILLISECONDS.toNanos(20), "fired early");
    }

    @Test
    void aTaskThatCannotEvenBeLoggedDoesNotStopTheWheel() throws Exception {
        final TimerWheel wheel = TimerWheel.start("unloggable-test-timer", Duration.ofMillis(1));
        final AtomicReference<Thread> wheelThread = new AtomicReference<>();
        wheel.schedule(() -> {
            wheelThread.set(Thread.currentThread());
            throw new Unprintable();
        }, 0, TimeUnit.MILLISECONDS);
        final CountDownLatch later = new CountDownLatch(1);
        wheel.schedule(later::countDown, 30, TimeUnit.MILLISECONDS);
        assertTrue(later.await(10, TimeUnit.SECONDS), "a timer armed before, due after the throw, never fired");
        assertNotEquals(null, wheelThread.get());
        assertTrue(wheelThread.get().isAlive(), "the wheel's thread died");
        final CountDownLatch afterwards = new CountDownLatch(1);
        wheel.schedule(afterwards::countDown, 1, TimeUnit.MILLISECONDS);
        assertTrue(afterwards.await(10, TimeUnit.SECONDS), "a timer armed after the throw never fired");
        assertEquals(0, wheel.placedNodes());
    }

    /** An exception whose message cannot be computed: logging it (printing its stack trace) throws too. */
    static final class Unprintable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unprintable() {
            super(null, null, false, false);
        }

        @Override
        public String getMessage() {
            throw new IllegalStateException("a message that cannot be computed (expected in this test)");
        }
    }
}
