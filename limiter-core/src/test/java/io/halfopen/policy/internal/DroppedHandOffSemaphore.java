package io.halfopen.policy.internal;

/**
 * Known bad: a waiter that leaves (cancelled, timed out, or rejected by the queue bound) while a hand-off has
 * already left its permit in the waiter's cell drops that permit instead of carrying it to the next waiter.
 * The permit is lost and the next waiter is stranded. Only a release racing a withdrawal shows it.
 */
final class DroppedHandOffSemaphore extends SimpleCellSemaphore {

    DroppedHandOffSemaphore(final int permits) {
        super(permits);
    }

    @Override
    void carryOn() {
        // BUG: the permit left in this cell is dropped
    }
}
