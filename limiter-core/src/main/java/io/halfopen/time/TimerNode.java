package io.halfopen.time;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * A timer that is its own node: an object that extends this class is armed on a {@link Scheduler} with
 * {@link Scheduler#arm(TimerNode, long, TimeUnit)} and, on a {@link TimerWheel}, costs no allocation to arm or
 * to {@linkplain #disarm() disarm}. The limiter's attempts are their own timers this way.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>A node is armed at most once at a time: arming an armed node throws {@link IllegalStateException}.
 *       Once it has expired or been disarmed it may be armed again. A node armed on a {@link TimerWheel} is
 *       bound to it for good and is armed only there after (it may still sit in that wheel's lists for a tick
 *       after a disarm); a node never armed on a wheel may be armed on any scheduler, and then on one wheel.</li>
 *   <li>Each arming ends exactly once: either {@link #expire()} runs, once, on the scheduler's thread, no earlier
 *       than the deadline as measured by the scheduler's clock; or a {@link #disarm()} that returned
 *       {@code true} took it back first. The two race by one compare-and-set on the node's state word, so
 *       exactly one of them wins.</li>
 *   <li>{@code expire()} must be short and must not block (it runs on the shared timer thread); it may arm this
 *       node again or arm and disarm other nodes. On a {@link TimerWheel} an exception it throws is logged and
 *       does not disturb the wheel; on another scheduler it is that scheduler's, as a task's would be.</li>
 *   <li>A scheduler that is not a wheel arms a node with one task of its own per arming, unless it holds the node
 *       itself: then it is a {@link Holder}, overrides {@link Scheduler#arm}, marks the arming with
 *       {@link #holdArming}, and expires it with {@link #expireHeld} (the simulator's event loop does, to cost
 *       nothing per arming). A holder may refuse a disarm ({@link Holder#checkDisarm}): the disarm throws.</li>
 * </ul>
 *
 * <h2>The state word</h2>
 * One {@code long}: bit 0 {@link #IN_INBOX} (the node is on a wheel's inbox stack), bit 1 {@link #ARMED}, bit 2
 * {@link #FOREIGN} (the arming is a task of a scheduler that is not a wheel, or held by one: see
 * {@link #holdArming}), and above them the wheel arming's
 * deadline rounded up to a multiple of 8 ns, or, for a foreign arming, a generation count (so that a task left
 * from an earlier arming, one its disarm could not cancel in time, can never claim a later arming). Every
 * transition keeps {@code IN_INBOX} as it is except the wheel's own clearing of it, so a node is never pushed on
 * the inbox twice.
 *
 * <h2>Memory ordering</h2>
 * Every transition of the state word is a volatile-mode atomic operation, so the writes a thread makes before it
 * arms a node happen-before {@code expire()} runs for that arming. The list links are the {@link TimerWheel}'s
 * thread's, apart from {@code inboxNext}, which the pushing thread writes before the compare-and-set that
 * publishes the node on the inbox, and which it may write only while it holds the right to push (it set
 * {@code IN_INBOX}).
 *
 * <p>Thread-safe: {@code arm} and {@code disarm} may be called from any thread (though a {@link Holder} may refuse a
 * disarm on a thread it does not allow, as the simulator's single-threaded event loop does). {@code disarm} is
 * protected: only the node's own code takes its timer back.
 */
public abstract class TimerNode {

    /** The node is on its wheel's inbox stack (the wheel has yet to look at it). */
    static final long IN_INBOX = 1L;
    /** The node is armed: it will expire unless disarmed first. */
    static final long ARMED = 2L;
    /** The arming is a task of a scheduler that holds no nodes; the wheel ignores such an arming. */
    static final long FOREIGN = 4L;
    /** The deadline (wheel) or generation (foreign): the bits above the flags. */
    static final long DEADLINE = ~7L;

    private static final VarHandle WORD;
    private static final VarHandle HOME;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            WORD = lookup.findVarHandle(TimerNode.class, "word", long.class);
            HOME = lookup.findVarHandle(TimerNode.class, "home", Object.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The flags and the deadline or generation, in one word; see the class comment. */
    @SuppressWarnings("unused") // accessed through WORD
    private volatile long word;
    /**
     * The {@link TimerWheel} the node is bound to once armed on one (for good), or before that the task handle of
     * the current or last foreign arming, or the {@link Holder} of the current or last held one, or null. One
     * field, not two: an attempt is its own node, and every word counts.
     */
    private volatile Object home;
    /** The next node of the wheel's inbox; written before the push that publishes it. */
    TimerNode inboxNext;
    /** The neighbours in a wheel bucket's circular list; the wheel's thread only. {@code null}: in no bucket. */
    TimerNode next;
    TimerNode prev;

    /** For subclasses. */
    protected TimerNode() {
    }

    /**
     * The deadline has passed: does what the timer is for. Called once per arming, on the scheduler's thread,
     * unless {@link #disarm()} took the arming back first.
     */
    protected abstract void expire();

    /**
     * Takes the current arming back, if it has not expired yet. O(1), lock-free, never blocks; on a
     * {@link TimerWheel} it allocates nothing, and the wheel forgets the node within one tick.
     *
     * @return {@code true} if this call disarmed the node (its {@link #expire()} will not run for this arming);
     *         {@code false} if it was not armed (never armed, already expired or expiring, or disarmed before)
     */
    protected final boolean disarm() {
        long current = word();
        while (true) {
            if ((current & ARMED) == 0) {
                return false;
            }
            final boolean foreign = (current & FOREIGN) != 0;
            final Object holding = foreign ? home : null;
            if (holding instanceof Holder holder) {
                holder.checkDisarm(this, current & ~IN_INBOX); // may refuse by throwing: the arming stays on
            }
            // A wheel arming not on the inbox is in a bucket, or in the wheel thread's hands: push it, so that the
            // wheel unlinks it at its next tick rather than holding it (and what it references) to its deadline.
            final boolean push = !foreign && (current & IN_INBOX) == 0;
            final long disarmed = (current & ~ARMED) | (push ? IN_INBOX : 0L);
            final long witness = (long) WORD.compareAndExchange(this, current, disarmed);
            if (witness == current) {
                if (push) {
                    ((TimerWheel) home).push(this); // armed on a wheel: bound to it
                } else if (holding instanceof Holder holder) {
                    // the holder read before the CAS, the one that was asked: told even if it is also a Cancellable
                    holder.disarmed(this, current & ~IN_INBOX);
                } else if (foreign && home instanceof Cancellable task) {
                    task.cancel(); // a stale handle at worst: its task's generation no longer matches
                }
                return true;
            }
            current = witness;
        }
    }

    /**
     * Returns whether the node is armed: it will expire unless disarmed first. A racy snapshot.
     *
     * @return {@code true} while armed
     */
    public final boolean isArmed() {
        return (word() & ARMED) != 0;
    }

    // ------------------------------------------------------------------------------ for the schedulers

    final long word() {
        return (long) WORD.getVolatile(this);
    }

    final boolean compareAndSetWord(final long expected, final long value) {
        return WORD.compareAndSet(this, expected, value);
    }

    /** Atomically clears {@link #IN_INBOX}; returns the word before. The wheel's thread only. */
    final long leaveInbox() {
        return (long) WORD.getAndBitwiseAnd(this, ~IN_INBOX);
    }

    /** Whether {@code word} is an arming the wheel must honour (armed, and not a foreign task). */
    static boolean armedOnWheel(final long word) {
        return (word & (ARMED | FOREIGN)) == ARMED;
    }

    /**
     * Binds the node to {@code target} on its first arming on a wheel, by a compare-and-set: of two wheels arming a
     * fresh node at once, one binds it and the other is refused, so the node's home is always the wheel whose lists
     * it may be in (a plain write let the loser overwrite the winner's binding, and a later disarm push the node
     * onto the wrong wheel).
     *
     * @throws IllegalStateException if it is bound to another wheel, or armed (on a scheduler without nodes)
     */
    final void bindTo(final TimerWheel target) {
        Object bound = home;
        while (bound != target) {
            if (bound instanceof TimerWheel other) {
                throw new IllegalStateException(this + " is bound to " + other + " and cannot be armed on " + target);
            }
            if (isArmed()) {
                throw armedAlready();
            }
            final Object witness = HOME.compareAndExchange(this, bound, target);
            if (witness == bound) {
                return;
            }
            bound = witness;
        }
    }

    /**
     * Marks the node armed on its wheel for {@code deadline} (rounded up).
     *
     * @return whether the caller must push the node on the wheel's inbox
     * @throws IllegalStateException if it is armed already
     */
    final boolean markArmed(final long deadline) {
        final long bits = roundUp(deadline) | ARMED | IN_INBOX;
        long current = word();
        while (true) {
            if ((current & ARMED) != 0) {
                throw armedAlready();
            }
            final long witness = (long) WORD.compareAndExchange(this, current, bits);
            if (witness == current) {
                return (current & IN_INBOX) == 0;
            }
            current = witness;
        }
    }

    /**
     * Arms the node on a scheduler that holds no nodes: one task of that scheduler's per arming, whose handle the
     * node keeps for its disarm. The word holds a generation instead of a deadline (see the class comment).
     */
    final void armVia(final Scheduler scheduler, final long delay, final TimeUnit unit) {
        final long generation = markForeignArmed(scheduler, null);
        final Cancellable task;
        try {
            task = scheduler.schedule(new ForeignArming(this, generation), delay, unit);
        } catch (final RuntimeException | Error e) {
            disarm();
            throw e;
        }
        home = task;
        if ((word() & ~IN_INBOX) != generation) {
            task.cancel(); // disarmed before the handle was known: drop the task now rather than at its deadline
        }
    }

    /**
     * Marks the node armed for a scheduler that is not a wheel, with the next generation, and makes {@code handle}
     * (null, or the holder of a held arming) its home, in place of a stale task handle or holder of an earlier
     * arming, which must not be told of this arming's disarm; returns the armed word without {@link #IN_INBOX}.
     */
    private long markForeignArmed(final Scheduler scheduler, final Holder handle) {
        if (home instanceof TimerWheel wheel) { // it may still sit in that wheel's lists, whose links it shares
            throw new IllegalStateException(this + " is bound to " + wheel + " and cannot be armed on " + scheduler);
        }
        long current = word();
        while (true) {
            if ((current & ARMED) != 0) {
                throw armedAlready();
            }
            // the next generation; IN_INBOX stays: the node may still be on a wheel's inbox
            final long armed = (((current & DEADLINE) + 8L) & DEADLINE) | ARMED | FOREIGN | (current & IN_INBOX);
            final long witness = (long) WORD.compareAndExchange(this, current, armed);
            if (witness == current) {
                home = handle;
                return armed & ~IN_INBOX;
            }
            current = witness;
        }
    }

    // ------------------------------------------------------------------------------ held armings

    /**
     * For a {@link Scheduler} that keeps armed nodes in structures of its own instead of one task per arming (it
     * overrides {@link Scheduler#arm} and calls this): marks the node armed and returns the arming's token, which
     * the scheduler keeps beside the node and passes to {@link #expireHeld(long)} no earlier than the deadline.
     * Allocates nothing. A {@link #disarm()} of the arming asks the holder first ({@link Holder#checkDisarm}, which
     * may refuse it) and tells it once it took the arming back ({@link Holder#disarmed}); the holder also learns it
     * from {@link #isHeld(long)} or {@code expireHeld}. A token is never the token of an earlier arming of the node,
     * on any scheduler that is not a wheel, so an entry left from an earlier arming can never claim a later one; and
     * a holder is told only of the disarms of the armings it holds, not of a later arming's elsewhere.
     *
     * <p>The holder becomes the node's just after the compare-and-set that arms it. A disarm on another thread that
     * races this call (before it returns) may take the arming back without asking or telling this holder, asking and
     * telling instead the holder of the node's last held arming, if any; the holder sees it with
     * {@code isHeld(token)}. A scheduler that refuses other threads (the simulator's) is not raced.
     *
     * @param holder the scheduler that holds the arming
     * @return the arming's token
     * @throws IllegalStateException if the node is armed already, or bound to a {@link TimerWheel}
     */
    public final long holdArming(final Holder holder) {
        return markForeignArmed(holder, holder);
    }

    /**
     * A {@link Scheduler} that holds the nodes it arms in structures of its own ({@link #holdArming}) and is asked,
     * then told, when a {@link #disarm()} takes one of those armings back. Both methods run on the disarming thread,
     * inside {@code disarm()}; they must be short and must not block, and may not arm or disarm the node.
     */
    public interface Holder extends Scheduler {

        /**
         * A {@link #disarm()} is about to take back the held arming of {@code token}, by a compare-and-set; throwing
         * refuses the disarm, which throws that exception and leaves the arming on. Called again if the
         * compare-and-set has to be retried; not called if the arming has expired or been disarmed. A refusal is
         * for a disarm that is a programming error (a thread that may not touch this scheduler at all): the
         * limiter's attempt whose end disarmed it still ends everywhere (its slot back, its counters and listeners
         * told) and the throwable then reaches whoever reported the end. By default, every disarm is allowed.
         *
         * @param node  the node
         * @param token the arming's token, as {@link #holdArming} returned it
         */
        default void checkDisarm(final TimerNode node, final long token) {
        }

        /**
         * A {@link #disarm()} took back the held arming of {@code token}: called once for that arming, after the
         * compare-and-set that won it (so {@link #isHeld(long) isHeld(token)} is already false), unless it raced
         * {@link #holdArming} itself (see there). By default, nothing happens.
         *
         * @param node  the node
         * @param token the arming's token, as {@link #holdArming} returned it
         */
        default void disarmed(final TimerNode node, final long token) {
        }
    }

    /**
     * Returns whether the held arming of {@code token} is still on: neither expired nor disarmed. A racy
     * snapshot, exact on the thread that alone arms, disarms and expires the node.
     *
     * @param token a token {@link #holdArming} returned
     * @return {@code true} if that arming will expire unless disarmed first
     */
    public final boolean isHeld(final long token) {
        return (word() & ~IN_INBOX) == token;
    }

    /**
     * The deadline of a held arming has passed: runs {@link #expire()}, on the calling thread, if the arming of
     * {@code token} is still on; races a {@link #disarm()} by one compare-and-set, like any arming's expiry.
     *
     * @param token a token {@link #holdArming} returned
     * @return {@code true} if this call expired the node; {@code false} if that arming was disarmed, or had
     *         expired, before
     */
    public final boolean expireHeld(final long token) {
        return expireIfArmed(token);
    }

    /**
     * The task of a foreign arming, or a held arming's expiry: expires the node if it is still armed by
     * {@code generation}; returns whether it did.
     */
    private boolean expireIfArmed(final long generation) {
        long current = word();
        while ((current & ~IN_INBOX) == generation) {
            final long witness = (long) WORD.compareAndExchange(this, current, current & ~ARMED);
            if (witness == current) {
                expire();
                return true;
            }
            current = witness; // only the wheel clearing IN_INBOX, or a disarm
        }
        return false;
    }

    /**
     * The task of one foreign arming. A named class rather than a lambda: tools that walk object graphs
     * (Lincheck) can read a named class's fields without the package being opened to them.
     */
    private static final class ForeignArming implements Runnable {
        private final TimerNode node;
        private final long generation;

        ForeignArming(final TimerNode node, final long generation) {
            this.node = node;
            this.generation = generation;
        }

        @Override
        public void run() {
            node.expireIfArmed(generation);
        }

        @Override
        public String toString() {
            return "arming of " + node;
        }
    }

    private IllegalStateException armedAlready() {
        return new IllegalStateException(this + " is armed already; a timer node is armed once at a time");
    }

    /** The smallest multiple of 8 at or above {@code deadline}, saturated. */
    static long roundUp(final long deadline) {
        return deadline > (Long.MAX_VALUE & DEADLINE) ? Long.MAX_VALUE & DEADLINE : (deadline + 7) & DEADLINE;
    }
}
