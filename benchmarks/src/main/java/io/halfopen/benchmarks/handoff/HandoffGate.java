package io.halfopen.benchmarks.handoff;

import java.util.List;

/** A semaphore under saturation: hands out {@link Lane}s, and checks itself at the end of a trial. */
public interface HandoffGate {

    /**
     * Creates a lane that starts {@code depth} attempts now; those that find no free permit wait.
     *
     * @param depth attempts this lane keeps outstanding
     * @return the lane, to be cycled by one thread only
     */
    Lane newLane(int depth);

    /**
     * Called once every thread has stopped: releases every permit the lanes hold or are granted, checks that
     * the semaphore is back to {@code limit} free permits with nobody queued, and, where a single thread can
     * drive it, checks FIFO order on the same instance. Throws if a check fails.
     *
     * @param lanes every lane created
     * @param limit the number of permits
     */
    void finish(List<Lane> lanes, int limit);
}
