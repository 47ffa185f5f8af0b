package io.halfopen.time;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coarse timer for timeouts: a hashed timing wheel (Varghese and Lauck, 1987, scheme 6) whose timers are
 * {@link TimerNode}s, armed from any thread without a lock and without allocating, disarmed in O(1), and fired
 * by one thread. {@link Scheduler#system()} is one of these, shared by the whole process: every limiter's
 * half-open and queue timeouts and every session limiter's AutoDisconnect and null-session timers run on its one
 * thread, {@code halfopen-timer}.
 *
 * <h2>Precision</h2>
 * Time is cut into ticks of {@link #precision()} (10 ms by default; the shared wheel's is set by the system
 * property {@value #PRECISION_PROPERTY}, in milliseconds). A timer fires at the first tick the wheel processes at
 * or after its deadline: never early, and, while the wheel's thread gets the CPU on time, at most one tick late.
 * That is what half-open and queue timeouts need (tens of milliseconds on a 21 s timeout), and it is what makes
 * a timer cheap: the wheel never sorts, and a connect that ends in a millisecond never wakes the timer thread.
 *
 * <h2>How</h2>
 * <ul>
 *   <li><b>Arming</b> ({@link #arm}, any thread): one compare-and-set of the node's state word (armed flag,
 *       in-inbox flag and deadline), then, unless the node is in the inbox already, one compare-and-set pushing it
 *       onto the wheel's <em>inbox</em>, an intrusive Treiber stack through {@link TimerNode#inboxNext}.</li>
 *   <li><b>Disarming</b> ({@link TimerNode#disarm()}, any thread): one compare-and-set of the state word. A node
 *       still in the inbox is left there (the wheel drops it when it drains the inbox); a node already in a
 *       bucket is pushed into the inbox once more, so that the wheel unlinks it at its next tick rather than
 *       keeping it, and what it references, until its deadline.</li>
 *   <li><b>Ticking</b> (the wheel's thread only): swap the inbox for an empty one, and for each node clear its
 *       in-inbox flag and read its word in one atomic step; an armed node goes into the bucket of its deadline's
 *       tick (a circular doubly linked list with a sentinel, one per bucket), or fires at once if due; a disarmed
 *       one is unlinked from its bucket if it is in one. Then process the buckets of every tick that has come:
 *       each node whose deadline has passed is claimed by a compare-and-set of its word (which a racing disarm
 *       may win instead) and, if claimed, expired; one whose deadline lies in a later turn of the wheel stays;
 *       one disarmed meanwhile is unlinked.</li>
 *   <li><b>Sleeping</b>: while any node is in a bucket, the thread wakes once per tick. With none, it parks until
 *       an arm pushes onto an empty inbox and finds the wheel idle ({@code idle} is set before the wheel's last
 *       look at the inbox and read after the arm's push, both volatile, so one of the two sees the other).</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ol>
 *   <li>Each arming of a node ends exactly once: its {@link TimerNode#expire()} runs, or a disarm returned
 *       {@code true}; both go through a compare-and-set of the node's word from the armed value.</li>
 *   <li>Never early: a node is expired only once the wheel's clock has reached its (rounded-up) deadline.</li>
 *   <li>Never lost: a node whose word is armed is in the inbox, or in the bucket of its deadline's tick (a tick
 *       after the last one processed), or being processed by the wheel's thread. A node is pushed whenever its
 *       word changes in a way the wheel has not seen (armed, or disarmed while in a bucket), unless its in-inbox
 *       flag is set already, and the wheel clears that flag in the same atomic step as it reads the word.</li>
 *   <li>Memory: the wheel references a disarmed node for at most one tick after the disarm.</li>
 * </ol>
 *
 * <p>Thread-safe. {@link #schedule(Runnable, long, TimeUnit)} allocates one small node per task (for callers
 * that have no node of their own); {@link #arm} allocates nothing.
 */
public final class TimerWheel implements Scheduler {

    /** The system property that sets the shared wheel's precision, in milliseconds (default 10). */
    public static final String PRECISION_PROPERTY = "io.halfopen.timer.precisionMillis";

    /** The default precision. */
    public static final Duration DEFAULT_PRECISION = Duration.ofMillis(10);

    static final Logger LOG = LoggerFactory.getLogger(TimerWheel.class);

    /** How far the buckets reach, one turn of the wheel; later deadlines wait for their turn. */
    private static final long SPAN_NANOS = TimeUnit.SECONDS.toNanos(16);
    private static final int MIN_BUCKETS = 64;
    private static final int MAX_BUCKETS = 1024;

    private static final VarHandle INBOX;
    private static final VarHandle IDLE;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            INBOX = lookup.findVarHandle(TimerWheel.class, "inbox", TimerNode.class);
            IDLE = lookup.findVarHandle(TimerWheel.class, "idle", boolean.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final Ticker ticker;
    private final long tickNanos;
    private final Bucket[] buckets;
    /** One bit per bucket: set while it holds a node. The wheel's thread only. */
    private final long[] occupied;
    private final int mask;
    private final Driver driver;
    /** The time tick 0 starts at. */
    private final long origin;

    @SuppressWarnings("unused") // accessed through INBOX
    private volatile TimerNode inbox;
    @SuppressWarnings("unused") // accessed through IDLE
    private volatile boolean idle = true;

    // The wheel's thread only:
    /** The last tick processed; every later tick's bucket holds only nodes of that tick or later turns. */
    private long currentTick;
    /** Nodes in buckets. */
    private int placed;
    /** Whether a thread is inside {@link #advanceTo}: a cheap guard against two threads ticking one wheel. */
    private volatile boolean ticking;

    private TimerWheel(final String name, final Ticker ticker, final Duration precision, final Driver driver) {
        this.name = name;
        this.ticker = ticker;
        this.tickNanos = positive(precision);
        final long wanted = Math.max(MIN_BUCKETS, Math.min(MAX_BUCKETS, SPAN_NANOS / tickNanos));
        final int size = Integer.highestOneBit((int) wanted - 1) << 1;
        this.buckets = new Bucket[size];
        for (int i = 0; i < size; i++) {
            buckets[i] = new Bucket(i);
        }
        this.occupied = new long[size / 64];
        this.mask = size - 1;
        this.driver = driver;
        this.origin = ticker.nanoTime();
        this.currentTick = 0;
    }

    /**
     * Returns the process's shared wheel, the one behind {@link Scheduler#system()}: system time, its own daemon
     * thread {@code halfopen-timer} (started on first use), the precision of {@value #PRECISION_PROPERTY}.
     *
     * @return the shared wheel
     * @throws IllegalArgumentException if the property is set to anything but a positive number of milliseconds
     */
    public static TimerWheel shared() {
        final TimerWheel wheel = Shared.WHEEL;
        if (wheel == null) { // the property is bad: the same clear error at every use, not a NoClassDefFoundError
            throw new IllegalArgumentException(Shared.BAD_PRECISION.getMessage(), Shared.BAD_PRECISION);
        }
        return wheel;
    }

    /**
     * Starts a wheel of its own, on system time, with its own daemon thread. Most code should use
     * {@link #shared()}: one thread serves every limiter.
     *
     * @param threadName the thread's name
     * @param precision  the tick: positive, at most 16 s
     * @return the running wheel
     */
    public static TimerWheel start(final String threadName, final Duration precision) {
        Objects.requireNonNull(threadName, "threadName");
        final ThreadDriver driver = new ThreadDriver(threadName);
        final TimerWheel wheel = new TimerWheel(threadName, Ticker.system(), precision, driver);
        driver.start(wheel);
        return wheel;
    }

    /**
     * Creates a wheel in virtual time: it reads {@code clock} and ticks as tasks of {@code clock}, so that a test
     * moves its timers with {@link VirtualClock#advance} like everything else, with the wheel's real precision
     * (a timer fires at the first tick at or after its deadline).
     *
     * @param clock     the virtual clock that drives it
     * @param precision the tick
     * @return the wheel
     */
    public static TimerWheel onClock(final VirtualClock clock, final Duration precision) {
        Objects.requireNonNull(clock, "clock");
        final ClockDriver driver = new ClockDriver(clock);
        final TimerWheel wheel = new TimerWheel("virtual", clock, precision, driver);
        driver.wheel = wheel;
        return wheel;
    }

    /**
     * Creates a wheel that nobody drives: the caller ticks it with {@link #advanceTo}. For tests that run the
     * wheel's thread's part themselves.
     *
     * @param ticker    the clock deadlines are read on
     * @param precision the tick
     * @param wakes     run each time an arm finds the wheel idle (a thread driver would unpark)
     * @return the wheel
     */
    static TimerWheel manual(final Ticker ticker, final Duration precision, final Runnable wakes) {
        return new TimerWheel("manual", ticker, precision, wakes::run);
    }

    /**
     * The start of the next occupied tick; for tests of a manual wheel. The wheel's thread only.
     *
     * @return nanoseconds on the wheel's clock, or {@link Long#MAX_VALUE} if no node is in a bucket
     */
    long nextOccupied() {
        return nextOccupiedTickStart();
    }

    /**
     * The start of the tick after the one {@code now} falls in.
     *
     * @param now a reading of the wheel's clock
     * @return nanoseconds on the wheel's clock
     */
    long nextTickStart(final long now) {
        return saturatedAdd(origin, (Math.floorDiv(now - origin, tickNanos) + 1) * tickNanos);
    }

    /**
     * Returns the tick: how late a timer may fire, at most, while the wheel's thread runs on time.
     *
     * @return the precision
     */
    public Duration precision() {
        return Duration.ofNanos(tickNanos);
    }

    /**
     * Returns the wheel's clock.
     *
     * @return the ticker it reads deadlines on
     */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * Arms {@code node} to expire {@code delay} from now: one compare-and-set of the node and, usually, one of the
     * wheel's inbox; no lock, no allocation. The node is bound to this wheel from its first arming on.
     *
     * @param node  the node, not armed
     * @param delay at least zero
     * @param unit  the unit of {@code delay}
     * @throws IllegalStateException if the node is armed already, or bound to another wheel
     */
    @Override
    public void arm(final TimerNode node, final long delay, final TimeUnit unit) {
        Objects.requireNonNull(node, "node");
        if (delay < 0) {
            throw new IllegalArgumentException("delay must be >= 0, was " + delay + " " + unit);
        }
        armAt(node, saturatedAdd(ticker.nanoTime(), unit.toNanos(delay)));
    }

    /**
     * Arms {@code node} to expire at {@code deadline} on this wheel's {@link #ticker()}: {@link #arm} without its
     * clock reading, for a caller that has just read the same clock (the limiter arms an attempt's half-open timer
     * from its grant's reading). A deadline already past expires at the wheel's next tick.
     *
     * @param node     the node, not armed
     * @param deadline a reading of {@link #ticker()} plus the delay
     * @throws IllegalStateException if the node is armed already, or bound to another wheel
     */
    public void armAt(final TimerNode node, final long deadline) {
        Objects.requireNonNull(node, "node");
        node.bindTo(this);
        if (node.markArmed(deadline)) {
            push(node);
        }
    }

    /**
     * Schedules a task: allocates one node for it. Callers with a node of their own use {@link #arm}.
     *
     * @param task  the task
     * @param delay at least zero
     * @param unit  the unit
     * @return a handle that disarms the task's node
     */
    @Override
    public Cancellable schedule(final Runnable task, final long delay, final TimeUnit unit) {
        final TaskNode node = new TaskNode(Objects.requireNonNull(task, "task"));
        arm(node, delay, unit);
        return node;
    }

    /** Puts {@code node} on the inbox; wakes the wheel if the inbox was empty and the wheel idle. */
    void push(final TimerNode node) {
        TimerNode head = (TimerNode) INBOX.getVolatile(this);
        while (true) {
            node.inboxNext = head;
            final TimerNode witness = (TimerNode) INBOX.compareAndExchange(this, head, node);
            if (witness == head) {
                break;
            }
            head = witness;
        }
        if (head == null) {
            if ((boolean) IDLE.getVolatile(this) && IDLE.compareAndSet(this, true, false)) {
                driver.wake();
            } else {
                driver.inboxStarted();
            }
        }
    }

    /**
     * Processes the wheel up to {@code now}: drains the inbox and expires every node due by then. Called by the
     * driver, on one thread at a time.
     *
     * @param now the wheel clock's reading
     * @return when the wheel wants to run next (the next tick's start), or {@link Long#MAX_VALUE} if it went
     *         idle; what is armed while it runs waits for the next tick
     */
    long advanceTo(final long now) {
        if (ticking) {
            throw new IllegalStateException(name + " wheel: advanceTo called by two threads at once");
        }
        ticking = true;
        try {
            drainInbox(now);
            final long target = Math.floorDiv(now - origin, tickNanos);
            if (target > currentTick) {
                final long steps = target - currentTick;
                if (steps > buckets.length) { // a long sleep: one turn looks at every node
                    for (int i = 0; i < buckets.length; i++) {
                        expireBucket(buckets[(int) ((currentTick + 1 + i) & mask)], now);
                    }
                } else {
                    for (long tick = currentTick + 1; tick <= target; tick++) {
                        expireBucket(buckets[(int) (tick & mask)], now);
                    }
                }
                currentTick = target;
            }
            if (placed > 0) {
                return nextTickStart(now);
            }
            IDLE.setVolatile(this, true);
            if (INBOX.getVolatile(this) == null) {
                return Long.MAX_VALUE;
            }
            // Armed while this tick ran: the next tick takes it (it is due at a tick at the earliest). If an arm
            // won the flag back first it woke the driver, which then finds the wheel at work: harmless.
            IDLE.compareAndSet(this, true, false);
            return nextTickStart(now);
        } finally {
            ticking = false;
        }
    }

    private void drainInbox(final long now) {
        TimerNode node = (TimerNode) INBOX.getAndSet(this, null);
        while (node != null) {
            final TimerNode following = node.inboxNext; // read before the flag clears: a new push rewrites it
            node.inboxNext = null;
            long word = node.leaveInbox() & ~TimerNode.IN_INBOX;
            while (true) {
                if (!TimerNode.armedOnWheel(word)) { // disarmed, or armed since on a scheduler without nodes
                    unlink(node);
                    break;
                }
                if ((word & TimerNode.DEADLINE) <= now) {
                    unlink(node);
                    if (node.compareAndSetWord(word, word & ~TimerNode.ARMED)) {
                        runExpire(node);
                        break;
                    }
                    word = node.word(); // disarmed, or disarmed and armed again, meanwhile
                    continue;
                }
                place(node, word & TimerNode.DEADLINE);
                break;
            }
            node = following;
        }
    }

    private void expireBucket(final Bucket bucket, final long now) {
        TimerNode node = bucket.next;
        if (node == bucket) {
            return;
        }
        final TimerNode last = bucket.prev;
        bucket.next = bucket;
        bucket.prev = bucket;
        occupied[bucket.index >>> 6] &= ~(1L << bucket.index);
        last.next = null; // the detached chain ends here
        while (node != null) {
            final TimerNode following = node.next;
            node.next = null;
            node.prev = null;
            placed--;
            long word = node.word();
            while (true) {
                if (!TimerNode.armedOnWheel(word)) {
                    break; // disarmed (it may still be on the inbox, where it is now found unlinked), or foreign
                }
                if ((word & TimerNode.DEADLINE) <= now) {
                    if (node.compareAndSetWord(word, word & ~TimerNode.ARMED)) {
                        runExpire(node);
                        break;
                    }
                    word = node.word();
                    continue;
                }
                place(node, word & TimerNode.DEADLINE); // a later turn, or armed again since it was placed
                break;
            }
            node = following;
        }
    }

    /** Links {@code node} into the bucket of {@code deadline}'s tick, moving it if it is in another. */
    private void place(final TimerNode node, final long deadline) {
        unlink(node);
        final long offset = deadline - origin;
        final long tick = ((deadline ^ offset) & (~origin ^ offset)) < 0 ? Long.MAX_VALUE // overflowed: never
                : Math.max(currentTick + 1, ceilDiv(offset, tickNanos));
        final Bucket bucket = buckets[(int) (tick & mask)];
        final TimerNode last = bucket.prev;
        node.prev = last;
        node.next = bucket;
        last.next = node;
        bucket.prev = node;
        occupied[bucket.index >>> 6] |= 1L << bucket.index;
        placed++;
    }

    private void unlink(final TimerNode node) {
        final TimerNode after = node.next;
        if (after == null) {
            return;
        }
        final TimerNode before = node.prev;
        before.next = after;
        after.prev = before;
        node.next = null;
        node.prev = null;
        placed--;
        if (before == after) { // the bucket's sentinel alone: empty now
            final int index = ((Bucket) before).index;
            occupied[index >>> 6] &= ~(1L << index);
        }
    }

    /**
     * The start of the first tick after the current one whose bucket holds a node, or {@link Long#MAX_VALUE} if
     * none does: a driver that need not drain the inbox every tick (a virtual clock, told of every push) sleeps
     * until then. The wheel's thread only.
     */
    private long nextOccupiedTickStart() {
        if (placed == 0) {
            return Long.MAX_VALUE;
        }
        final int start = (int) ((currentTick + 1) & mask);
        int word = start >>> 6;
        long bits = occupied[word] & (-1L << (start & 63));
        for (int scanned = 0; scanned <= occupied.length; scanned++) {
            if (bits != 0) {
                final int bucket = (word << 6) + Long.numberOfTrailingZeros(bits);
                final long tick = currentTick + 1 + ((bucket - start) & mask);
                return saturatedAdd(origin, tick * tickNanos);
            }
            word = (word + 1) % occupied.length;
            bits = occupied[word];
        }
        throw new IllegalStateException(name + " wheel counts " + placed + " placed nodes but no bucket holds one");
    }

    /**
     * Runs a claimed node's {@code expire()}; a throw is logged, never propagated into the wheel, even when logging
     * it throws too (a throwable whose message cannot be computed): the rest of the tick's nodes and every later
     * tick depend on it.
     */
    static void runExpire(final TimerNode node) {
        try {
            node.expire();
        } catch (final Throwable t) {
            try {
                LOG.error("a timer's expire() threw: {}", node, t);
            } catch (final Throwable unloggable) {
                try {
                    LOG.error("a timer's expire() threw a {} that could not be logged ({} while logging it)",
                            t.getClass().getName(), unloggable.getClass().getName());
                } catch (final Throwable ignored) {
                    // nothing left to tell it with; the wheel goes on
                }
            }
        }
    }

    /**
     * Returns how many nodes the wheel holds in its buckets: armed ones, and disarmed ones it has not dropped yet.
     * Read on any thread it is a racy snapshot; for tests and diagnostics.
     *
     * @return nodes in buckets
     */
    public int placedNodes() {
        return placed;
    }

    /**
     * Returns whether the wheel is idle: nothing in its buckets or inbox, its thread parked (or, on a virtual
     * clock, no tick scheduled). A racy snapshot.
     *
     * @return {@code true} if idle
     */
    public boolean isIdle() {
        return (boolean) IDLE.getVolatile(this);
    }

    @Override
    public String toString() {
        return "TimerWheel[" + name + ", precision " + precision() + ", " + buckets.length + " buckets]";
    }

    private static long positive(final Duration precision) {
        Objects.requireNonNull(precision, "precision");
        if (precision.isNegative() || precision.isZero()) {
            throw new IllegalArgumentException("precision must be positive, was " + precision);
        }
        final long nanos = precision.toNanos();
        if (nanos > SPAN_NANOS) {
            throw new IllegalArgumentException("precision must be at most " + Duration.ofNanos(SPAN_NANOS)
                    + ", was " + precision);
        }
        return nanos;
    }

    private static long ceilDiv(final long a, final long b) {
        return -Math.floorDiv(-a, b);
    }

    static long saturatedAdd(final long a, final long b) {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    /** A bucket's sentinel: the head and tail of its circular list. */
    private static final class Bucket extends TimerNode {
        final int index;

        Bucket(final int index) {
            this.index = index;
            next = this;
            prev = this;
        }

        @Override
        protected void expire() {
            throw new AssertionError("a bucket's sentinel never expires");
        }
    }

    /** The node of a {@link #schedule}d task. */
    private static final class TaskNode extends TimerNode implements Cancellable {
        private final Runnable task;

        TaskNode(final Runnable task) {
            this.task = task;
        }

        @Override
        protected void expire() {
            task.run();
        }

        @Override
        public void cancel() {
            disarm();
        }

        @Override
        public String toString() {
            return "TimerWheel task " + task;
        }
    }

    /** What makes a wheel tick: its own thread, or a virtual clock. */
    private interface Driver {
        /** The wheel went from idle to having work: make it tick. */
        void wake();

        /**
         * A node was pushed onto an empty inbox of a wheel that is not idle. A driver that ticks every tick while
         * the wheel is busy (a thread) ignores it; one that sleeps until the next occupied bucket (a virtual
         * clock) drains the inbox now, since the node may be due before that bucket.
         */
        default void inboxStarted() {
        }
    }

    /**
     * A daemon thread that ticks the wheel on system time and parks while it is idle. It ignores interrupts: it
     * clears its interrupt flag after every tick, so a task that interrupts it affects that task alone.
     */
    private static final class ThreadDriver implements Driver, Runnable {
        private final Thread thread;
        private TimerWheel wheel;

        ThreadDriver(final String threadName) {
            this.thread = new Thread(this, threadName);
            thread.setDaemon(true);
        }

        void start(final TimerWheel wheel) {
            this.wheel = wheel;
            thread.start();
        }

        @Override
        public void wake() {
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            final Ticker ticker = wheel.ticker;
            while (true) {
                long next = wheel.advanceTo(ticker.nanoTime());
                // Nothing interrupts this thread on purpose: a flag left set by a task (one that restored an
                // interrupt it caught) would make every park below return at once, and the idle thread spin.
                Thread.interrupted();
                if (next == Long.MAX_VALUE) {
                    LockSupport.park(this);
                    // Woken by an arm (or spuriously): wait for the next tick boundary before looking, as a busy
                    // wheel would. A node is due at a tick at the earliest, so this costs no precision, and it
                    // keeps the arms of the next few milliseconds from unparking this thread again and again.
                    next = wheel.nextTickStart(ticker.nanoTime());
                }
                long sleep;
                while ((sleep = next - ticker.nanoTime()) > 0) {
                    LockSupport.parkNanos(this, sleep);
                }
            }
        }
    }

    /**
     * Ticks the wheel as tasks of a virtual clock: at most one tick task pending at a time, at the start of the next
     * tick whose bucket holds a node, or at once when a node lands in an empty inbox (it may be due sooner).
     */
    private static final class ClockDriver implements Driver {
        private final VirtualClock clock;
        private final Runnable tick = this::tick;
        private final ReentrantLock lock = new ReentrantLock();
        private Cancellable pending;            // guarded by lock
        private long pendingAt = Long.MAX_VALUE; // guarded by lock
        TimerWheel wheel;

        ClockDriver(final VirtualClock clock) {
            this.clock = clock;
        }

        @Override
        public void wake() {
            request(clock.nanoTime());
        }

        @Override
        public void inboxStarted() {
            request(clock.nanoTime());
        }

        private void request(final long at) {
            lock.lock();
            try {
                if (at >= pendingAt) {
                    return;
                }
                if (pending != null) {
                    pending.cancel();
                }
                pendingAt = at;
                pending = clock.schedule(tick, Math.max(0L, at - clock.nanoTime()), TimeUnit.NANOSECONDS);
            } finally {
                lock.unlock();
            }
        }

        private void tick() {
            lock.lock();
            try {
                pending = null;
                pendingAt = Long.MAX_VALUE;
            } finally {
                lock.unlock();
            }
            final long next = wheel.advanceTo(clock.nanoTime());
            if (next != Long.MAX_VALUE) {
                // sleep to the next bucket that holds a node; an arm onto an empty inbox asks for a tick itself
                request(wheel.placed > 0 ? wheel.nextOccupiedTickStart() : next);
            }
        }
    }

    /**
     * The shared wheel, created on first use; or, if the precision property is bad, no wheel and the error. A
     * holder whose initializer threw would fail its first use with an {@link ExceptionInInitializerError} and every
     * later one with a {@link NoClassDefFoundError}, neither of which names the bad value.
     */
    private static final class Shared {
        static final IllegalArgumentException BAD_PRECISION;
        static final TimerWheel WHEEL;

        static {
            long millis = 0;
            IllegalArgumentException bad = null;
            try {
                millis = precisionMillis(System.getProperty(PRECISION_PROPERTY));
            } catch (final IllegalArgumentException e) {
                bad = e;
            }
            BAD_PRECISION = bad;
            WHEEL = bad == null ? start("halfopen-timer", Duration.ofMillis(millis)) : null;
        }
    }

    /** The shared wheel's precision from the property's value ({@code null}: unset). */
    static long precisionMillis(final String value) {
        if (value == null) {
            return DEFAULT_PRECISION.toMillis();
        }
        try {
            final long millis = Long.parseLong(value.trim());
            if (millis > 0 && millis <= SPAN_NANOS / 1_000_000L) {
                return millis;
            }
        } catch (final NumberFormatException notANumber) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("system property " + PRECISION_PROPERTY + " must be a whole number"
                + " of milliseconds between 1 and " + SPAN_NANOS / 1_000_000L + ", was \"" + value + "\"");
    }
}
