package io.halfopen.sim.run;

import io.halfopen.sim.host.HostOptions;
import io.halfopen.sim.spec.Spec;
import io.halfopen.sim.workload.Workload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One simulation of one host: a policy, the workloads it runs together, for how long, with which seed.
 *
 * @param policy    the policy's spec
 * @param workloads the workloads (several make a mix)
 * @param duration  how long the workloads submit; {@code null} to run until every workload has run out
 * @param seed      the seed
 * @param options   the limiter's options and the stack
 * @param sweep     the swept parameters' values in this run, for reports (empty without a sweep)
 */
public record HostRun(Spec policy, List<Workload> workloads, Duration duration, long seed, HostOptions options,
        Map<String, String> sweep) {

    /**
     * Validates.
     *
     * @param policy see the record's description
     * @param workloads see the record's description
     * @param duration see the record's description
     * @param seed see the record's description
     * @param options see the record's description
     * @param sweep see the record's description
     */
    public HostRun {
        Objects.requireNonNull(policy, "policy");
        workloads = List.copyOf(workloads);
        Objects.requireNonNull(options, "options");
        sweep = Map.copyOf(sweep);
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("a host needs at least one workload");
        }
        if (duration == null) {
            for (final Workload w : workloads) {
                if (!w.finite()) {
                    throw new IllegalArgumentException("workload " + w.spec() + " never runs out: give a duration");
                }
            }
        } else if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, was " + duration);
        }
    }
}
