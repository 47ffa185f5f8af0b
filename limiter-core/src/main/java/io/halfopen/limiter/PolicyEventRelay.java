package io.halfopen.limiter;

import io.halfopen.policy.PolicyEvent;
import io.halfopen.policy.PolicyListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a limiter's gate reports its {@link PolicyEvent}s: one WARN log line each, then every
 * {@link LimiterListener#policyEvent}. A listener that throws is logged and never disturbs the gate.
 *
 * <p>Thread-safe: immutable; runs on the gate's calling thread. The listeners are the limiter's at the time of each
 * event, those added to the built limiter included (one volatile read of {@link LimitEvents}' array).
 */
final class PolicyEventRelay implements PolicyListener {

    private static final Logger LOG = LoggerFactory.getLogger(HalfOpenLimiter.class);

    private final String limiterName;
    private final LimitEvents events;

    /** @param events whose listeners hear the policy's events: those registered when each event is raised */
    PolicyEventRelay(final String limiterName, final LimitEvents events) {
        this.limiterName = limiterName;
        this.events = events;
    }

    @Override
    public void policyEvent(final PolicyEvent event) {
        LOG.warn("{} [halfopen limiter '{}', policy {}]", event.description(), limiterName, event.policy());
        for (final LimiterListener listener : events.listeners()) {
            try {
                listener.policyEvent(event);
            } catch (final Throwable t) {
                LOG.error("LimiterListener.policyEvent threw", t);
            }
        }
    }
}
