package io.halfopen.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a refused session three ways: a WARN log line, the JFR event {@code io.halfopen.SessionRefused}
 * (committed only when enabled) and the limiter's {@link SessionListener}. Thread-safe; called outside the
 * limiter's lock.
 */
final class RefusalReporter {

    private static final Logger LOG = LoggerFactory.getLogger(InboundSessionLimiter.class);

    private final SessionListener listener;

    RefusalReporter(final SessionListener listener) {
        this.listener = listener;
    }

    void report(final SessionRefusedException refusal, final int limit, final int sessions) {
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
        try {
            listener.sessionRefused(refusal);
        } catch (final RuntimeException e) {
            LOG.warn("SessionListener.sessionRefused threw; ignored", e);
        }
    }
}
