package io.halfopen.policy;

/**
 * Receives a gate's {@link PolicyEvent}s. Called on the thread that caused the event (an attempt's, a
 * timer's), never under the gate's lock; it must be quick and must not throw (the limiter's own listener logs
 * and swallows what its listeners throw).
 */
@FunctionalInterface
public interface PolicyListener {

    /** A listener that ignores every event. */
    PolicyListener NONE = event -> { };

    /**
     * Receives one event.
     *
     * @param event what the gate reports
     */
    void policyEvent(PolicyEvent event);
}
