package io.halfopen.sim.workload;

import io.halfopen.sim.engine.EventLoop;
import io.halfopen.sim.host.SimHost;
import java.util.SplittableRandom;

/**
 * What a workload gets for one run.
 *
 * @param host   the host it runs on
 * @param random its own random source, seeded from the run's seed and the workload's position
 * @param stream its stream id in the host's metrics
 * @param end    when it stops submitting, virtual nanoseconds ({@link Long#MAX_VALUE}: when it runs out)
 */
public record WorkloadContext(SimHost host, SplittableRandom random, int stream, long end) {

    /**
     * Returns the simulation's clock.
     *
     * @return the loop
     */
    public EventLoop loop() {
        return host.loop();
    }
}
