package io.halfopen.jdk;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits for a condition that another thread makes true: a deadline, never a bare sleep. */
final class Await {

    private Await() {
    }

    static void until(final BooleanSupplier condition, final Duration within, final Supplier<String> what) {
        final long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + within + ": " + what.get());
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    /** Lets time pass that a scenario needs to pass (a budget to eat, a SYN to leave): not a wait for an event. */
    static void elapse(final Duration duration) {
        final long deadline = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    static void until(final BooleanSupplier condition, final Supplier<String> what) {
        until(condition, Duration.ofSeconds(10), what);
    }
}
