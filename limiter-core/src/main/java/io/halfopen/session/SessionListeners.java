package io.halfopen.session;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several {@link SessionListener}s as one, in the order they were registered: the builder's first, then those
 * added to the built limiter. Immutable: adding or removing one makes a new instance, which the limiter swaps in
 * under its lock.
 *
 * <p>Each listener is called even if an earlier one threw: a {@link RuntimeException} is logged and ignored
 * here, as the limiter does for a single listener; the first {@link Error} is rethrown after the others ran
 * (later ones suppressed into it), so that the limiter's own handling of an Error (rethrown once the table is
 * consistent) is unchanged.
 */
final class SessionListeners implements SessionListener {

    private static final Logger LOG = LoggerFactory.getLogger(InboundSessionLimiter.class);

    private final SessionListener[] listeners;

    private SessionListeners(final SessionListener[] listeners) {
        this.listeners = listeners;
    }

    /** {@code current} with {@code added} after it. */
    static SessionListener with(final SessionListener current, final SessionListener added) {
        if (current == SessionListener.NONE) {
            return added;
        }
        final SessionListener[] now = current instanceof SessionListeners many ? many.listeners
                : new SessionListener[] {current};
        final SessionListener[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = added;
        return new SessionListeners(next);
    }

    /** {@code current} without the last registration of {@code removed}; {@code current} itself if it has none. */
    static SessionListener without(final SessionListener current, final SessionListener removed) {
        if (current == removed) {
            return SessionListener.NONE;
        }
        if (!(current instanceof SessionListeners many)) {
            return current;
        }
        for (int i = many.listeners.length - 1; i >= 0; i--) {
            if (many.listeners[i] == removed) {
                final SessionListener[] next = new SessionListener[many.listeners.length - 1];
                System.arraycopy(many.listeners, 0, next, 0, i);
                System.arraycopy(many.listeners, i + 1, next, i, many.listeners.length - i - 1);
                return next.length == 1 ? next[0] : new SessionListeners(next);
            }
        }
        return current;
    }

    @FunctionalInterface
    private interface Call {
        void on(SessionListener listener);
    }

    private void each(final Call call, final String what) {
        Error error = null;
        for (final SessionListener listener : listeners) {
            try {
                call.on(listener);
            } catch (final Error e) {
                if (error == null) {
                    error = e;
                } else {
                    error.addSuppressed(e);
                }
            } catch (final RuntimeException e) {
                LOG.warn("SessionListener.{} threw; ignored", what, e);
            }
        }
        if (error != null) {
            throw error;
        }
    }

    @Override
    public void sessionOpened(final SessionInfo session) {
        each(listener -> listener.sessionOpened(session), "sessionOpened");
    }

    @Override
    public void sessionAuthenticated(final SessionInfo session) {
        each(listener -> listener.sessionAuthenticated(session), "sessionAuthenticated");
    }

    @Override
    public void sessionEnded(final SessionInfo session, final SessionEndReason reason) {
        each(listener -> listener.sessionEnded(session, reason), "sessionEnded");
    }

    @Override
    public void sessionRefused(final SessionRefusedException refusal) {
        each(listener -> listener.sessionRefused(refusal), "sessionRefused");
    }

    @Override
    public String toString() {
        return Arrays.toString(listeners);
    }
}
