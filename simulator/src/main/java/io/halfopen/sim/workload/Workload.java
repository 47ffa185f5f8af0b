package io.halfopen.sim.workload;

import io.halfopen.sim.spec.Spec;

/**
 * A source of connect attempts on one simulated host: a generator (a desktop, a mail burst, a crawler, a
 * scanner) or a trace. Several workloads on one host make a mix; each is a stream of its own in the metrics.
 *
 * <p>A workload is an immutable description; {@link #start} begins one run of it. The same workload started
 * with the same random source submits the same attempts at the same instants, whatever the policy, as far as
 * it does not react to outcomes (closed-loop workloads, such as a worm's threads, submit when earlier attempts
 * end, which the policy decides).
 */
public interface Workload {

    /**
     * Returns the spec that names this workload in reports.
     *
     * @return the spec
     */
    Spec spec();

    /**
     * Whether the workload is benign: what a policy delays of it is a cost, not a gain.
     *
     * @return {@code true} for benign workloads, {@code false} for scanners
     */
    boolean benign();

    /**
     * Whether the workload ends by itself (a trace, a mail burst); an endless one needs a duration.
     *
     * @return {@code true} if it submits finitely many attempts
     */
    boolean finite();

    /**
     * Begins a run: schedules the workload's first events on the context's loop.
     *
     * @param context the host, clock, random source and stream id of this run
     */
    void start(WorkloadContext context);
}
