package io.halfopen.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;

/** For tests of the trace itself: it must run where it is required (CI), and they are skipped elsewhere. */
final class Tracing {

    private Tracing() {
    }

    /** Skips the test where the trace cannot run, unless {@link KernelJudge#mode()} requires it (then fails). */
    static void require() {
        final Optional<String> missing = KernelJudge.traceUnavailableBecause();
        if (missing.isEmpty()) {
            return;
        }
        if (KernelJudge.mode() == JudgeMode.TRACE) {
            fail("the kernel trace is required here (" + KernelJudge.mode() + ") and cannot run: " + missing.get());
        }
        assumeTrue(false, "the kernel trace cannot run here: " + missing.get());
    }
}
