package io.halfopen.session;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * The JFR event {@code io.halfopen.SessionRefused}: an inbound session refused, with system error 71 past
 * the limit or 5 for a restricted anonymous connection. Not thread-safe; one instance per refusal.
 */
@Name("io.halfopen.SessionRefused")
@Label("Session Refused")
@Category({"halfopen", "Inbound Sessions"})
@Description("An inbound session was refused: system error 71 past the session limit, or 5 for anonymous")
final class SessionRefusedEvent extends Event {

    @Label("Computer")
    String computer;

    @Label("User Name")
    String user;

    @Label("Limit")
    int limit;

    @Label("Sessions")
    @Description("Sessions counted against the limit when this one was refused")
    int sessions;

    @Label("Error Code")
    int errorCode;
}
