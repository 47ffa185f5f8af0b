package io.halfopen.agent;

import io.halfopen.agent.limit.AgentHooks;
import io.halfopen.agent.log.AgentLog;
import io.halfopen.agent.weave.ConnectPath;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.session.InboundSessionLimiter;
import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.JMException;
import javax.management.ObjectName;

/** The agent's {@link HalfOpenLimiterMXBean}, registered in the platform MBean server. Thread-safe. */
final class AgentMBean implements HalfOpenLimiterMXBean {

    /** The MBean's name. (The shade plugin leaves it alone: it relocates limiter-core's package names only.) */
    static final String OBJECT_NAME = "io.halfopen:type=HalfOpenLimiter";

    private final HalfOpenLimiter limiter;
    private final HalfOpenLimiter counting;
    private final InboundSessionLimiter sessions;
    private final AgentHooks hooks;
    private final String[] limitedPaths;
    private final String[] countedPaths;
    private final AgentOptions options;

    private AgentMBean(final HalfOpenLimiter limiter, final HalfOpenLimiter counting,
            final InboundSessionLimiter sessions, final AgentHooks hooks, final Set<ConnectPath> limited,
            final Set<ConnectPath> counted, final AgentOptions options) {
        this.limiter = limiter;
        this.counting = counting;
        this.sessions = sessions;
        this.hooks = hooks;
        this.limitedPaths = limited.stream().map(ConnectPath::id).toArray(String[]::new);
        this.countedPaths = counted.stream().map(ConnectPath::id).toArray(String[]::new);
        this.options = options;
    }

    /** Registers the MBean; returns its name, or a note saying why it is not there. */
    static String register(final HalfOpenLimiter limiter, final HalfOpenLimiter counting,
            final InboundSessionLimiter sessions, final AgentHooks hooks, final Set<ConnectPath> limited,
            final Set<ConnectPath> counted, final AgentOptions options) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(
                    new AgentMBean(limiter, counting, sessions, hooks, limited, counted, options),
                    new ObjectName(OBJECT_NAME));
            return OBJECT_NAME;
        } catch (final JMException | RuntimeException e) {
            AgentLog.log(System.Logger.Level.WARNING, "cannot register the MBean " + OBJECT_NAME + ": " + e);
            return "(no MBean: " + e + ")";
        }
    }

    private LimiterStats stats() {
        return limiter.stats();
    }

    @Override
    public String getProfile() {
        return options.profile.name();
    }

    @Override
    public int getMaxHalfOpen() {
        return limiter.maxHalfOpen();
    }

    @Override
    public long getHalfOpenTimeoutMillis() {
        return limiter.halfOpenTimeout().toMillis();
    }

    @Override
    public int getHalfOpen() {
        return stats().halfOpen();
    }

    @Override
    public int getQueued() {
        return stats().queued();
    }

    @Override
    public int getHeldNonBlockingConnects() {
        return hooks.heldNonBlockingConnects();
    }

    @Override
    public int getPeakHalfOpen() {
        return stats().peakHalfOpen();
    }

    @Override
    public int getPeakQueued() {
        return stats().peakQueued();
    }

    @Override
    public long getGranted() {
        return stats().granted();
    }

    @Override
    public long getThrottled() {
        return stats().throttled();
    }

    @Override
    public long getEstablished() {
        return stats().established();
    }

    @Override
    public long getRefused() {
        return stats().refused();
    }

    @Override
    public long getFailed() {
        return stats().failed();
    }

    @Override
    public long getTimedOut() {
        return stats().timedOut();
    }

    @Override
    public long getCancelled() {
        return stats().cancelled();
    }

    @Override
    public long getQueueTimeouts() {
        return stats().queueTimeouts();
    }

    @Override
    public long getLimitReachedEvents() {
        return stats().limitReachedEvents();
    }

    @Override
    public long getCountedOnlyAttempts() {
        return counting.stats().granted();
    }

    @Override
    public String[] getLimitedPaths() {
        return limitedPaths.clone();
    }

    @Override
    public String[] getCountedOnlyPaths() {
        return countedPaths.clone();
    }

    @Override
    public int getMaxInboundSessions() {
        return sessions == null ? 0 : sessions.maxSessions();
    }

    @Override
    public int getInboundSessions() {
        return sessions == null ? 0 : sessions.stats().sessions();
    }

    @Override
    public long getInboundRefused() {
        return sessions == null ? 0 : sessions.stats().refused();
    }
}
