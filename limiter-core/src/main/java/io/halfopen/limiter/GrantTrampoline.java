package io.halfopen.limiter;

import java.util.ArrayDeque;

/**
 * Runs grant callbacks without recursion. A grant callback that reports an outcome frees a slot, which grants
 * the next waiter on the same thread; without a trampoline a storm of instant refusals would nest one
 * callback per queued attempt and overflow the stack. Here the nested grant is appended to the thread's
 * pending list and runs after the outer callback returns, still on this thread, in grant order.
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
            trampoline.pending.addLast(attempt);
            return;
        }
        trampoline.running = true;
        try {
            DefaultConnectAttempt next = attempt;
            while (next != null) {
                next.runGrantCallback();
                next = trampoline.pending.pollFirst();
            }
        } finally {
            trampoline.running = false;
        }
    }
}
