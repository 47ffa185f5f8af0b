package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Review of issue 10, <b>reproducer of finding 2</b> (hang, bounded only by {@code maxWait}): a thread inside a
 * grant callback frees a slot (the next waiter's grant is deferred into this thread's trampoline) and then calls
 * {@link HalfOpenLimiter#acquire}. The acquire parks, and the deferred grant stays behind it: the waiter holds a
 * slot whose owner is not told to connect (and whose half-open timer is not armed), so it never reports, so the
 * acquire cannot get the slot it is waiting for; both wait until {@code maxWait} runs out. {@code GrantTrampoline}'s
 * class comment promises "a thread never parks waiting for a grant deferred into its own pending list", and
 * {@code acquire}'s javadoc promises it "waits at most {@code maxWait}" inside a callback; issue 10's defect 3 was
 * fixed only for the nested blocking grant itself.
 *
 * <p>Expected: the deferred grant runs before the thread parks (its owner reports at once here, so the acquire
 * then gets that slot). On main: the acquire sits in the queue, the waiter's owner never hears of its grant.
 *
 * <p>Run: {@code ./mvnw -B -o -pl limiter-core -am verify -Dtest='GrantDeferredBehindParkedAcquireReproducerTest'
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@DisplayName("Reproducer of review finding 2: a grant deferred behind an acquire that parks inside a callback")
@Timeout(60)
class GrantDeferredBehindParkedAcquireReproducerTest {

    @Test
    void reproducerOfFinding2_aGrantDeferredIntoThisThreadsTrampolineRunsBeforeAcquireParks() throws Exception {
        final VirtualClock clock = new VirtualClock();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).maxHalfOpen(2)
                .limitEvents(LimitEventMode.NEVER).build();
        final ConnectAttempt first = limiter.newAttempt(remote(1), new RecordingListener()); // holds slot 1
        final RecordingListener waiterOwner = new RecordingListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
                super.granted(attempt);
                attempt.refused(); // an instant RST: the owner reports as soon as it is told
            }
        };
        final AtomicReference<Object> acquired = new AtomicReference<>();
        final AtomicReference<ConnectAttempt> waiter = new AtomicReference<>();
        final Thread owner = new Thread(() -> limiter.newAttempt(remote(2), new RecordingListener() { // slot 2
            @Override
            public void granted(final ConnectAttempt attempt) {
                waiter.set(limiter.newAttempt(remote(3), waiterOwner)); // no slot free: waits
                first.established(); // frees slot 1: the waiter is granted, its callback deferred behind this one
                try {
                    acquired.set(limiter.acquire(remote(4), Duration.ofSeconds(30))); // inside a callback
                } catch (final Exception e) {
                    acquired.set(e);
                }
            }
        }), "callback-owner");
        owner.start();

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (owner.isAlive() && !acquireQueued(limiter, waiter.get()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        final boolean parkedInTheQueue = owner.isAlive() && acquireQueued(limiter, waiter.get());
        final boolean waiterToldBeforeThePark = waiterOwner.wasGranted();
        if (parkedInTheQueue) {
            clock.advance(Duration.ofSeconds(30)); // let the parked thread go: its maxWait runs out
        }
        owner.join(TimeUnit.SECONDS.toMillis(20));

        assertTrue(waiterToldBeforeThePark, "the acquire parked (queued=" + (parkedInTheQueue ? 1 : 0) + ") while"
                + " the grant of the waiter it waits behind sat undelivered in the parked thread's trampoline");
        final ConnectAttempt got = assertInstanceOf(ConnectAttempt.class, acquired.get(),
                "acquire got the slot the waiter's owner freed at once");
        assertEquals(AttemptState.HALF_OPEN, got.state());
    }

    /** The waiter left the queue (granted) and someone queued after it: the acquire. */
    private static boolean acquireQueued(final HalfOpenLimiter limiter, final ConnectAttempt waiter) {
        return waiter != null && waiter.state() != AttemptState.QUEUED && limiter.stats().queued() == 1;
    }
}
