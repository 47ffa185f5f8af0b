package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An attempt goes QUEUED -> HALF_OPEN -> one terminal state, and its slot is released exactly once")
class AttemptLifecycleTest {

    private final VirtualClock clock = new VirtualClock();
    private final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(2).build();

    @Test
    void anAttemptIsGrantedAtOnceWhileASlotIsFree() {
        final RecordingListener owner = new RecordingListener();
        final ConnectAttempt attempt = limiter.newAttempt(remote(25), owner);

        assertEquals(List.of(attempt), owner.granted, "granted before newAttempt returned");
        assertEquals(AttemptState.HALF_OPEN, attempt.state());
        assertEquals(Duration.ZERO, attempt.queueWait());
        assertEquals(1, limiter.stats().halfOpen());
        assertEquals(0, limiter.stats().queued());
    }

    @Test
    void anAttemptQueuesWhenEverySlotIsTakenAndGoesWhenOneFrees() {
        final ConnectAttempt first = limiter.newAttempt(remote(1), new RecordingListener());
        limiter.newAttempt(remote(2), new RecordingListener());
        final RecordingListener third = new RecordingListener();
        final ConnectAttempt waiting = limiter.newAttempt(remote(3), third);

        assertEquals(AttemptState.QUEUED, waiting.state());
        assertFalse(third.wasGranted());
        assertEquals(2, limiter.stats().halfOpen());
        assertEquals(1, limiter.stats().queued());

        clock.advance(Duration.ofSeconds(2));
        assertTrue(first.established());

        assertEquals(List.of(waiting), third.granted);
        assertEquals(AttemptState.HALF_OPEN, waiting.state());
        assertEquals(Duration.ofSeconds(2), waiting.queueWait(), "waited from creation to grant, in virtual time");
        assertEquals(2, limiter.stats().halfOpen());
        assertEquals(0, limiter.stats().queued());
    }

    @Test
    void eachOutcomeEndsTheAttemptInItsOwnStateAndFreesTheSlot() {
        final IOException cause = new IOException("network unreachable");
        final List<Predicate<ConnectAttempt>> reports = List.of(ConnectAttempt::established, ConnectAttempt::refused,
                a -> a.failed(cause), ConnectAttempt::aborted, ConnectAttempt::cancel);
        final List<AttemptState> expected = List.of(AttemptState.ESTABLISHED, AttemptState.REFUSED,
                AttemptState.FAILED, AttemptState.TIMED_OUT, AttemptState.CANCELLED);

        for (int i = 0; i < reports.size(); i++) {
            final ConnectAttempt attempt = limiter.newAttempt(remote(i), new RecordingListener());
            assertTrue(reports.get(i).test(attempt), "the first report ends the attempt");
            assertEquals(expected.get(i), attempt.state());
            assertEquals(0, limiter.stats().halfOpen(), "slot freed after " + expected.get(i));
        }
        final LimiterStats stats = limiter.stats();
        assertEquals(1, stats.established());
        assertEquals(1, stats.refused());
        assertEquals(1, stats.failed());
        assertEquals(1, stats.timedOut());
        assertEquals(1, stats.cancelled());
        assertEquals(5, stats.granted());
    }

    @Test
    void aFailedAttemptKeepsItsCause() {
        final IOException cause = new IOException("host unreachable");
        final ConnectAttempt attempt = limiter.newAttempt(remote(25), new RecordingListener());
        attempt.failed(cause);
        assertSame(cause, attempt.failure());
    }

    @Test
    void aSecondReportIsANoOpAndNeverAnExtraPermit() {
        final ConnectAttempt attempt = limiter.newAttempt(remote(25), new RecordingListener());
        assertTrue(attempt.refused());

        assertFalse(attempt.established());
        assertFalse(attempt.refused());
        assertFalse(attempt.failed(new IOException()));
        assertFalse(attempt.aborted());
        assertFalse(attempt.cancel());
        assertEquals(AttemptState.REFUSED, attempt.state());

        // Still exactly two slots: two attempts go, the third waits.
        limiter.newAttempt(remote(1), new RecordingListener());
        limiter.newAttempt(remote(2), new RecordingListener());
        assertEquals(AttemptState.QUEUED, limiter.newAttempt(remote(3), new RecordingListener()).state());
    }

    @Test
    void reportingAnOutcomeForAQueuedAttemptIsABugAndSaysSo() {
        limiter.newAttempt(remote(1), new RecordingListener());
        limiter.newAttempt(remote(2), new RecordingListener());
        final ConnectAttempt queued = limiter.newAttempt(remote(3), new RecordingListener());

        final IllegalStateException e = assertThrows(IllegalStateException.class, queued::established);
        assertTrue(e.getMessage().contains("still queued"), e.getMessage());
        assertTrue(e.getMessage().contains("cancel()"), e.getMessage());
        assertEquals(AttemptState.QUEUED, queued.state(), "the bad report changed nothing");
    }

    @Test
    void cancellingAQueuedAttemptRemovesItWithoutEverGrantingIt() {
        final ConnectAttempt first = limiter.newAttempt(remote(1), new RecordingListener());
        limiter.newAttempt(remote(2), new RecordingListener());
        final RecordingListener owner = new RecordingListener();
        final ConnectAttempt queued = limiter.newAttempt(remote(3), owner);

        assertTrue(queued.cancel());
        assertEquals(AttemptState.CANCELLED, queued.state());
        assertEquals(0, limiter.stats().queued());

        first.established();
        assertFalse(owner.wasGranted(), "a cancelled attempt is never granted");
        assertTrue(owner.failures.isEmpty(), "the owner's own cancel is not reported back as a failure");
        assertEquals(1, limiter.stats().halfOpen(), "the freed slot went back to the pool");
    }

    @Test
    void cancellingAHalfOpenAttemptFreesItsSlot() {
        final ConnectAttempt attempt = limiter.newAttempt(remote(25), new RecordingListener());
        assertTrue(attempt.cancel());
        assertEquals(AttemptState.CANCELLED, attempt.state());
        assertEquals(0, limiter.stats().halfOpen());
        assertNull(attempt.failure());
    }

    @Test
    void aListenerThatThrowsInGrantedCannotLeakTheSlot() {
        final ConnectAttempt attempt = limiter.newAttempt(remote(25), new RecordingListener() {
            @Override
            public void granted(final ConnectAttempt a) {
                throw new IllegalStateException("owner bug");
            }
        });
        assertEquals(AttemptState.FAILED, attempt.state());
        assertEquals("owner bug", attempt.failure().getMessage());
        assertEquals(0, limiter.stats().halfOpen());
    }

    @Test
    void unresolvedAndNullAddressesAreRefusedWithAClearMessage() {
        final IllegalArgumentException unresolved = assertThrows(IllegalArgumentException.class,
                () -> limiter.newAttempt(java.net.InetSocketAddress.createUnresolved("mx.example", 25),
                        new RecordingListener()));
        assertTrue(unresolved.getMessage().contains("mx.example"), unresolved.getMessage());
        final NullPointerException nullRemote = assertThrows(NullPointerException.class,
                () -> limiter.newAttempt(null, new RecordingListener()));
        assertEquals("remote", nullRemote.getMessage());
        final NullPointerException nullListener = assertThrows(NullPointerException.class,
                () -> limiter.newAttempt(remote(25), null));
        assertEquals("listener", nullListener.getMessage());
    }
}
