package io.halfopen.limiter;

import java.util.ArrayDeque;

/**
 * Runs grant callbacks without recursion. A grant callback that reports an outcome frees a slot, which grants
 * the next waiter on the same thread; without a trampoline a storm of instant refusals would nest one
 * callback per queued attempt and overflow the stack. Here the nested grant is appended to the thread's
 * pending list and runs after the outer callback returns, still on this thread, in grant order.
 *
 * <p>Three rules keep every grant delivered: each callback runs on its own, so one that throws (or whose timer
 * cannot be armed) never strands the grants queued behind it; a grant whose owner parks for it (the blocking
 * {@code acquire}) is delivered at once even inside another callback, since it cannot recurse; and a thread that
 * is about to park inside a callback (an {@code acquire} there that has to wait) first runs the grants deferred
 * into its own pending list ({@link #runPending()}), in grant order. So a thread never parks while a grant it
 * holds back waits for it: without the last rule, a grant deferred behind a parked {@code acquire} left its
 * owner untold (it never connects, never reports) and the {@code acquire} that waits for the slot that owner
 * would free ran out its whole {@code maxWait}. Running them before the park moves them earlier than "after
 * the outer callback returns", never later, and keeps the stack flat: they run in a loop, one frame deep.
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

    /**
     * Runs the grants deferred into this thread's pending list, oldest first, including any that they defer in
     * turn; returns once the list is empty. For a thread about to park inside a grant callback. Does nothing
     * outside a callback (the list is empty then).
     */
    static void runPending() {
        final ArrayDeque<DefaultConnectAttempt> pending = CURRENT.get().pending;
        DefaultConnectAttempt next;
        while ((next = pending.pollFirst()) != null) {
            runOne(next);
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
