package io.halfopen.limiter;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JFR form of event 4226. Committed only when a recording enables it.
 *
 * <p>Loading this class registers it with JFR, which took 150–380 ms here on first use; on an event loop
 * that is a stall. {@link HalfOpenLimiter} therefore touches it only once the flight recorder is initialized
 * (some recording exists), when whoever started the recording has paid that cost.
 */
@Name("io.halfopen.LimitReached")
@Label("Half-Open Limit Reached (Event 4226)")
@Category({"halfopen"})
@Description("TCP/IP has reached the security limit imposed on the number of concurrent TCP connect attempts.")
@StackTrace(false)
final class LimitReachedJfrEvent extends Event {

    @Label("Remote Address")
    String remote;

    @Label("Queued Attempts")
    int queued;

    @Label("Max Half-Open")
    int maxHalfOpen;

    @Label("Event Id")
    int eventId = Event4226.ID;

    @Label("Episodes")
    @Description("How many throttling episodes (or throttled attempts) this event stands for: more than 1 when"
            + " limitEventMinInterval folded several into it.")
    long episodes = 1;

    @Label("Shadow")
    @Description("Raised in shadow mode: the policy would have queued, but the limiter admitted every attempt.")
    boolean shadow;
}
