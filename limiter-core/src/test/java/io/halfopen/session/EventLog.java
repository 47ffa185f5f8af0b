package io.halfopen.session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helper: what a listener heard, in the order it arrived, and a replay of it against the rules any order
 * the session table really went through obeys: a computer's session opens before it ends and is never open
 * twice; no more sessions are open at once than the limit; a refusal comes while the limit is reached; and no
 * two events are delivered at the same time (checked as they arrive, unless the log is built to check the
 * order alone). Sessions are told apart by computer, so a scenario gives each computer at most one session at
 * a time. Thread-safe.
 */
final class EventLog {

    private final int limit;
    private final boolean checkOverlaps;
    private final Queue<String> heard = new ConcurrentLinkedQueue<>();
    private final Queue<String> overlaps = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** A log that checks the order and that no two deliveries overlap. */
    EventLog(final int limit) {
        this(limit, true);
    }

    private EventLog(final int limit, final boolean checkOverlaps) {
        this.limit = limit;
        this.checkOverlaps = checkOverlaps;
    }

    /** A log that checks the order alone, for known-bad controls that must be caught by the order itself. */
    static EventLog orderOnly(final int limit) {
        return new EventLog(limit, false);
    }

    /** Returns a listener for a real limiter that reports here. */
    SessionListener listener() {
        return new SessionListener() {
            @Override
            public void sessionOpened(final SessionInfo session) {
                hear("opened " + session.computer());
            }

            @Override
            public void sessionEnded(final SessionInfo session, final SessionEndReason reason) {
                hear("ended " + session.computer());
            }

            @Override
            public void sessionRefused(final SessionRefusedException refusal) {
                hear("refused " + refusal.computer());
            }
        };
    }

    void opened(final String computer) {
        hear("opened " + computer);
    }

    void ended(final String computer) {
        hear("ended " + computer);
    }

    void refused(final String computer) {
        hear("refused " + computer);
    }

    /** Returns the rules broken, with what was heard; empty if none. */
    List<String> violations() {
        final List<String> events = new ArrayList<>(heard);
        final List<String> out = new ArrayList<>(overlaps);
        final Set<String> open = new HashSet<>();
        for (final String event : events) {
            final String computer = event.substring(event.indexOf(' ') + 1);
            if (event.startsWith("opened ")) {
                if (!open.add(computer)) {
                    out.add(event + " while it was open");
                }
                if (open.size() > limit) {
                    out.add(event + ": " + open.size() + " sessions open at once, limit " + limit);
                }
            } else if (event.startsWith("ended ")) {
                if (!open.remove(computer)) {
                    out.add(event + " before it opened");
                }
            } else if (open.size() < limit) {
                out.add(event + " while only " + open.size() + " of " + limit + " were open");
            }
        }
        if (!out.isEmpty()) {
            out.add("heard: " + events);
        }
        return out;
    }

    /** Returns the sessions the listener believes open now: opened minus ended. */
    int openNow() {
        int open = 0;
        for (final String event : heard) {
            open += event.startsWith("opened ") ? 1 : event.startsWith("ended ") ? -1 : 0;
        }
        return open;
    }

    private void hear(final String event) {
        if (inFlight.incrementAndGet() != 1 && checkOverlaps) {
            overlaps.add(event + " delivered while another event was being delivered");
        }
        heard.add(event);
        inFlight.decrementAndGet();
    }
}
