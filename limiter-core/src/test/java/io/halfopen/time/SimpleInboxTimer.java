package io.halfopen.time;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The arming protocol of {@link TimerWheel} (a state word with armed and in-inbox flags, an intrusive Treiber
 * inbox, a wheel that clears the flag as it reads the word and claims a due node by compare-and-set), without
 * buckets, for the known-bad Lincheck controls: each subclass breaks one step, which only an interleaving shows.
 * Sequentially every subclass behaves exactly like the real wheel.
 */
class SimpleInboxTimer implements TimerUnderTest {

    static final long IN_INBOX = 1L;
    static final long ARMED = 2L;
    static final long LATER = 4L;

    /** A node: the word, the inbox link, whether the wheel holds it in its (only) bucket. */
    static final class SimpleNode implements Node {
        final AtomicLong word = new AtomicLong();
        final Runnable onExpire;
        SimpleNode inboxNext;
        boolean placed; // the wheel's thread only
        volatile int expiries;

        SimpleNode(final Runnable onExpire) {
            this.onExpire = onExpire;
        }

        @Override
        public int expiries() {
            return expiries;
        }
    }

    private final AtomicReference<SimpleNode> inbox = new AtomicReference<>();
    private final List<SimpleNode> bucket = new ArrayList<>(); // the wheel's thread only

    @Override
    public Node newNode(final Runnable onExpire) {
        return new SimpleNode(onExpire);
    }

    @Override
    public void arm(final Node n, final boolean dueNow) {
        final SimpleNode node = (SimpleNode) n;
        while (true) {
            final long w = node.word.get();
            if ((w & ARMED) != 0) {
                throw new IllegalStateException("armed already");
            }
            if (node.word.compareAndSet(w, ARMED | IN_INBOX | (dueNow ? 0L : LATER))) {
                if ((w & IN_INBOX) == 0) {
                    push(node);
                }
                return;
            }
        }
    }

    @Override
    public boolean disarm(final Node n) {
        final SimpleNode node = (SimpleNode) n;
        while (true) {
            final long w = node.word.get();
            if ((w & ARMED) == 0) {
                return false;
            }
            final boolean push = (w & IN_INBOX) == 0;
            if (node.word.compareAndSet(w, (w & ~ARMED) | (push ? IN_INBOX : 0L))) {
                if (push) {
                    push(node);
                }
                return true;
            }
        }
    }

    private void push(final SimpleNode node) {
        while (true) {
            final SimpleNode head = inbox.get();
            node.inboxNext = head;
            if (inbox.compareAndSet(head, node)) {
                return;
            }
        }
    }

    @Override
    public void tick() {
        SimpleNode node = inbox.getAndSet(null);
        while (node != null) {
            final SimpleNode following = node.inboxNext;
            node.inboxNext = null;
            long w = leaveInbox(node) & ~IN_INBOX;
            while (true) {
                if ((w & ARMED) == 0) {
                    unplace(node);
                    break;
                }
                if ((w & LATER) == 0) {
                    unplace(node);
                    if (claim(node, w)) {
                        node.expiries++;
                        node.onExpire.run();
                        break;
                    }
                    w = node.word.get();
                    continue;
                }
                if (!node.placed) {
                    node.placed = true;
                    bucket.add(node);
                }
                break;
            }
            node = following;
        }
    }

    private void unplace(final SimpleNode node) {
        if (node.placed) {
            node.placed = false;
            bucket.remove(node);
        }
    }

    /** Clears the in-inbox flag and returns the word before, in one atomic step. */
    long leaveInbox(final SimpleNode node) {
        return node.word.getAndUpdate(w -> w & ~IN_INBOX);
    }

    /** Claims a due node for its expiry: only one of this and a disarm may win. */
    boolean claim(final SimpleNode node, final long seen) {
        return node.word.compareAndSet(seen, seen & ~ARMED);
    }

    @Override
    public int held() {
        return bucket.size();
    }

    /** Known bad: clears the in-inbox flag by a read and a later write; an arm in between is never pushed. */
    static final class PlainFlagClear extends SimpleInboxTimer {
        @Override
        long leaveInbox(final SimpleNode node) {
            final long w = node.word.get(); // BUG: the read and the write below are two steps
            node.word.set(w & ~IN_INBOX);
            return w;
        }
    }

    /** Known bad: claims a due node by check-then-write; a disarm in between also wins. */
    static final class CheckThenClaim extends SimpleInboxTimer {
        @Override
        boolean claim(final SimpleNode node, final long seen) {
            if (node.word.get() != seen) { // BUG: the check and the write below are two steps
                return false;
            }
            node.word.set(seen & ~ARMED);
            return true;
        }
    }
}
