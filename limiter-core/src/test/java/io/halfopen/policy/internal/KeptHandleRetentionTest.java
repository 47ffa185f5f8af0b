package io.halfopen.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Memory follows the live waiters even when owners keep their handles: a {@link QueueingSemaphore.Cell} whose
 * waiter was granted or withdrew keeps no {@link Segment} reachable. Segments that the head passed or that were
 * removed keep their {@code next} link (stale walkers step through them), so a handle that kept its segment would
 * keep every segment created after it reachable, one per 64 later waits; the limiter's attempt keeps its cell for
 * as long as its owner keeps the attempt (the JDK adapter's {@code HalfOpenSocket}, for the socket's whole life).
 *
 * <p>Both specifications failed before the handle dropped its segment (10,001 segments reachable from the kept
 * handle, about 3 MiB) and pass since.
 */
@DisplayName("A handle kept after its wait ended keeps no segment reachable")
class KeptHandleRetentionTest {

    private static final int LATER_WAITS = 64 * 10_000;

    private static int segmentsReachableFrom(final QueueingSemaphore.Cell cell) {
        int count = 0;
        for (Segment segment = cell.segment; segment != null; segment = segment.next()) {
            count++;
        }
        return count;
    }

    @Test
    void aWithdrawnHandleKeptByItsOwnerKeepsNoSegmentReachable() {
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
        assertEquals(0, pinned, "a withdrawn cell keeps " + pinned + " segments reachable (about "
                + pinned * 312L / 1024 + " KiB) after " + LATER_WAITS + " later waits");
    }

    @Test
    void aGrantedHandleKeptByItsOwnerKeepsNoSegmentReachable() {
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
        assertEquals(0, pinned, "a granted cell keeps " + pinned + " segments reachable (about "
                + pinned * 312L / 1024 + " KiB) after " + LATER_WAITS + " later waits");
    }
}
