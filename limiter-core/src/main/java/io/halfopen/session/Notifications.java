package io.halfopen.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Outbox.Action}s an {@link InboundSessionLimiter} queues: listener calls, with the snapshot taken
 * under the lock when the table changed, and disconnect callbacks. Each is immutable and runs once.
 */
final class Notifications {

    private static final Logger LOG = LoggerFactory.getLogger(InboundSessionLimiter.class);

    private Notifications() {
    }

    static Outbox.Action opened(final SessionListener listener, final SessionInfo session) {
        return new Outbox.Action() {
            @Override
            void run() {
                listener.sessionOpened(session);
            }

            @Override
            public String toString() {
                return "SessionListener.sessionOpened(" + session + ")";
            }
        };
    }

    static Outbox.Action authenticated(final SessionListener listener, final SessionInfo session) {
        return new Outbox.Action() {
            @Override
            void run() {
                listener.sessionAuthenticated(session);
            }

            @Override
            public String toString() {
                return "SessionListener.sessionAuthenticated(" + session + ")";
            }
        };
    }

    static Outbox.Action ended(final SessionListener listener, final SessionInfo session,
                               final SessionEndReason reason) {
        return new Outbox.Action() {
            @Override
            void run() {
                if (reason == SessionEndReason.AUTO_DISCONNECTED || reason == SessionEndReason.NULL_SESSION_EXPIRED) {
                    LOG.info("session of \\\\{} user '{}' ended: {} after {} idle", session.computer(),
                            session.userName(), reason, session.idleTime());
                }
                listener.sessionEnded(session, reason);
            }

            @Override
            public String toString() {
                return "SessionListener.sessionEnded(" + session + ", " + reason + ")";
            }
        };
    }

    static Outbox.Action refused(final SessionListener listener, final SessionRefusedException refusal) {
        return new Outbox.Action() {
            @Override
            void run() {
                listener.sessionRefused(refusal);
            }

            @Override
            public String toString() {
                return "SessionListener.sessionRefused(" + refusal.getMessage() + ")";
            }
        };
    }

    static Outbox.Action disconnect(final SessionConnection connection) {
        return new Outbox.Action() {
            @Override
            void run() {
                connection.onDisconnect().run();
            }

            @Override
            public String toString() {
                return "the disconnect callback of " + connection;
            }
        };
    }
}
