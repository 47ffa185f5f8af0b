package io.halfopen.limiter;

/** How often the limiter raises its event 4226 ("the security limit ... has been reached"). */
public enum LimitEventMode {
    /**
     * Once per throttling episode (the default): from the first attempt that has to queue until the queue is
     * empty again. XP's own frequency is undocumented; this keeps the log readable during a storm.
     */
    ONCE_PER_EPISODE,
    /** For every attempt that has to queue. */
    EVERY_THROTTLED_ATTEMPT,
    /** Never: no listener call, log line or JFR event. Stats still count throttled attempts. */
    NEVER
}
