package io.halfopen.limiter;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR form of event 4226. Committed only when a recording enables it. */
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
}
