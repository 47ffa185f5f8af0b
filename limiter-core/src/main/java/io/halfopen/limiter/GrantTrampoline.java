package io.halfopen.limiter;

import java.util.ArrayDeque;

/**
 * Runs grant callbacks without recursion. A grant callback that reports an outcome frees a slot, which grants
 * the next waiter on the same thread; without a trampoline a storm of instant refusals would nest one
 * callback per queued attempt and overflow the stack. Here the nested grant is appended to the thread's
 * pending list and runs after the outer callback returns, still on this thread, in grant order.
 *
 * <p>Two rules keep every grant delivered: each callback runs on its own, so one that throws (or whose timer
 * cannot be armed) never strands the grants queued behind it; and a grant whose owner parks for it (the
 * blocking {@code acquire}) is delivered at once even inside another callback, since it cannot recurse, so
 * that a thread never parks waiting for a grant deferred into its own pending list.
 *
 * <p>Thread confinement: each thread has its own pending list; nothing is shared.
 */
final class GrantTrampoline {

    private static final ThreadLocal<GrantTrampoline> CURRENT = ThreadLocal.withInitial(GrantTrampoline::new);

    private final ArrayDeque<DefaultConnectAttempt> pending = new ArrayDeque<>();
    private boolean running;

    private GrantTrampoline() {
    }

    static void deliver(final DefaultConnectAttempt attempt) {
        final GrantTrampoline trampoline = CURRENT.get();
        if (trampoline.running) {
            if (attempt.grantsInline()) {
                runOne(attempt);
            } else {
                trampoline.pending.addLast(attempt);
            }
            return;
        }
        trampoline.running = true;
        try {
            DefaultConnectAttempt next = attempt;
            while (next != null) {
                runOne(next);
                next = trampoline.pending.pollFirst();
            }
        } finally {
            trampoline.running = false;
        }
    }

    private static void runOne(final DefaultConnectAttempt attempt) {
        try {
            attempt.runGrantCallback();
        } catch (final Throwable t) { // runGrantCallback handles its owner's and its scheduler's failures itself
            HalfOpenLimiter.LOG.error("delivering the grant of {} failed", attempt, t);
        }
    }
}
