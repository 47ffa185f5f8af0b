package io.halfopen.sim.host;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenLimiterBuilder;
import io.halfopen.limiter.LimitEventMode;
import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.sim.engine.EventLoop;
import io.halfopen.sim.net.TcpModel;
import java.util.Objects;

/**
 * One simulated host: a real {@link HalfOpenLimiter} with the policy under test, on the simulation's
 * {@link EventLoop} as ticker and scheduler, and the host's TCP stack ({@link TcpModel}). Its attempts are
 * {@link Connect}s. Confined to the simulation's thread.
 */
public final class SimHost {

    private final EventLoop loop;
    private final HalfOpenLimiter limiter;
    private final TcpModel tcp;
    private final HostRecorder recorder;

    /**
     * Creates a host.
     *
     * @param name     the limiter's name (in its log lines)
     * @param loop     the simulation's clock
     * @param policy   the policy under test
     * @param options  the limiter's options and the stack
     * @param recorder metrics, or {@link HostRecorder#NONE}
     */
    public SimHost(final String name, final EventLoop loop, final AdmissionPolicy policy, final HostOptions options,
            final HostRecorder recorder) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.tcp = options.tcp();
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        final HalfOpenLimiterBuilder builder = HalfOpenLimiter.builder()
                .name(name)
                .policy(policy)
                .ticker(loop)
                .scheduler(loop)
                .halfOpenTimeout(options.halfOpenTimeout())
                .maxQueued(options.maxQueued())
                .limitEvents(LimitEventMode.ONCE_PER_EPISODE);
        if (options.queueTimeout() != null) {
            builder.queueTimeout(options.queueTimeout());
        }
        this.limiter = builder.build();
    }

    /**
     * Returns the simulation's clock.
     *
     * @return the loop
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Returns the host's limiter: the production code under test.
     *
     * @return the limiter
     */
    public HalfOpenLimiter limiter() {
        return limiter;
    }

    /**
     * Returns the host's stack.
     *
     * @return the TCP model
     */
    public TcpModel tcp() {
        return tcp;
    }

    HostRecorder recorder() {
        return recorder;
    }
}
