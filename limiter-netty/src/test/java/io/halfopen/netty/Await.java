package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Test helper: waits for a condition with a deadline, polling every millisecond; never sleeps blindly. */
final class Await {

    private Await() {
    }

    static void until(final String what, final BooleanSupplier condition) {
        until(what, Duration.ofSeconds(10), condition);
    }

    static void until(final String what, final Duration timeout, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout + " waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
