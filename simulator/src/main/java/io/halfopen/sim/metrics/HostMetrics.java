package io.halfopen.sim.metrics;

import io.halfopen.sim.engine.EventLoop;
import io.halfopen.sim.host.Connect;
import io.halfopen.sim.host.Ending;
import io.halfopen.sim.host.HostRecorder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The metrics of one simulated host: per stream and in total (see {@link StreamMetrics}), and the queue as the
 * simulator sees it: its length now, its peak, and when it first reached each length (which is how "the delay
 * queue reaches 100 at t = 0.25 s" is checked). Not thread-safe; one per run.
 */
public final class HostMetrics implements HostRecorder {

    private final EventLoop loop;
    private final List<StreamInfo> streams;
    private final StreamMetrics[] perStream;
    private final StreamMetrics total;
    private final java.util.Set<Connect> benignWaiting =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private long[] firstReached = new long[64];
    private int queued;
    private int peakQueued;

    /**
     * Creates the metrics of a host.
     *
     * @param loop    the simulation's clock
     * @param streams the parts of its workload, by stream id (the index)
     */
    public HostMetrics(final EventLoop loop, final List<StreamInfo> streams) {
        this.loop = loop;
        this.streams = List.copyOf(streams);
        this.perStream = new StreamMetrics[streams.size()];
        for (int i = 0; i < perStream.length; i++) {
            perStream[i] = new StreamMetrics();
        }
        this.total = new StreamMetrics(List.of(perStream));
    }

    @Override
    public void submitted(final Connect c) {
        perStream[c.stream()].countSubmitted();
        total.countSubmitted();
    }

    @Override
    public void queued(final Connect c) {
        if (streams.get(c.stream()).benign()) {
            benignWaiting.add(c);
        }
        queued++;
        if (queued > peakQueued) {
            peakQueued = queued;
            if (peakQueued >= firstReached.length) {
                firstReached = Arrays.copyOf(firstReached, firstReached.length * 2);
            }
            firstReached[peakQueued] = loop.nanoTime();
        }
    }

    @Override
    public void granted(final Connect c) {
        if (c.waited()) {
            queued--;
            benignWaiting.remove(c);
        }
        perStream[c.stream()].granted(c);
        total.granted(c);
    }

    @Override
    public void ended(final Connect c, final Ending ending) {
        if (!ending.wentOut() && c.waited()) {
            queued--;
            benignWaiting.remove(c);
        }
        perStream[c.stream()].ended(c, ending, loop.nanoTime());
        total.ended(c, ending, loop.nanoTime());
    }

    /**
     * Ends the measurement: every benign attempt still queued counts in its stream's queue-wait histogram with
     * its wait so far (a lower bound), so that benign traffic starved behind a scanner shows. Called once, when
     * the run ends.
     */
    public void finish() {
        final long now = loop.nanoTime();
        for (final Connect c : benignWaiting) {
            perStream[c.stream()].stillWaiting(now - c.submittedAt());
        }
        benignWaiting.clear();
    }

    /**
     * Returns one stream's metrics.
     *
     * @param stream the stream id
     * @return its metrics
     */
    public StreamMetrics stream(final int stream) {
        return perStream[stream];
    }

    /**
     * Returns the streams.
     *
     * @return the streams, by id
     */
    public List<StreamInfo> streams() {
        return streams;
    }

    /**
     * Returns the metrics of every stream together.
     *
     * @return the totals
     */
    public StreamMetrics total() {
        return total;
    }

    /**
     * Returns the metrics of the benign streams together, or {@code null} if there are none: the attempts whose
     * added delay is the policy's cost.
     *
     * @return the benign streams' metrics, merged, or {@code null}
     */
    public List<StreamMetrics> benign() {
        final List<StreamMetrics> out = new ArrayList<>();
        for (int i = 0; i < perStream.length; i++) {
            if (streams.get(i).benign()) {
                out.add(perStream[i]);
            }
        }
        return out;
    }

    /**
     * Returns how many attempts wait for a slot now, as the simulator counts them.
     *
     * @return the queue length
     */
    public int queued() {
        return queued;
    }

    /**
     * Returns the longest the queue has been.
     *
     * @return the peak
     */
    public int peakQueued() {
        return peakQueued;
    }

    /**
     * Returns when the queue first held {@code length} attempts, or -1 if it never did.
     *
     * @param length at least 1
     * @return virtual nanoseconds, or -1
     */
    public long firstReached(final int length) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be >= 1, was " + length);
        }
        return length <= peakQueued ? firstReached[length] : -1;
    }
}
