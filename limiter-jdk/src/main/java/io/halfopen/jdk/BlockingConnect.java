package io.halfopen.jdk;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One blocking TCP connect through a {@link HalfOpenLimiter}: waits for a slot, runs the real connect with what
 * remains of the caller's timeout, and reports the outcome to the limiter exactly once, only after the socket
 * has left SYN_SENT. Everything a blocking socket needs and nothing else: it depends on limiter-core and the
 * JDK only, so that any blocking socket can reuse it ({@link HalfOpenSocketFactory}'s sockets,
 * {@link HalfOpenSocketChannels}, and a Java agent's instrumented {@code Socket.connect}).
 *
 * <h2>Use</h2>
 * <pre>{@code
 * BlockingConnect connect = new BlockingConnect(limiter, remote, socket::close);  // one per connect
 * // the socket's close(), from any thread, also calls connect.socketClosed()
 * connect.run(timeoutMillis, remaining -> realConnect(remote, remaining));         // on the connecting thread
 * }</pre>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>Timeout.</b> {@code timeoutMillis} covers the whole connect, queue included: the time spent waiting
 *       for a slot is charged to it, and only what remains (at least 1 ms) is passed to the real connect. When
 *       it runs out in the queue the attempt leaves the queue and {@link #run} throws a
 *       {@link SocketTimeoutException}, as {@code Socket.connect(address, timeout)} does. A timeout of 0 means
 *       no timeout, as in the JDK: then only the limiter's own timeouts apply (its queue timeout if it has one,
 *       and its half-open timeout, 21 s for XP).</li>
 *   <li><b>Half-open timeout.</b> When the limiter's half-open timeout expires while the real connect is still
 *       in flight, the socket is closed (by {@code closeSocket}, on the limiter's timer thread), the connecting
 *       thread's connect ends, and only then is the attempt reported {@link ConnectAttempt#aborted()} (state
 *       {@code TIMED_OUT}); {@link #run} throws a {@link SocketTimeoutException} whose cause is the limiter's
 *       {@link HalfOpenTimeoutException}. On the limiter's real-time scheduler the real connect is also bounded
 *       by the half-open timeout, so that a late timer thread cannot stretch it.</li>
 *   <li><b>Outcomes</b>, decided by exception type, never by message text (messages are the C library's
 *       {@code strerror} text, translated under a non-English locale): a connect that returns is
 *       {@code established}; a {@link ConnectException} is {@code refused} (the JDK throws it for
 *       {@code ECONNREFUSED}, and also for {@code ETIMEDOUT}/{@code ENOTCONN}, which a connect bounded by the
 *       half-open timeout meets only if the kernel's own SYN retries give up first); a
 *       {@link SocketTimeoutException} is {@code aborted} (the caller's timeout or the half-open timeout); a
 *       socket closed by another thread is {@code cancelled}; any other exception is {@code failed} with that
 *       cause (for example {@code NoRouteToHostException}).</li>
 *   <li><b>Interrupts.</b> A thread interrupted while it waits for a slot leaves the queue at once: the socket is
 *       closed, the interrupt status stays set, and {@link #run} throws {@code SocketException("Closed by
 *       interrupt")}, as the JDK's sockets do for a virtual thread interrupted in {@code connect}.</li>
 *   <li><b>Closed by another thread.</b> {@link #socketClosed()} ends a wait for a slot at once: the attempt is
 *       cancelled on the closing thread, so no slot is held when {@code close()} returns, and the waiter throws
 *       {@code SocketException("Socket closed")}. A connect already in flight ends as the JDK ends it (the
 *       closed socket fails its connect) and is reported cancelled by the connecting thread.</li>
 *   <li><b>No slot is held after any failure</b>, including a limiter failure ({@code QueueTimeoutException},
 *       {@code QueueFullException}, {@code LimiterClosedException}, each thrown as it is).</li>
 *   <li><b>No pinning.</b> The wait parks with {@link LockSupport}, under no monitor, so a virtual thread is
 *       unmounted while it waits.</li>
 * </ul>
 *
 * <h2>Phases</h2>
 * {@code phase} only moves forward, by CAS, so that exactly one thread decides each step and exactly one report
 * reaches the limiter:
 * <pre>
 *   NEW ─run()─▶ WAITING ─granted()─▶ GRANTED ─run()─▶ CONNECTING ─connect returned/threw─▶ DONE (reported)
 *                  │ │ │                 │ │                └─abort(): close the socket─▶ ABORTING ─▶ DONE (aborted)
 *                  │ │ │                 │ └─abort()─▶ ABORTING ─run(): close, report aborted─▶ DONE
 *                  │ │ └─socketClosed() (from WAITING or GRANTED): cancel on the closing thread─▶ CLOSED
 *                  │ └─failed() (queue timeout, full, closed limiter)──▶ FAILED (run() closes, throws it)
 *                  └─caller's timeout or interrupt (from WAITING or GRANTED): cancel─▶ DONE (run() throws)
 * </pre>
 * A close that comes while {@code run()} is inside {@code newAttempt} (the handle not yet known) parks for the
 * microseconds that call takes (run() unparks it), so that the attempt has left the queue when
 * {@code socketClosed()} returns.
 *
 * <h2>Threads</h2>
 * {@link #run} is called once, by the connecting thread. {@link #socketClosed()} may be called from any thread,
 * any number of times. The limiter's callbacks ({@link AttemptListener}) arrive on the granting thread or the
 * limiter's timer thread; each only moves {@code phase} forward by CAS, so exactly one thread decides each step,
 * and wakes the waiter with {@link LockSupport#unpark}. {@code phase} is the only state shared for decisions;
 * {@code attempt} and {@code abortCause} are written before the CAS that publishes them and read after it.
 */
public final class BlockingConnect implements AttemptListener {

    /** The real connect: given the milliseconds it may take (0 for no limit), connects or throws. */
    @FunctionalInterface
    public interface RealConnect {
        /**
         * Connects the socket.
         *
         * @param timeoutMillis how long the connect may take, in milliseconds; 0 for no limit
         * @throws IOException if the connect failed; the socket must then be closed, as the JDK's are
         */
        void connect(int timeoutMillis) throws IOException;
    }

    /** Closes the socket; must be safe from any thread and idempotent, like {@code Socket.close()}. */
    @FunctionalInterface
    public interface SocketCloser {
        /**
         * Closes the socket.
         *
         * @throws IOException if closing failed; it is ignored
         */
        void close() throws IOException;
    }

    private static final AtomicReferenceFieldUpdater<BlockingConnect, Thread> CLOSER =
            AtomicReferenceFieldUpdater.newUpdater(BlockingConnect.class, Thread.class, "closer");

    private static final int NEW = 0;        // run() not yet called
    private static final int WAITING = 1;    // in the limiter's queue (or about to be)
    private static final int GRANTED = 2;    // holds a slot, the connecting thread not yet connecting
    private static final int CONNECTING = 3; // the real connect is in flight
    private static final int ABORTING = 4;   // the half-open timeout expired: the socket is (being) closed
    private static final int CLOSED = 5;     // closed by another thread before the real connect
    private static final int FAILED = 6;     // the limiter failed the attempt without a slot
    private static final int DONE = 7;       // the connecting thread reported the outcome

    /** How often a wait looks at {@link #watchClosed}'s probe, for sockets that cannot call {@link #socketClosed}. */
    static final long CLOSED_PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final HalfOpenLimiter limiter;
    private final InetSocketAddress remote;
    private final SocketCloser closeSocket;
    private BooleanSupplier closedProbe; // set before run(), read by the connecting thread only
    private final AtomicInteger phase = new AtomicInteger(NEW);
    private volatile Thread waiter;
    private volatile ConnectAttempt attempt;
    private volatile HalfOpenLimitException limiterFailure;
    private volatile HalfOpenTimeoutException abortCause;
    private volatile boolean closedByOwner;
    private volatile Thread closer; // a close() waiting for the handle while run() is inside newAttempt

    /**
     * Prepares a connect to {@code remote}.
     *
     * @param limiter     the limiter that must grant a slot first
     * @param remote      the resolved address to connect to
     * @param closeSocket closes the socket; called from the limiter's timer thread on a half-open timeout, and
     *                    on the connecting thread when it gives up in the queue
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code remote} is unresolved
     */
    public BlockingConnect(final HalfOpenLimiter limiter, final InetSocketAddress remote,
            final SocketCloser closeSocket) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.remote = Objects.requireNonNull(remote, "remote");
        this.closeSocket = Objects.requireNonNull(closeSocket, "closeSocket");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("remote must be resolved, was unresolved " + remote);
        }
    }

    /**
     * For a socket whose {@code close()} cannot call {@link #socketClosed()} (a {@code SocketChannel}): while
     * waiting for a slot, the connecting thread looks at {@code isClosed} every 10 ms and ends the wait as
     * {@link #socketClosed()} would. Call before {@link #run}.
     *
     * @param isClosed whether the socket is closed; called on the connecting thread
     * @return this
     */
    public BlockingConnect watchClosed(final BooleanSupplier isClosed) {
        this.closedProbe = Objects.requireNonNull(isClosed, "isClosed");
        return this;
    }

    /**
     * Waits for a slot, connects, reports the outcome: see the class comment for every rule. Returns normally
     * only if the socket is connected.
     *
     * @param timeoutMillis the caller's connect timeout in milliseconds, queue included; 0 for none
     * @param realConnect   the real connect, run on this thread once a slot is held
     * @throws SocketTimeoutException if the caller's timeout or the half-open timeout expired
     * @throws HalfOpenLimitException if the limiter failed the attempt without a slot (queue timeout, queue full,
     *                                limiter closed)
     * @throws SocketException        if the socket was closed by another thread or the thread was interrupted
     * @throws IOException            the real connect's failure otherwise
     * @throws IllegalArgumentException if {@code timeoutMillis} is negative
     * @throws IllegalStateException  if called twice
     */
    public void run(final int timeoutMillis, final RealConnect realConnect) throws IOException {
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis must be 0 (none) or positive, was " + timeoutMillis);
        }
        Objects.requireNonNull(realConnect, "realConnect");
        waiter = Thread.currentThread();
        if (!phase.compareAndSet(NEW, WAITING)) {
            throw new IllegalStateException("run() may be called once per BlockingConnect; phase " + phase.get());
        }
        if (closedByOwner) {
            phase.set(DONE);
            wakeCloser(); // a close() that saw WAITING may be waiting for a handle that will never come
            throw new SocketException("Socket is closed");
        }
        final long deadline = timeoutMillis == 0 ? 0L : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        final ConnectAttempt started;
        try {
            started = limiter.newAttempt(remote, this);
        } catch (final RuntimeException | Error e) {
            phase.set(DONE); // no attempt: a close() waiting for the handle stops waiting
            wakeCloser();
            closeQuietly();
            throw e;
        }
        attempt = started; // a close() that came while newAttempt ran waits for this, then cancels the attempt
        wakeCloser();
        awaitSlot(started, deadline, timeoutMillis);
        long millis = 0L;
        if (deadline != 0L) {
            final long left = deadline - System.nanoTime();
            if (left < TimeUnit.MILLISECONDS.toNanos(1)) { // 0 would mean "no timeout" to the real connect
                giveUp(started);
                throw callerTimeout(started, timeoutMillis);
            }
            millis = TimeUnit.NANOSECONDS.toMillis(left);
        }
        boolean halfOpenBound = false;
        if (limiter.usesSystemScheduler()) { // the half-open timeout is real time: bound the connect by it too
            final long halfOpen = Math.max(1L, limiter.halfOpenTimeout().toMillis());
            if (millis == 0L || halfOpen <= millis) {
                millis = halfOpen;
                halfOpenBound = true;
            }
        }
        connect(started, realConnect, (int) Math.min(Integer.MAX_VALUE, millis), halfOpenBound);
    }

    private void awaitSlot(final ConnectAttempt started, final long deadline, final int timeoutMillis)
            throws IOException {
        while (true) {
            final int now = phase.get();
            if (now == GRANTED) {
                return;
            }
            if (now != WAITING) {
                throw raceLost(started);
            }
            if (Thread.currentThread().isInterrupted()) {
                giveUp(started);
                throw new SocketException("Closed by interrupt while waiting " + waited(started)
                        + " for a half-open slot to " + remote);
            }
            final BooleanSupplier probe = closedProbe;
            if (probe != null && probe.getAsBoolean()) {
                socketClosed();
                continue;
            }
            long park = probe == null ? Long.MAX_VALUE : CLOSED_PROBE_NANOS;
            if (deadline != 0L) {
                final long left = deadline - System.nanoTime();
                if (left <= 0L) {
                    giveUp(started);
                    throw callerTimeout(started, timeoutMillis);
                }
                park = Math.min(park, left);
            }
            if (park == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, park);
            }
        }
    }

    /**
     * Leaves the queue (or frees a slot granted meanwhile: no connect was issued) and closes the socket; if
     * another thread moved the phase first, throws what that says.
     */
    private void giveUp(final ConnectAttempt started) throws IOException {
        final int now = phase.get();
        if ((now == WAITING || now == GRANTED) && phase.compareAndSet(now, DONE)) {
            started.cancel();
            closeQuietly();
            return;
        }
        throw raceLost(started);
    }

    /**
     * What to throw when another thread moved the phase away from WAITING/GRANTED: the limiter failed the
     * attempt, another thread closed the socket (and cancelled the attempt), or the half-open timeout expired
     * before the connect was issued (no SYN sent: reported aborted here).
     */
    private IOException raceLost(final ConnectAttempt started) {
        final int now = phase.get();
        if (now == FAILED) {
            final HalfOpenLimitException cause = limiterFailure;
            closeQuietly();
            cause.fillInStackTrace(); // point at this caller, not at the limiter's timer thread
            return cause;
        }
        if (now == CLOSED) {
            return new SocketException("Socket closed while waiting " + waited(started)
                    + " for a half-open slot to " + remote);
        }
        if (now == ABORTING && phase.compareAndSet(ABORTING, DONE)) {
            closeQuietly();
            started.aborted();
            return halfOpenTimeout(abortCause);
        }
        throw new IllegalStateException("BlockingConnect to " + remote + " in unexpected phase " + now);
    }

    private void connect(final ConnectAttempt started, final RealConnect realConnect, final int millis,
            final boolean halfOpenBound) throws IOException {
        if (!phase.compareAndSet(GRANTED, CONNECTING)) {
            throw raceLost(started);
        }
        try {
            realConnect.connect(millis);
        } catch (final IOException | RuntimeException | Error e) {
            closeQuietly(); // the JDK's sockets close themselves on a failed connect; make sure of it
            final boolean aborted = phase.getAndSet(DONE) == ABORTING;
            if (aborted || (halfOpenBound && e instanceof SocketTimeoutException)) {
                started.aborted();
                throw halfOpenTimeout(aborted ? abortCause : new HalfOpenTimeoutException(limiter.halfOpenTimeout(),
                        remote, limiter.maxHalfOpen(), limiter.stats().queued(), started.queueWait()));
            }
            report(started, e);
            throw e;
        }
        if (!phase.compareAndSet(CONNECTING, DONE)) { // the half-open timeout closed it as it connected
            phase.set(DONE);
            closeQuietly();
            started.aborted();
            throw halfOpenTimeout(abortCause);
        }
        started.established();
    }

    /** Reports a failed connect by the exception's type (see the class comment); the socket is closed. */
    private void report(final ConnectAttempt started, final Throwable e) {
        if (closedByOwner || Thread.currentThread().isInterrupted()) {
            started.cancel(); // the owner closed it: whatever the connect then threw (seen: a ConnectException)
        } else if (e instanceof ConnectException) {
            started.refused();
        } else if (e instanceof SocketTimeoutException) {
            started.aborted();
        } else {
            started.failed(e);
        }
    }

    /**
     * Tells this connect that its socket was closed, by the owner or another thread; ends a wait for a slot at
     * once and cancels the attempt (no slot held once this returns, unless a real connect is in flight, which
     * the close itself ends). Idempotent; call it from the socket's {@code close()}. A call from the connecting
     * thread while its real connect runs is the JDK closing a socket whose connect failed ({@code Socket.connect}
     * does so through {@code close()} from JDK 22 on) and is ignored: that outcome is the connect's.
     */
    public void socketClosed() {
        if (Thread.currentThread() == waiter && phase.get() == CONNECTING) {
            return; // the JDK closing a socket whose connect failed (java.net.Socket.connect does, from JDK 22 on)
        }
        closedByOwner = true;
        while (true) {
            final int now = phase.get();
            if (now != WAITING && now != GRANTED) {
                return; // not started (run() will see closedByOwner), connecting, or ended
            }
            final ConnectAttempt started = attempt;
            if (started == null && now == WAITING) {
                // run() is inside newAttempt, which never blocks: wait the moment it takes to publish the handle,
                // then cancel here, so that the attempt has left the queue when this returns. (A close() that saw
                // NEW instead is caught by run()'s check of closedByOwner after its move to WAITING: both
                // fields are volatile, so one of the two threads sees the other's write.)
                if (!awaitHandle()) {
                    return; // another close() is waiting for the handle, and cancels
                }
                continue;
            }
            if (phase.compareAndSet(now, CLOSED)) {
                (started != null ? started : attempt).cancel();
                LockSupport.unpark(waiter);
                return;
            }
        }
    }

    /**
     * Parks while run() is inside newAttempt (microseconds: it never blocks); run() unparks this thread once the
     * handle is published or the phase moved. Only one close() waits; a concurrent second one returns at once.
     * Dekker with volatiles: this thread writes {@code closer} then reads {@code attempt}; run() writes
     * {@code attempt} then reads {@code closer}; one of the two sees the other's write.
     *
     * @return whether this thread waited (and so must cancel), false if another close() is waiting
     */
    private boolean awaitHandle() {
        if (!CLOSER.compareAndSet(this, null, Thread.currentThread())) {
            return false;
        }
        try {
            while (attempt == null && phase.get() == WAITING) {
                LockSupport.park(this);
            }
        } finally {
            closer = null;
        }
        return true;
    }

    /** Wakes a close() that waits for the handle (see {@link #awaitHandle}). */
    private void wakeCloser() {
        final Thread waiting = closer;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    // ------------------------------------------------------------------ the limiter's callbacks

    /** Not for callers: the limiter's callback. */
    @Override
    public void granted(final ConnectAttempt granted) {
        attempt = granted;
        if (phase.compareAndSet(WAITING, GRANTED)) {
            LockSupport.unpark(waiter);
        }
    }

    /** Not for callers: the limiter's callback. */
    @Override
    public void failed(final ConnectAttempt failed, final HalfOpenLimitException cause) {
        limiterFailure = cause;
        if (phase.compareAndSet(WAITING, FAILED)) {
            LockSupport.unpark(waiter);
        }
    }

    /** Not for callers: the limiter's callback; closes the socket so that the connect ends. */
    @Override
    public void abort(final ConnectAttempt aborting, final HalfOpenTimeoutException cause) {
        abortCause = cause;
        if (phase.compareAndSet(CONNECTING, ABORTING)) {
            closeQuietly(); // the connecting thread's connect fails now; it reports aborted() after
        } else if (phase.compareAndSet(GRANTED, ABORTING)) {
            LockSupport.unpark(waiter); // granted, but not yet connecting: the connecting thread reports
        }
    }

    // ------------------------------------------------------------------ helpers

    private void closeQuietly() {
        try {
            closeSocket.close();
        } catch (final IOException | RuntimeException ignored) {
            // nothing more to do: the socket is as closed as it gets
        }
    }

    private String waited(final ConnectAttempt started) {
        return format(started.queueWait());
    }

    private SocketTimeoutException callerTimeout(final ConnectAttempt started, final int timeoutMillis) {
        return new SocketTimeoutException("Connect timed out: the connect timeout of " + timeoutMillis
                + " ms ran out after " + waited(started) + " in the queue of half-open limiter '" + limiter.name()
                + "' (" + limiter.maxHalfOpen() + " half-open allowed, " + limiter.stats().queued()
                + " waiting) before a connect to " + remote + " could start");
    }

    private static SocketTimeoutException halfOpenTimeout(final HalfOpenTimeoutException cause) {
        final SocketTimeoutException e = new SocketTimeoutException("Connect timed out: " + cause.getMessage());
        e.initCause(cause);
        return e;
    }

    static String format(final Duration duration) {
        final long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(java.util.Locale.ROOT, "%.3f s", millis / 1e3);
    }
}
