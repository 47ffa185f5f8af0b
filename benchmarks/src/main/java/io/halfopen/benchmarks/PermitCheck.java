package io.halfopen.benchmarks;

/** Tear-down checks shared by the benchmarks: a failed check throws, and JMH fails the run. */
final class PermitCheck {

    private PermitCheck() {
    }

    static void allBack(final Object what, final AcquireRelease semaphore, final int permits) {
        equal(what, "free permits after the trial", permits, semaphore.available());
    }

    static void equal(final Object what, final String quantity, final long expected, final long actual) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": " + quantity + " = " + actual + ", expected " + expected);
        }
    }
}
