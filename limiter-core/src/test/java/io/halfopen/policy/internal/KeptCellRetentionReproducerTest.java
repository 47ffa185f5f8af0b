package io.halfopen.policy.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 10, <b>reproducer of finding 1</b> (leak): a {@link QueueingSemaphore.Cell} keeps its
 * {@link Segment}, and a segment that was removed (or passed by the head) keeps its {@code next} link, which is
 * never cleared. So a handle that its owner still holds after the waiter left or was granted keeps reachable every
 * segment created after it, one per 64 later waits: memory follows the departures since that handle, not the live
 * waiters. The limiter's attempt keeps its cell for as long as the owner keeps the attempt (the JDK adapter's
 * {@code HalfOpenSocket} for the socket's whole life, through {@code BlockingConnect.attempt}).
 *
 * <p>Run: {@code ./mvnw -B -o -pl limiter-core -am verify -Dtest='KeptCellRetentionReproducerTest'
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@DisplayName("Reproducer of review finding 1: a kept cell pins every segment created after it")
class KeptCellRetentionReproducerTest {

    private static final int LATER_WAITS = 64 * 10_000;

    private static int segmentsReachableFrom(final QueueingSemaphore.Cell cell) {
        int count = 0;
        for (Segment segment = cell.segment; segment != null; segment = segment.next()) {
            count++;
        }
        return count;
    }

    @Test
    void reproducerOfFinding1_aWithdrawnCellKeptByItsOwnerPinsNoLaterSegment() {
        final QueueingSemaphore<Object> semaphore = new QueueingSemaphore<>(1, waiter -> true);
        assertNull(semaphore.acquire(new Object()), "the permit is free");
        for (int i = 0; i < Segment.SIZE; i++) { // earlier departures fill the head segment
            semaphore.acquire(new Object()).withdraw();
        }
        final QueueingSemaphore.Cell kept = semaphore.acquire(new Object()); // in the second segment
        assertNotNull(kept);
        kept.withdraw(); // the waiter left; its owner keeps the handle (an attempt kept by its socket)
        for (int i = 0; i < LATER_WAITS; i++) {
            semaphore.acquire(new Object()).withdraw();
        }
        assertTrue(semaphore.linkedSegments() <= 3, "the semaphore itself reclaims: " + semaphore.linkedSegments());
        final int pinned = segmentsReachableFrom(kept);
        assertTrue(pinned <= 3, "a withdrawn cell keeps " + pinned + " segments reachable (about "
                + pinned * 312L / 1024 + " KiB) after " + LATER_WAITS + " later waits");
    }

    @Test
    void reproducerOfFinding1_aGrantedCellKeptByItsOwnerPinsNoLaterSegment() {
        final QueueingSemaphore<Object> semaphore = new QueueingSemaphore<>(1, waiter -> true);
        assertNull(semaphore.acquire(new Object()));
        final QueueingSemaphore.Cell kept = semaphore.acquire(new Object()); // waits, then is granted
        assertNotNull(kept);
        semaphore.release(); // granted: the owner connects and keeps its attempt for the connection's life
        for (int i = 0; i < LATER_WAITS; i++) { // later waiters, each granted as the holder releases
            assertNotNull(semaphore.acquire(new Object()));
            semaphore.release();
        }
        final int pinned = segmentsReachableFrom(kept);
        assertTrue(pinned <= 3, "a granted cell keeps " + pinned + " segments reachable (about "
                + pinned * 312L / 1024 + " KiB) after " + LATER_WAITS + " later waits");
    }
}
