package io.halfopen.it;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * What a privileged setup needs, checked before it starts. Under CI (the variable {@code CI=true}) a setup that
 * cannot run fails, so that a missing Docker engine or missing root can never pass as green; elsewhere it is
 * skipped with a message saying what is missing and how to get it.
 */
final class Requirements {

    private Requirements() {
    }

    /** @return whether this run is CI's, where nothing may be skipped */
    static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Fails under CI, skips elsewhere, unless the requirement holds.
     *
     * @param holds   whether it holds
     * @param missing what is missing, and how to get it
     */
    static void require(final boolean holds, final String missing) {
        if (holds) {
            return;
        }
        if (underCi()) {
            fail("CI=true, and this setup cannot run: " + missing);
        }
        Assumptions.assumeTrue(false, "skipped: " + missing);
    }
}
