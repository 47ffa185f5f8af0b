package io.halfopen.sim.run;

import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.sim.engine.EventLoop;
import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.Ending;
import io.halfopen.sim.host.HostRecorder;
import io.halfopen.sim.host.SimHost;
import io.halfopen.sim.metrics.HostMetrics;
import io.halfopen.sim.metrics.StreamInfo;
import io.halfopen.sim.policy.PolicyLookup;
import io.halfopen.sim.workload.Workload;
import io.halfopen.sim.workload.WorkloadContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one {@link HostRun}: a fresh {@link EventLoop}, one {@link SimHost} with the policy the lookup makes,
 * the workloads started with their own random sources (derived from the seed and their position, so every
 * policy sees the same open-loop arrivals), and the loop run to the end of the duration, or until nothing is
 * left to happen.
 */
public final class HostSimulation {

    private static final int PROGRESS_STEPS = 1000;

    private HostSimulation() {
    }

    /**
     * Runs a host simulation.
     *
     * @param run      what to simulate
     * @param lookup   where policies come from
     * @param progress told how far the run is
     * @return the measurements
     */
    public static HostResult run(final HostRun run, final PolicyLookup lookup, final Progress progress) {
        return run(run, lookup, progress, null);
    }

    /**
     * Runs a host simulation with one more recorder beside the metrics (a trace writer, a test's probe).
     *
     * @param run      what to simulate
     * @param lookup   where policies come from
     * @param progress told how far the run is
     * @param extra    another recorder, or {@code null}
     * @return the measurements
     */
    public static HostResult run(final HostRun run, final PolicyLookup lookup, final Progress progress,
            final HostRecorder extra) {
        final AdmissionPolicy policy = lookup.policy(run.policy());
        final EventLoop loop = new EventLoop();
        final List<StreamInfo> streams = new ArrayList<>();
        for (final Workload w : run.workloads()) {
            streams.add(new StreamInfo(w.spec().toString(), w.benign()));
        }
        final HostMetrics metrics = new HostMetrics(loop, streams);
        final SimHost host = new SimHost("sim-host", loop, policy, run.options(),
                extra == null ? metrics : new Both(metrics, extra));
        final long end = run.duration() == null ? Long.MAX_VALUE : run.duration().toNanos();
        for (int i = 0; i < run.workloads().size(); i++) {
            run.workloads().get(i).start(new WorkloadContext(host, Seeds.random(run.seed(), i), i, end));
        }
        if (end == Long.MAX_VALUE) {
            progress.begin(run.policy().toString(), 0);
            loop.runUntil(Long.MAX_VALUE);
        } else {
            progress.begin(run.policy().toString(), PROGRESS_STEPS);
            for (int step = 1; step <= PROGRESS_STEPS; step++) {
                loop.runUntil(step == PROGRESS_STEPS ? end : end / PROGRESS_STEPS * step);
                progress.advance(step);
            }
        }
        progress.end();
        metrics.finish();
        final long unfinished = metrics.total().submitted() - metrics.total().ended();
        return new HostResult(run, metrics, host.limiter().stats(), loop.nanoTime(), unfinished, loop.fired());
    }

    /** Two recorders, told in order. */
    private record Both(HostRecorder first, HostRecorder second) implements HostRecorder {
        @Override
        public void submitted(final Connect c) {
            first.submitted(c);
            second.submitted(c);
        }

        @Override
        public void queued(final Connect c) {
            first.queued(c);
            second.queued(c);
        }

        @Override
        public void granted(final Connect c) {
            first.granted(c);
            second.granted(c);
        }

        @Override
        public void ended(final Connect c, final Ending e) {
            first.ended(c, e);
            second.ended(c, e);
        }
    }
}
