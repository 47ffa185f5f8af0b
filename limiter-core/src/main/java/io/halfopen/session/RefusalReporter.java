package io.halfopen.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a refused session as a WARN log line and as the JFR event {@code io.halfopen.SessionRefused}
 * (committed only when enabled); the limiter tells its {@link SessionListener} through its outbox, in order
 * with its other events. Stateless and thread-safe; called outside the limiter's lock.
 */
final class RefusalReporter {

    private static final Logger LOG = LoggerFactory.getLogger(InboundSessionLimiter.class);

    private RefusalReporter() {
    }

    static void report(final SessionRefusedException refusal, final int limit, final int sessions) {
        LOG.warn("{}", refusal.getMessage());
        // Loading a JFR event class registers it with JFR (150-380 ms on first use, a stall on an event
        // loop), so the class is only touched once some recording has initialized the flight recorder.
        if (jdk.jfr.FlightRecorder.isInitialized()) {
            final SessionRefusedEvent event = new SessionRefusedEvent();
            if (event.shouldCommit()) {
                event.computer = refusal.computer();
                event.user = refusal.userName();
                event.limit = limit;
                event.sessions = sessions;
                event.errorCode = refusal.errorCode();
                event.commit();
            }
        }
    }
}
