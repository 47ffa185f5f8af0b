package io.halfopen.limiter;

import io.halfopen.policy.PolicyEvent;
import io.halfopen.policy.PolicyListener;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a limiter's gate reports its {@link PolicyEvent}s: one WARN log line each, then every
 * {@link LimiterListener#policyEvent}. A listener that throws is logged and never disturbs the gate.
 *
 * <p>Thread-safe: immutable; runs on the gate's calling thread.
 */
final class PolicyEventRelay implements PolicyListener {

    private static final Logger LOG = LoggerFactory.getLogger(HalfOpenLimiter.class);

    private final String limiterName;
    private final LimiterListener[] listeners;

    PolicyEventRelay(final String limiterName, final List<LimiterListener> listeners) {
        this.limiterName = limiterName;
        this.listeners = listeners.toArray(new LimiterListener[0]);
    }

    @Override
    public void policyEvent(final PolicyEvent event) {
        LOG.warn("{} [halfopen limiter '{}', policy {}]", event.description(), limiterName, event.policy());
        for (final LimiterListener listener : listeners) {
            try {
                listener.policyEvent(event);
            } catch (final Throwable t) {
                LOG.error("LimiterListener.policyEvent threw", t);
            }
        }
    }
}
