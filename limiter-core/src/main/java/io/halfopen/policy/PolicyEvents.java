package io.halfopen.policy;

/**
 * Where a gate raises its {@link PolicyEvent}s: the limiter's log and listeners, in production and in the
 * simulator alike. A gate raises an event outside any lock of its own, on the thread that made the decision
 * (an exit, a timer); the receiver must be quick and must not throw (the limiter's does neither: it logs, and
 * catches what a listener throws).
 */
@FunctionalInterface
public interface PolicyEvents {

    /**
     * Reports an event.
     *
     * @param event what happened
     */
    void raise(PolicyEvent event);

    /**
     * Returns a receiver that drops every event, for a gate made outside a limiter.
     *
     * @return the receiver that does nothing
     */
    static PolicyEvents none() {
        return event -> {
        };
    }
}
