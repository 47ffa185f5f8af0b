package io.halfopen.benchmarks;

/**
 * One semaphore under test, seen as the op the acquire/release benchmarks time: take a permit without
 * waiting, give it back. Created by {@link AcquireReleaseType}.
 */
public interface AcquireRelease {

    /**
     * Takes a permit if one is free and returns it at once.
     *
     * @return a value for JMH to consume: 1 if a permit was taken and returned, 0 if none was free (the floor
     *         returns the sum of its two old values instead)
     */
    int acquireRelease();

    /**
     * Returns the number of free permits, for the tear-down check that every permit came back.
     *
     * @return free permits now
     */
    int available();
}
