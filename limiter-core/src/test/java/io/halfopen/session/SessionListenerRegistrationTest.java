package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A session listener can be added to a built limiter: it hears exactly the changes made after")
class SessionListenerRegistrationTest {

    private final VirtualClock clock = new VirtualClock();

    private static SessionListener named(final String name, final List<String> log) {
        return new SessionListener() {
            @Override
            public void sessionOpened(final SessionInfo session) {
                log.add(name + ":opened " + session.computer());
            }

            @Override
            public void sessionEnded(final SessionInfo session, final SessionEndReason reason) {
                log.add(name + ":ended " + session.computer() + " " + reason);
            }

            @Override
            public void sessionRefused(final SessionRefusedException refusal) {
                log.add(name + ":refused " + refusal.computer() + " error " + refusal.errorCode());
            }
        };
    }

    @Test
    void anAddedListenerHearsTheChangesAfterItInOrderAfterTheBuildersListener() {
        final List<String> log = new CopyOnWriteArrayList<>();
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().maxSessions(1).clock(clock)
                .listener(named("builder", log)).build();
        final SessionConnection first = limiter.admit(Remote.computer(2));
        limiter.addListener(named("added", log));
        assertThrows(SessionLimitExceededException.class, () -> limiter.admit(Remote.computer(3)));
        first.close();
        assertEquals(List.of("builder:opened 127.0.0.2",
                "builder:refused 127.0.0.3 error 71", "added:refused 127.0.0.3 error 71",
                "builder:ended 127.0.0.2 CLOSED", "added:ended 127.0.0.2 CLOSED"), log);
    }

    @Test
    void aRemovedListenerHearsNoLaterChange() {
        final List<String> log = new CopyOnWriteArrayList<>();
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock).build();
        final SessionListener added = named("added", log);
        limiter.addListener(added);
        limiter.admit(Remote.computer(2));
        assertTrue(limiter.removeListener(added));
        assertFalse(limiter.removeListener(added));
        limiter.admit(Remote.computer(3));
        assertEquals(List.of("added:opened 127.0.0.2"), log);
    }

    @Test
    void threeListenersAddedAndOneRemovedFromTheMiddle() {
        final List<String> log = new CopyOnWriteArrayList<>();
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock).build();
        final SessionListener a = named("a", log);
        final SessionListener b = named("b", log);
        final SessionListener c = named("c", log);
        limiter.addListener(a);
        limiter.addListener(b);
        limiter.addListener(c);
        assertTrue(limiter.removeListener(b));
        limiter.admit(Remote.computer(2));
        assertEquals(List.of("a:opened 127.0.0.2", "c:opened 127.0.0.2"), log);
        assertTrue(limiter.removeListener(a));
        assertTrue(limiter.removeListener(c));
        limiter.admit(Remote.computer(3));
        assertEquals(2, log.size());
    }

    @Test
    void aListenerThatThrowsDoesNotKeepTheNextFromHearing() {
        final List<String> log = new CopyOnWriteArrayList<>();
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock)
                .listener(new SessionListener() {
                    @Override
                    public void sessionOpened(final SessionInfo session) {
                        throw new IllegalStateException("broken listener");
                    }
                }).build();
        limiter.addListener(named("after", log));
        limiter.admit(Remote.computer(2));
        assertEquals(List.of("after:opened 127.0.0.2"), log);
    }

    @Test
    void anErrorFromOneListenerIsRethrownOnceTheOthersHeardTheEvent() {
        final List<String> log = new CopyOnWriteArrayList<>();
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock)
                .listener(new SessionListener() {
                    @Override
                    public void sessionOpened(final SessionInfo session) {
                        throw new AssertionError("a test's listener failed");
                    }
                }).build();
        limiter.addListener(named("after", log));
        final AssertionError e = assertThrows(AssertionError.class, () -> limiter.admit(Remote.computer(2)));
        assertEquals("a test's listener failed", e.getMessage());
        assertEquals(List.of("after:opened 127.0.0.2", "after:ended 127.0.0.2 CLOSED"), log,
                "the next listener heard the opening, and the end when admit closed the connection");
        assertEquals(0, limiter.stats().sessions(), "admit closed the connection it was admitting");
    }

    @Test
    void aNullListenerIsRefused() {
        assertEquals("listener", assertThrows(NullPointerException.class,
                () -> InboundSessionLimiter.xpProfessional().addListener(null)).getMessage());
    }

    /**
     * A listener added while four threads open and close sessions hears exactly the events of the changes after
     * its registration: a suffix of what a listener given to the builder hears, with nothing missing from it.
     */
    @Test
    void aListenerAddedDuringTrafficHearsASuffixOfTheWholeHistory() throws Exception {
        final List<String> all = new CopyOnWriteArrayList<>();
        final List<String> late = new CopyOnWriteArrayList<>();
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().unlimited().clock(clock)
                .listener(ids(all)).build();
        final CountDownLatch started = new CountDownLatch(4);
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final int host = 2 + t;
            final Thread thread = new Thread(() -> {
                started.countDown();
                for (int i = 0; i < 2_000; i++) {
                    limiter.admit(Remote.computer(host, 1000 + i)).close();
                }
            });
            threads.add(thread);
            thread.start();
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (all.size() < 2_000 && System.nanoTime() < deadline) {   // register mid-traffic, not before it
            Thread.onSpinWait();
        }
        limiter.addListener(ids(late));
        for (final Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertEquals(16_000, all.size(), "each session opened and ended");
        assertTrue(late.size() < all.size(), "registered after the traffic began: " + late.size());
        assertEquals(all.subList(all.size() - late.size(), all.size()), late,
                "the late listener heard a suffix of the history, in order, with nothing missing");
        System.out.printf("[sessions] the late listener heard the last %d of %d events%n", late.size(), all.size());
    }

    private static SessionListener ids(final List<String> log) {
        return new SessionListener() {
            @Override
            public void sessionOpened(final SessionInfo session) {
                log.add("opened " + session.id());
            }

            @Override
            public void sessionEnded(final SessionInfo session, final SessionEndReason reason) {
                log.add("ended " + session.id());
            }
        };
    }
}
