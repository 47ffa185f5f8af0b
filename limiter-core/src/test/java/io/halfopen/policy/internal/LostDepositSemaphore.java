package io.halfopen.policy.internal;

/**
 * Known bad: the acquirer publishes its ticket with check-then-write instead of one CAS. A release that
 * deposits its permit in the cell between the check and the write has the permit overwritten: the permit is
 * lost and the waiter is never woken.
 */
final class LostDepositSemaphore extends SimpleCellSemaphore {

    LostDepositSemaphore(final int permits) {
        super(permits);
    }

    @Override
    boolean claim(final int index, final SemaphoreHarness.Ticket ticket) {
        if (cells.get(index) != null) { // BUG: the check and the write below are two steps
            return false;
        }
        cells.set(index, ticket);
        return true;
    }
}
