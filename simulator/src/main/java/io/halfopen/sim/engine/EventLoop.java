package io.halfopen.sim.engine;

import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import io.halfopen.time.Ticker;
import io.halfopen.time.TimerNode;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The simulator's clock: a single-threaded discrete-event loop that is also the {@link Ticker} and the
 * {@link Scheduler} of every limiter it drives, so the limiter and its policy run unchanged in virtual time.
 *
 * <h2>Order</h2>
 * Events fire in order of their instant. Events at the same instant fire in two bands: first the world's (the
 * network's answers and the workloads' arrivals, scheduled with {@link #at} or {@link #after}), then the
 * limiters' own timers (scheduled through {@link #schedule}); within a band, in the order they were scheduled.
 * So the order is a total order fixed by the seed and the arguments, and a run is reproducible to the byte.
 * The bands encode one modelling decision: when the simulated TCP stack gives up on a SYN at the same instant
 * as the limiter's half-open timeout (both 21 s in XP's profile, because on XP they were one and the same
 * timer) the stack's own timeout ends the attempt, and the limiter's timer, a backstop for owners that never
 * report, is cancelled unused.
 *
 * <h2>How</h2>
 * A timing wheel of {@value #SLOTS} slots of 2^{@value #SLOT_BITS} ns (about 1 ms; 69 s in all) with an
 * unordered, intrusive list per slot, a binary heap for the slot being fired, and a second heap for events
 * beyond the wheel, which move onto it as it turns. Scheduling and cancelling an event on the wheel are O(1);
 * firing costs O(log k) for the k events of its slot. A cancelled timer (the limiter cancels one per attempt,
 * most often in the very slot being fired, where its owner's answer came at the same instant) is only marked
 * and let go of its task if it is on the wheel or in the firing heap, and dropped unfired when its slot comes:
 * cheaper than unlinking it or sifting the heap, and it never fires, so the order of the events that do fire,
 * and their count, are the same. Beyond the wheel a cancelled timer leaves its heap at once. A world event
 * scheduled for the very instant being fired (a thread's next turn, an answer without delay) that comes after every
 * such event already waiting goes into a first-in, first-out lane instead of the heap: the loop fires whichever of
 * the lane's head and the heap's top comes first, so the order is the same and the lane costs no sifting. A
 * limiter's half-open timer (a {@link TimerNode}, armed with {@link #arm}) is held without an object per arming: its
 * node, instant, order and {@linkplain TimerNode#holdArming token} go into a first-in, first-out ring of arrays,
 * as long as each arming is due no earlier than the last (a limiter's timeout is one constant, so its timers are
 * armed in deadline order), and the loop fires the ring's head when it comes first; an arming due earlier than the
 * ring's last one still on is a task event, as any scheduler's would be (disarmed armings at the ring's tail are
 * dropped as the next arming comes, so that a limiter's disarmed timeouts do not send its next one down that path).
 * A disarmed node stays in the ring until its instant (or until it is such a tail) and is dropped unfired then, like
 * a cancelled task; unlike a cancelled task's event, which lets its task go at once, the ring keeps the node (a
 * limiter's attempt, and what it references) reachable until then, as the disarm only tells the loop to count it
 * ({@link TimerNode.Holder#disarmed}, which keeps {@link #pending()} O(1)), not where its entry is: an attempt that
 * ended before its half-open timeout stays until the timeout. A bitmap of occupied slots, and one of its words
 * that are not zero, lets the loop find the next occupied slot in a few words (a scanner's staircase leaves 21 s
 * of empty slots between its steps). (A binary heap of
 * every event was the first design; with a million pending events its cache misses made it the largest cost
 * of a worm simulation.)
 *
 * <h2>Threads</h2>
 * Confined to the thread that created it: {@link Scheduler}'s contract asks for thread safety, and this loop
 * instead refuses, with an {@link IllegalStateException}, a call from any other thread. A simulation has one
 * thread; the limiter calls {@link #schedule} only from the thread that grants or reports, which is this one.
 * That includes a {@linkplain TimerNode#disarm() disarm} of a node armed here, which the node, not the loop, is
 * called for: a disarm on another thread of an arming the ring holds is refused before it takes the arming back
 * ({@link #checkDisarm}), so it throws and the node stays armed, to expire at its instant. A disarm on another
 * thread of an arming that is a task event (one due before the ring's last live arming) is refused by the task's
 * cancel, which comes after the node's compare-and-set, as for every arming before the ring: it throws with the
 * node disarmed, and the task event stays, counted by {@link #pending()}, until its instant, when it fires (counted
 * by {@link #fired()}) and does nothing. Either way a limiter's attempt whose end made the disarm still ends
 * everywhere (its slot back), and the exception reaches the thread that reported the end. The one disarm on another
 * thread that is not refused is one that races the arming itself, before {@link TimerNode#holdArming} has made this
 * loop the node's holder (see there): then {@link #pending()} counts one arming too many from then on.
 */
public final class EventLoop implements Ticker, TimerNode.Holder {

    static final int SLOT_BITS = 20;
    static final int SLOTS = 1 << 16;
    private static final int MASK = SLOTS - 1;
    private static final long TIMER_BAND = 1L << 62;

    private final Thread owner = Thread.currentThread();
    private final Event[] slots = new Event[SLOTS];
    private final long[] occupied = new long[SLOTS / 64];
    /** Bit w is set iff {@code occupied[w]} is not zero: the next occupied slot is found in a few words. */
    private final long[] occupiedWords = new long[SLOTS / 64 / 64];
    private final EventHeap firing = new EventHeap(Event.FIRING);
    private final EventHeap beyond = new EventHeap(Event.BEYOND);
    /** World events scheduled for the current instant, in order: first in, first out, never sifted. */
    private Event laneHead;
    private Event laneTail;
    private int inLane;
    /** Held node armings in firing order, a ring of parallel arrays: see the class comment. */
    private TimerNode[] heldNodes = new TimerNode[64];
    private long[] heldTimes = new long[64];
    private long[] heldOrders = new long[64];
    private long[] heldTokens = new long[64];
    private int heldHead;
    private int heldCount;
    /** How many of the ring's armings are still on (not disarmed): {@link #pending()}'s share of the ring. */
    private int heldOn;
    private long currentSlot;
    private int onWheel;
    private int lazilyCancelled;
    private long now;
    private long sequence;
    /** The order of the event being fired, -1 outside {@link #runUntil}. */
    private long firingOrder = -1;
    private long fired;
    private boolean stopped;
    /** How many node armings took the task path ({@link Scheduler#arm}) instead of the ring; for tests. */
    long armedAsTasks;
    /** For tests: runs as the held ring is about to grow, so that a test can make the growth fail. */
    Runnable beforeGrowth;

    /** Creates a loop whose clock reads zero. */
    public EventLoop() {
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Schedules a limiter's task; it fires after the world's events of its instant.
     *
     * @param task  the task
     * @param delay the delay, at least zero
     * @param unit  its unit
     * @return the handle that cancels it
     */
    @Override
    public Cancellable schedule(final Runnable task, final long delay, final TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        if (delay < 0) {
            throw new IllegalArgumentException("delay must be >= 0, was " + delay + " " + unit);
        }
        final TaskEvent event = new TaskEvent(task);
        enqueue(event, saturatedAdd(now, unit.toNanos(delay)), TIMER_BAND);
        return event;
    }

    /**
     * Arms a limiter's timer node; it expires after the world's events of its instant, in the order a task
     * scheduled now would run in. Allocates nothing when the node is due no earlier than the last node armed here
     * (see the class comment); otherwise one task, as {@link Scheduler#arm} does.
     *
     * @param node  the node, not armed
     * @param delay the delay, at least zero
     * @param unit  its unit
     */
    @Override
    public void arm(final TimerNode node, final long delay, final TimeUnit unit) {
        Objects.requireNonNull(node, "node");
        if (delay < 0) {
            throw new IllegalArgumentException("delay must be >= 0, was " + delay + " " + unit);
        }
        checkThread();
        final long time = saturatedAdd(now, unit.toNanos(delay));
        dropDisarmedTail();
        if (heldCount > 0 && time < heldTimes[(heldHead + heldCount - 1) & (heldNodes.length - 1)]) {
            armedAsTasks++;
            TimerNode.Holder.super.arm(node, delay, unit); // out of the ring's order: a task event
            return;
        }
        if (heldCount == heldNodes.length) {
            growHeld(); // before the node is marked: if growth fails, the node is not left armed with no entry
        }
        final long token = node.holdArming(this);
        final int at = (heldHead + heldCount) & (heldNodes.length - 1);
        heldNodes[at] = node;
        heldTimes[at] = time;
        heldOrders[at] = TIMER_BAND | sequence++;
        heldTokens[at] = token;
        heldCount++;
        heldOn++;
    }

    /**
     * Drops the disarmed armings at the ring's tail, so that the order check compares an arming with the last one
     * still on. Dropping them now rather than at their instant changes nothing that fires, nor when: a disarmed
     * arming is dropped unfired either way. They must go, not merely be skipped by the check: the loop fires the ring
     * from its head, so an arming placed behind a disarmed one due later would wait for that one's instant.
     * Amortized O(1): each arming is dropped at most once.
     */
    private void dropDisarmedTail() {
        while (heldCount > 0) {
            final int at = (heldHead + heldCount - 1) & (heldNodes.length - 1);
            if (heldNodes[at].isHeld(heldTokens[at])) {
                return;
            }
            heldNodes[at] = null;
            heldCount--;
        }
    }

    /**
     * Refuses a disarm of a held arming from a thread other than the loop's, before the disarm takes the arming back
     * (see the class comment): called by {@link TimerNode}'s disarm.
     *
     * @param node  the node
     * @param token its arming's token
     * @throws IllegalStateException on any other thread; the arming stays on
     */
    @Override
    public void checkDisarm(final TimerNode node, final long token) {
        checkThread();
    }

    /**
     * Counts a held arming's disarm, on the loop's thread (after {@link #checkDisarm}): called by {@link TimerNode}'s
     * disarm, once per arming the ring holds, so {@link #pending()} need not look at the ring.
     *
     * @param node  the node
     * @param token its arming's token
     */
    @Override
    public void disarmed(final TimerNode node, final long token) {
        heldOn--;
    }

    private void growHeld() {
        if (beforeGrowth != null) {
            beforeGrowth.run();
        }
        final int length = heldNodes.length;
        final TimerNode[] nodes = new TimerNode[length * 2];
        final long[] times = new long[length * 2];
        final long[] orders = new long[length * 2];
        final long[] tokens = new long[length * 2];
        for (int i = 0; i < heldCount; i++) {
            final int from = (heldHead + i) & (length - 1);
            nodes[i] = heldNodes[from];
            times[i] = heldTimes[from];
            orders[i] = heldOrders[from];
            tokens[i] = heldTokens[from];
        }
        heldNodes = nodes;
        heldTimes = times;
        heldOrders = orders;
        heldTokens = tokens;
        heldHead = 0;
    }

    /**
     * Schedules a world event at an instant, which must not be in the past.
     *
     * @param event an event that is not scheduled
     * @param time  virtual nanoseconds, at least {@link #nanoTime()}
     */
    public void at(final Event event, final long time) {
        if (time < now) {
            throw new IllegalArgumentException("cannot schedule at " + time + " ns, before now (" + now + " ns)");
        }
        enqueue(event, time, 0L);
    }

    /**
     * Reserves the place in the order of events at one instant that a world event scheduled now would get, for
     * {@link #at(Event, long, long)}: an actor that keeps a queue of its own future events (a worm's threads
     * waiting for their turns) fires them through one event, each in the place it would have had as an event of
     * its own, so the order of everything that fires does not depend on how the actor keeps them.
     *
     * @return the reservation
     */
    public long reserve() {
        checkThread();
        return sequence++;
    }

    /**
     * Schedules a world event at an instant, in the place of a reservation: among the world's events of that
     * instant it fires where an event scheduled when {@link #reserve()} returned the reservation would have.
     *
     * @param event       an event that is not scheduled
     * @param time        virtual nanoseconds, at least {@link #nanoTime()}
     * @param reservation a reservation of this loop; if {@code time} is now and a world event is being fired, one
     *                    made after that event was scheduled
     */
    public void at(final Event event, final long time, final long reservation) {
        if (time < now) {
            throw new IllegalArgumentException("cannot schedule at " + time + " ns, before now (" + now + " ns)");
        }
        if (reservation < 0 || reservation >= sequence) {
            throw new IllegalArgumentException(reservation + " is not a reservation of this loop");
        }
        if (time == now && (firingOrder & TIMER_BAND) == 0 && reservation <= firingOrder) {
            throw new IllegalArgumentException("reservation " + reservation + " at " + time
                    + " ns comes before the event being fired (" + firingOrder + "): it would be in the past");
        }
        checkThread();
        if (event.where != Event.NOWHERE) {
            throw new IllegalStateException("event " + event + " is already scheduled at " + event.time + " ns");
        }
        event.time = time;
        event.order = reservation;
        event.loop = this;
        placeNew(event);
    }

    /**
     * Schedules a world event after a delay.
     *
     * @param event      an event that is not scheduled
     * @param delayNanos at least zero
     */
    public void after(final Event event, final long delayNanos) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delay must be >= 0, was " + delayNanos + " ns");
        }
        enqueue(event, saturatedAdd(now, delayNanos), 0L);
    }

    /**
     * Fires every event due at or before {@code endTime}, in order, then sets the clock to {@code endTime}
     * (unless {@link #stop()} was called, which leaves the clock at the instant of the last event).
     *
     * @param endTime virtual nanoseconds; {@link Long#MAX_VALUE} runs until no event is left
     * @return {@code true} if events remain after {@code endTime}
     */
    public boolean runUntil(final long endTime) {
        checkThread();
        stopped = false;
        while (!stopped) {
            final Event top = firing.isEmpty() ? null : firing.peek();
            final Event lane = laneHead;
            final boolean fromLane = lane != null && (top == null || !EventHeap.before(top, lane));
            final Event first = fromLane ? lane : top;
            if (heldCount > 0 && heldComesBefore(first)) {
                final int h = heldHead;
                final long time = heldTimes[h];
                if (time > endTime) {
                    break;
                }
                final TimerNode node = heldNodes[h];
                final long token = heldTokens[h];
                final long order = heldOrders[h];
                heldNodes[h] = null;
                heldHead = (h + 1) & (heldNodes.length - 1);
                heldCount--;
                if (!node.isHeld(token)) {
                    continue; // disarmed: dropped unfired, as a cancelled task is
                }
                heldOn--; // before the expiry, which may arm the node again
                now = time;
                fired++;
                firingOrder = order;
                node.expireHeld(token);
                continue;
            }
            final Event next;
            if (fromLane) {
                if (lane.time > endTime) {
                    break;
                }
                unlinkFromLane(lane);
                next = lane;
            } else if (top != null) {
                if (top.time > endTime) {
                    break;
                }
                firing.poll();
                next = top;
            } else {
                if (!turnTo(endTime)) {
                    break;
                }
                continue; // the slot may have held only cancelled timers
            }
            if (next instanceof TaskEvent timer && timer.cancelled) {
                lazilyCancelled--;
                continue;
            }
            now = next.time;
            fired++;
            firingOrder = next.order;
            next.fire();
        }
        firingOrder = -1;
        if (!stopped && endTime != Long.MAX_VALUE && endTime > now) {
            now = endTime;
        }
        return pending() > 0;
    }

    /**
     * Whether the ring's head fires before {@code first} (the lane's or the firing heap's next, or null): only once
     * the wheel has turned to its slot, since an event of an earlier slot may still be on the wheel.
     */
    private boolean heldComesBefore(final Event first) {
        final int h = heldHead;
        final long time = heldTimes[h];
        if ((time >>> SLOT_BITS) > currentSlot) {
            return false;
        }
        return first == null || time < first.time || (time == first.time && heldOrders[h] < first.order);
    }

    /** Makes the running {@link #runUntil} return after the current event. */
    public void stop() {
        stopped = true;
    }

    /**
     * Returns how many events are scheduled, held node armings that are still on included (not the disarmed ones the
     * ring still holds), in O(1): the loop counts a held arming's disarm as the node tells it
     * ({@link TimerNode.Holder#disarmed}).
     *
     * @return the number of pending events
     */
    public int pending() {
        return firing.size() + onWheel + beyond.size() + inLane - lazilyCancelled + heldOn;
    }

    /**
     * Returns how many events have fired since the loop was created.
     *
     * @return the count
     */
    public long fired() {
        return fired;
    }

    // ------------------------------------------------------------------------------------------ the wheel

    private void enqueue(final Event event, final long time, final long band) {
        checkThread();
        if (event.where != Event.NOWHERE) {
            throw new IllegalStateException("event " + event + " is already scheduled at " + event.time + " ns");
        }
        event.time = time;
        event.order = band | sequence++;
        event.loop = this;
        placeNew(event);
    }

    /**
     * Places a newly scheduled event: into the lane if it is a world event for the current instant that comes
     * after every event in the lane (so the lane stays in order without sifting: a thread's next turn, an answer
     * with no delay), else by its time.
     */
    private void placeNew(final Event event) {
        if (event.time == now && event.order < TIMER_BAND && (now >>> SLOT_BITS) == currentSlot
                && (laneTail == null || laneTail.order < event.order)) {
            event.prev = laneTail;
            event.next = null;
            if (laneTail == null) {
                laneHead = event;
            } else {
                laneTail.next = event;
            }
            laneTail = event;
            event.where = Event.LANE;
            inLane++;
        } else {
            place(event);
        }
    }

    private void unlinkFromLane(final Event event) {
        if (event.prev != null) {
            event.prev.next = event.next;
        } else {
            laneHead = event.next;
        }
        if (event.next != null) {
            event.next.prev = event.prev;
        } else {
            laneTail = event.prev;
        }
        event.next = null;
        event.prev = null;
        event.where = Event.NOWHERE;
        inLane--;
    }

    private void place(final Event event) {
        final long slot = event.time >>> SLOT_BITS;
        if (slot <= currentSlot) {
            firing.add(event);
        } else if (slot - currentSlot < SLOTS) {
            link(event, (int) (slot & MASK));
        } else {
            beyond.add(event);
        }
    }

    void remove(final Event event) {
        checkThread();
        if (event instanceof TaskEvent timer && event.where != Event.BEYOND) {
            if (!timer.cancelled) {
                timer.markCancelled();
                lazilyCancelled++;
            }
            return;
        }
        switch (event.where) {
            case Event.FIRING -> firing.remove(event);
            case Event.BEYOND -> beyond.remove(event);
            case Event.WHEEL -> unlink(event);
            case Event.LANE -> unlinkFromLane(event);
            default -> {
                // not scheduled
            }
        }
    }

    /**
     * Moves the wheel to the next slot that holds events, at most to {@code endTime}'s, and puts that slot's events
     * into the firing heap; returns false if there is none.
     */
    private boolean turnTo(final long endTime) {
        long next = nextOccupied();
        if (next < 0 && !beyond.isEmpty()) {
            next = beyond.peek().time >>> SLOT_BITS;
        }
        if (heldCount > 0) {
            final long heldSlot = heldTimes[heldHead] >>> SLOT_BITS; // after the current slot: see runUntil
            if (next < 0 || heldSlot < next) {
                next = heldSlot;
            }
        }
        if (next < 0 || next > (endTime >>> SLOT_BITS)) {
            return false;
        }
        currentSlot = next;
        final long horizon = currentSlot + SLOTS;
        while (!beyond.isEmpty() && (beyond.peek().time >>> SLOT_BITS) < horizon) {
            place(beyond.poll());
        }
        final int ring = (int) (currentSlot & MASK);
        Event e = slots[ring];
        slots[ring] = null;
        clearOccupied(ring);
        while (e != null) {
            final Event after = e.next;
            e.next = null;
            e.prev = null;
            onWheel--;
            if (e instanceof TaskEvent timer && timer.cancelled) {
                e.where = Event.NOWHERE;
                lazilyCancelled--;
            } else {
                firing.add(e);
            }
            e = after;
        }
        return true;
    }

    /** The absolute number of the first occupied slot after the current one, or -1 if the wheel is empty. */
    private long nextOccupied() {
        if (onWheel == 0) {
            return -1;
        }
        final int start = (int) ((currentSlot + 1) & MASK);
        int word = start >>> 6;
        long bits = occupied[word] & (-1L << (start & 63));
        if (bits == 0) {
            word = nextOccupiedWord(word);
            bits = occupied[word]; // word's own slots before start only if the turn went all the way round
        }
        final int ring = (word << 6) + Long.numberOfTrailingZeros(bits);
        final int distance = (ring - start) & MASK;
        return currentSlot + 1 + distance;
    }

    /**
     * The first word of {@code occupied} after {@code word}, going round, that is not zero: {@code word} itself if
     * no other is (then only its slots before the start are occupied, one turn of the wheel away).
     */
    private int nextOccupiedWord(final int word) {
        int group = word >>> 6;
        long bits = occupiedWords[group] & (-2L << (word & 63)); // the words after this one in its group
        for (int scanned = 0; scanned <= occupiedWords.length; scanned++) {
            if (bits != 0) {
                return (group << 6) + Long.numberOfTrailingZeros(bits);
            }
            group = (group + 1) & (occupiedWords.length - 1);
            bits = occupiedWords[group];
        }
        throw new IllegalStateException("the wheel counts " + onWheel + " events but no slot holds one");
    }

    private void clearOccupied(final int ring) {
        final int word = ring >>> 6;
        final long bits = occupied[word] & ~(1L << ring);
        occupied[word] = bits;
        if (bits == 0) {
            occupiedWords[word >>> 6] &= ~(1L << word);
        }
    }

    private void link(final Event event, final int ring) {
        final Event head = slots[ring];
        event.next = head;
        event.prev = null;
        if (head != null) {
            head.prev = event;
        }
        slots[ring] = event;
        occupied[ring >>> 6] |= 1L << ring;
        occupiedWords[ring >>> 12] |= 1L << (ring >>> 6);
        event.where = Event.WHEEL;
        onWheel++;
    }

    private void unlink(final Event event) {
        final int ring = (int) ((event.time >>> SLOT_BITS) & MASK);
        if (event.prev != null) {
            event.prev.next = event.next;
        } else {
            slots[ring] = event.next;
            if (event.next == null) {
                clearOccupied(ring);
            }
        }
        if (event.next != null) {
            event.next.prev = event.prev;
        }
        event.next = null;
        event.prev = null;
        event.where = Event.NOWHERE;
        onWheel--;
    }

    private void checkThread() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("an EventLoop is confined to the thread that created it (" + owner.getName()
                    + "), called from " + Thread.currentThread().getName());
        }
    }

    private static long saturatedAdd(final long a, final long b) {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
