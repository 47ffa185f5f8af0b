package io.halfopen.sim.trace;

import io.halfopen.sim.engine.Event;
import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.ConnectOwner;
import io.halfopen.sim.spec.Spec;
import io.halfopen.sim.workload.Workload;
import io.halfopen.sim.workload.WorkloadContext;
import java.util.List;

/**
 * Replays a trace: each record is submitted at its instant, to its destination, and answered as recorded
 * after its recorded RTT (a drop waits for the stack's give-up). Benign unless told otherwise.
 */
public final class TraceWorkload implements Workload {

    private final Spec spec;
    private final Trace trace;
    private final boolean benign;

    /**
     * Creates the workload.
     *
     * @param format the trace's format, for its spec
     * @param trace  the trace
     * @param benign whether its traffic is benign
     */
    public TraceWorkload(final TraceFormat format, final Trace trace, final boolean benign) {
        this.spec = Spec.of("trace").with("format", format.word()).with("file", trace.source());
        this.trace = trace;
        this.benign = benign;
    }

    /**
     * Returns the trace.
     *
     * @return the trace
     */
    public Trace trace() {
        return trace;
    }

    @Override
    public Spec spec() {
        return spec;
    }

    @Override
    public boolean benign() {
        return benign;
    }

    @Override
    public boolean finite() {
        return true;
    }

    @Override
    public void start(final WorkloadContext context) {
        final List<TraceRecord> records = trace.records();
        if (records.isEmpty()) {
            return;
        }
        new Event() {
            private int next;

            @Override
            protected void fire() {
                final long now = context.loop().nanoTime();
                while (next < records.size() && records.get(next).timeNanos() == now) {
                    final TraceRecord r = records.get(next++);
                    new Connect(context.host(), ConnectOwner.NONE, context.random()).submit(r.remote(), r.outcome(),
                            Math.max(1, r.rttNanos()), 0, context.stream());
                }
                if (next < records.size() && records.get(next).timeNanos() <= context.end()) {
                    context.loop().at(this, records.get(next).timeNanos());
                }
            }

            Event begin() {
                if (records.get(0).timeNanos() <= context.end()) {
                    context.loop().at(this, records.get(0).timeNanos());
                }
                return this;
            }
        }.begin();
    }
}
