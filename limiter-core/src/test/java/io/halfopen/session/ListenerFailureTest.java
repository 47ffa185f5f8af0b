package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, defect 4: nothing a listener or a disconnect callback throws, {@link Error} included, leaves a
 * session, a connection or an unclosed socket behind. A {@link RuntimeException} is logged and ignored; an
 * {@code Error} (an {@link AssertionError} from a test's listener, say) is rethrown to the caller once the
 * limiter's state is whole and every other event and callback ran.
 */
@DisplayName("Nothing a listener throws leaves a session or a connection behind")
class ListenerFailureTest {

    private final VirtualClock clock = new VirtualClock();

    /** A listener that records every call, then throws the Error set for that method, if any. */
    private static final class Throwing implements SessionListener {
        final List<String> heard = new CopyOnWriteArrayList<>();
        volatile Error onOpened;
        volatile Error onEnded;
        volatile Error onRefused;

        @Override
        public void sessionOpened(final SessionInfo session) {
            heard.add("opened " + session.computer());
            if (onOpened != null) {
                throw onOpened;
            }
        }

        @Override
        public void sessionEnded(final SessionInfo session, final SessionEndReason reason) {
            heard.add("ended " + session.computer() + " " + reason);
            if (onEnded != null) {
                throw onEnded;
            }
        }

        @Override
        public void sessionRefused(final SessionRefusedException refusal) {
            heard.add("refused " + refusal.computer());
            if (onRefused != null) {
                throw onRefused;
            }
        }
    }

    private InboundSessionLimiter limiter(final SessionListener listener, final int maxSessions) {
        return InboundSessionLimiter.builder().maxSessions(maxSessions).listener(listener).clock(clock).build();
    }

    @Test
    @DisplayName("an Error from sessionOpened is rethrown by admit, and the connection it was admitting is undone")
    void anErrorInSessionOpenedUndoesTheAdmission() {
        final Throwing listener = new Throwing();
        final AssertionError bug = new AssertionError("listener bug");
        listener.onOpened = bug;
        final InboundSessionLimiter limiter = limiter(listener, 1);

        assertSame(bug, assertThrows(AssertionError.class, () -> limiter.admit(Remote.computer(2))));

        assertEquals(0, limiter.stats().sessions(), "no session left behind");
        assertEquals(0, limiter.stats().openConnections());
        assertEquals(List.of("opened 127.0.0.2", "ended 127.0.0.2 CLOSED"), listener.heard);
        listener.onOpened = null;
        assertDoesNotThrow(() -> limiter.admit(Remote.computer(3)), "the only place under the limit is free");
        assertEquals(1, clock.pendingTasks(), "only the new session's idle timer is armed");
    }

    @Test
    @DisplayName("an Error from sessionEnded during disconnect still closes every connection of the computer")
    void anErrorInSessionEndedDuringDisconnectStillClosesEveryConnection() {
        final Throwing listener = new Throwing();
        final AssertionError bug = new AssertionError("listener bug");
        final InboundSessionLimiter limiter = limiter(listener, 10);
        final ClosedFlag first = new ClosedFlag();
        final ClosedFlag second = new ClosedFlag();
        final ClosedFlag anonymous = new ClosedFlag();
        limiter.admit(ConnectionInfo.from(Remote.computer(2, 1)), first);
        limiter.admit(ConnectionInfo.from(Remote.computer(2, 2)), second);
        limiter.admit(ConnectionInfo.from(Remote.computer(2, 3)).asAnonymous(), anonymous);
        listener.onEnded = bug;

        assertSame(bug, assertThrows(AssertionError.class, () -> limiter.disconnect("127.0.0.2")));

        assertEquals(1, first.closes());
        assertEquals(1, second.closes());
        assertEquals(1, anonymous.closes());
        assertEquals(0, limiter.stats().sessions());
        assertEquals(0, limiter.stats().openConnections());
        assertEquals(2, listener.heard.stream().filter(e -> e.startsWith("ended")).count(),
                "both sessions' ends were delivered although the first one threw");
    }

    @Test
    void anErrorFromADisconnectCallbackDoesNotSkipTheOtherCallbacks() {
        final InboundSessionLimiter limiter = limiter(SessionListener.NONE, 10);
        final ClosedFlag other = new ClosedFlag();
        final AssertionError bug = new AssertionError("callback bug");
        limiter.admit(ConnectionInfo.from(Remote.computer(2, 1)), () -> {
            throw bug;
        });
        limiter.admit(ConnectionInfo.from(Remote.computer(2, 2)), other);

        assertSame(bug, assertThrows(AssertionError.class, () -> limiter.disconnect("127.0.0.2")));

        assertEquals(1, other.closes());
        assertEquals(0, limiter.stats().openConnections());
    }

    @Test
    void anErrorFromSessionRefusedIsRethrownAndNothingIsAdmitted() {
        final Throwing listener = new Throwing();
        final AssertionError bug = new AssertionError("listener bug");
        listener.onRefused = bug;
        final InboundSessionLimiter limiter = limiter(listener, 1);
        limiter.admit(Remote.computer(2));

        final AssertionError thrown = assertThrows(AssertionError.class, () -> limiter.admit(Remote.computer(3)));

        assertSame(bug, thrown);
        assertTrue(thrown.getSuppressed().length == 1
                && thrown.getSuppressed()[0] instanceof SessionLimitExceededException,
                "the refusal travels with the Error");
        assertEquals(1, limiter.stats().sessions());
        assertEquals(1, limiter.stats().refused());
    }

    @Test
    @DisplayName("an Error from sessionEnded on an idle timer still ends the session and closes its connection")
    void anErrorOnTheIdleTimerStillEndsTheSession() {
        final Throwing listener = new Throwing();
        final AssertionError bug = new AssertionError("listener bug");
        final InboundSessionLimiter limiter = limiter(listener, 10);
        final ClosedFlag closed = new ClosedFlag();
        final SessionConnection connection = limiter.admit(ConnectionInfo.from(Remote.computer(2)), closed);
        listener.onEnded = bug;

        assertSame(bug, assertThrows(AssertionError.class, () -> clock.advance(Duration.ofMinutes(15))));

        assertEquals(1, closed.closes());
        assertFalse(connection.isOpen());
        assertEquals(0, limiter.stats().sessions());
        assertEquals(1, limiter.stats().autoDisconnected());
    }

    @Test
    void aRuntimeExceptionFromAListenerIsLoggedAndIgnored() {
        final InboundSessionLimiter limiter = limiter(new SessionListener() {
            @Override
            public void sessionOpened(final SessionInfo session) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void sessionEnded(final SessionInfo session, final SessionEndReason reason) {
                throw new IllegalStateException("listener bug");
            }
        }, 10);

        final SessionConnection connection = assertDoesNotThrow(() -> limiter.admit(Remote.computer(2)));
        assertEquals(1, limiter.stats().sessions());
        assertDoesNotThrow(connection::close);
        assertEquals(0, limiter.stats().sessions());
    }

    @Test
    void theLimiterKeepsDeliveringAfterAListenerThrew() {
        final Throwing listener = new Throwing();
        listener.onOpened = new AssertionError("once");
        final InboundSessionLimiter limiter = limiter(listener, 10);
        assertThrows(AssertionError.class, () -> limiter.admit(Remote.computer(2)));
        listener.onOpened = null;
        listener.heard.clear();

        final SessionConnection connection = limiter.admit(Remote.computer(3));
        connection.close();

        assertEquals(List.of("opened 127.0.0.3", "ended 127.0.0.3 CLOSED"), listener.heard);
    }
}
