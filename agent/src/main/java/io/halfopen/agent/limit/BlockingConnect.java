package io.halfopen.agent.limit;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One blocking TCP connect through a {@link HalfOpenLimiter}: waits for a slot, runs the real connect with what
 * is left of the caller's timeout, and reports the outcome exactly once, only after the socket has left
 * SYN_SENT. The agent uses it for {@code Socket.connect} and for blocking {@code SocketChannel} connects.
 *
 * <p><b>This is the agent's copy of limiter-jdk's {@code BlockingConnect}</b>, written to the same rules because
 * that module had not landed when the agent needed it; the two must become one (the agent then shades
 * limiter-jdk's).
 *
 * <ul>
 *   <li><b>Timeout.</b> {@code timeoutMillis} covers the whole connect, queue included: the queue wait is
 *       charged to it and only what remains (at least 1 ms) goes to the real connect; when it runs out in the
 *       queue, the attempt leaves the queue and {@link #run} throws {@link SocketTimeoutException}. 0 means no
 *       timeout, as in the JDK: then only the limiter's timeouts apply (its queue timeout, if any, and the
 *       half-open timeout).</li>
 *   <li><b>Half-open timeout.</b> The real connect is bounded by the half-open timeout too (the JDK's own timed
 *       connect enforces it), and when the limiter's timer fires first it closes the socket; either way the
 *       socket is closed before the attempt is reported {@code aborted}, and {@link #run} throws a
 *       {@link SocketTimeoutException} whose cause is the limiter's {@link HalfOpenTimeoutException}.</li>
 *   <li><b>Outcomes</b> by exception type ({@link Outcomes}); a socket closed by another thread during the real
 *       connect is {@code cancelled}.</li>
 *   <li><b>Interrupts.</b> A thread interrupted while it waits for a slot leaves the queue at once, its interrupt
 *       status kept; {@link #run} throws what the {@code interrupted} factory makes (the caller's JDK type).</li>
 *   <li><b>Closed by another thread.</b> {@link #socketClosed()} ends a wait at once: the attempt is cancelled
 *       on the closing thread, so no slot is held when {@code close()} returns.</li>
 *   <li><b>No pinning.</b> Parks with {@link LockSupport}, under no monitor.</li>
 * </ul>
 *
 * <p>Threads: {@link #run} once, on the connecting thread; {@link #socketClosed()} from any thread. The limiter's
 * callbacks move {@code phase} forward by CAS, so exactly one thread decides each step.
 */
final class BlockingConnect implements AttemptListener {

    /** The real connect, given the milliseconds it may take (0: no limit). */
    @FunctionalInterface
    interface RealConnect {
        void connect(int timeoutMillis) throws IOException;
    }

    /** Closes the socket; safe from any thread, idempotent. */
    @FunctionalInterface
    interface SocketCloser {
        void close() throws IOException;
    }

    /** The exception for a wait ended by an interrupt, in the caller's JDK type. */
    @FunctionalInterface
    interface InterruptedFailure {
        IOException create(String message);
    }

    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int CONNECTING = 2;
    private static final int ABORTING = 3;
    private static final int CLOSED = 4;
    private static final int FAILED = 5;
    private static final int DONE = 6;

    private final HalfOpenLimiter limiter;
    private final InetSocketAddress remote;
    private final SocketCloser closeSocket;
    private final InterruptedFailure interrupted;
    private final AtomicInteger phase = new AtomicInteger(WAITING);
    private volatile Thread waiter;
    private volatile ConnectAttempt attempt;
    private volatile HalfOpenLimitException limiterFailure;
    private volatile HalfOpenTimeoutException abortCause;
    private volatile boolean closedByOwner;

    BlockingConnect(final HalfOpenLimiter limiter, final InetSocketAddress remote, final SocketCloser closeSocket,
            final InterruptedFailure interrupted) {
        this.limiter = limiter;
        this.remote = remote;
        this.closeSocket = closeSocket;
        this.interrupted = interrupted;
    }

    /**
     * Waits for a slot, connects, reports. Returns normally only if the socket is connected.
     *
     * @param timeoutMillis the caller's timeout, queue included; 0 for none
     * @param realConnect   the real connect, run on this thread once a slot is held
     * @throws IOException the real connect's failure, a timeout, a close, an interrupt, or the limiter's failure
     */
    void run(final int timeoutMillis, final RealConnect realConnect) throws IOException {
        waiter = Thread.currentThread();
        final long start = System.nanoTime();
        final long deadline = timeoutMillis == 0 ? 0L : start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        final ConnectAttempt started = limiter.newAttempt(remote, this);
        attempt = started;
        if (closedByOwner) {
            socketClosed(); // a close() that came while newAttempt ran, before the handle was known
        }
        awaitSlot(started, deadline, timeoutMillis);
        long millis = 0L;
        if (deadline != 0L) {
            final long left = deadline - System.nanoTime();
            if (left < TimeUnit.MILLISECONDS.toNanos(1)) { // 0 would mean "no timeout" to the real connect
                started.cancel();
                phase.set(DONE);
                throw callerTimeout(started, timeoutMillis);
            }
            millis = TimeUnit.NANOSECONDS.toMillis(left);
        }
        boolean halfOpenBound = false;
        if (limiter.usesSystemScheduler()) { // real time: let the JDK's timed connect enforce the half-open bound
            final long halfOpen = Math.max(1L, limiter.halfOpenTimeout().toMillis());
            if (millis == 0L || halfOpen <= millis) {
                millis = halfOpen;
                halfOpenBound = true;
            }
        }
        if (!phase.compareAndSet(GRANTED, CONNECTING)) {
            throw raceLost(started); // closed or aborted between the grant and here: no connect was issued
        }
        try {
            realConnect.connect((int) Math.min(Integer.MAX_VALUE, millis));
        } catch (final IOException e) { // the JDK closed the socket before throwing
            final int was = phase.getAndSet(DONE);
            if (was == ABORTING || (halfOpenBound && e instanceof SocketTimeoutException)) {
                started.aborted();
                throw halfOpenTimeout(started, e);
            }
            if (closedByOwner) {
                started.cancel();
            } else {
                Outcomes.reportFailure(started, e);
            }
            throw e;
        } catch (final RuntimeException | Error e) {
            phase.set(DONE);
            started.failed(e);
            throw e;
        }
        if (phase.getAndSet(DONE) == ABORTING) {
            // connected just as the timer fired and closed the socket under us: it is closed now
            started.aborted();
            throw halfOpenTimeout(started, null);
        }
        started.established();
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
                if (phase.compareAndSet(WAITING, DONE)) {
                    started.cancel();
                    throw interrupted.create("Closed by interrupt while waiting " + waited(started)
                            + " for a half-open slot to " + remote);
                }
                continue;
            }
            if (deadline != 0L) {
                final long left = deadline - System.nanoTime();
                if (left <= 0L) {
                    if (phase.compareAndSet(WAITING, DONE)) {
                        started.cancel();
                        throw callerTimeout(started, timeoutMillis);
                    }
                    continue;
                }
                LockSupport.parkNanos(this, left);
            } else {
                LockSupport.park(this);
            }
        }
    }

    /** What the phase says, once it is neither waiting nor granted; leaves no slot held. */
    private IOException raceLost(final ConnectAttempt started) {
        final int now = phase.getAndSet(DONE);
        started.cancel(); // no-op if the attempt already ended
        return switch (now) {
            case FAILED -> {
                final HalfOpenLimitException cause = limiterFailure;
                yield Outcomes.asJdkException(cause);
            }
            case ABORTING -> halfOpenTimeout(started, null);
            default -> new SocketException("Socket closed while waiting " + waited(started)
                    + " for a half-open slot to " + remote);
        };
    }

    /** The owner closed the socket (from any thread): a wait for a slot ends at once. */
    void socketClosed() {
        closedByOwner = true;
        final ConnectAttempt started = attempt;
        if (phase.compareAndSet(WAITING, CLOSED) || phase.compareAndSet(GRANTED, CLOSED)) {
            if (started != null) {
                started.cancel(); // leaves the queue, or frees a slot no connect was issued for
            }
            LockSupport.unpark(waiter);
        }
    }

    @Override
    public void granted(final ConnectAttempt granted) {
        if (phase.compareAndSet(WAITING, GRANTED)) {
            LockSupport.unpark(waiter);
        } else if (phase.get() == CLOSED || phase.get() == DONE) {
            granted.cancel(); // the waiter gave up as the slot came
        }
    }

    @Override
    public void failed(final ConnectAttempt failedAttempt, final HalfOpenLimitException cause) {
        limiterFailure = cause;
        if (phase.compareAndSet(WAITING, FAILED)) {
            LockSupport.unpark(waiter);
        }
    }

    @Override
    public void abort(final ConnectAttempt aborting, final HalfOpenTimeoutException cause) {
        abortCause = cause;
        if (phase.compareAndSet(CONNECTING, ABORTING)) {
            try {
                closeSocket.close(); // the connect fails on the connecting thread, which then reports aborted
            } catch (final IOException | RuntimeException ignored) {
                // closing is best effort; the connect is bounded by the half-open timeout anyway
            }
        } else if (phase.compareAndSet(GRANTED, ABORTING) || phase.compareAndSet(WAITING, ABORTING)) {
            LockSupport.unpark(waiter); // no connect issued yet: the waiter reports aborted
        }
    }

    private SocketTimeoutException callerTimeout(final ConnectAttempt started, final int timeoutMillis) {
        return new SocketTimeoutException("Connect timed out: the connect timeout of " + timeoutMillis
                + " ms ran out after " + waited(started) + " waiting for a half-open slot to " + remote
                + " (" + limiter.maxHalfOpen() + " half-open allowed, " + limiter.stats().queued() + " queued)");
    }

    private SocketTimeoutException halfOpenTimeout(final ConnectAttempt started, final IOException jdk) {
        final SocketTimeoutException e = new SocketTimeoutException("Connect timed out: " + remote
                + " was half-open for the half-open timeout of "
                + Outcomes.format(limiter.halfOpenTimeout()) + " (Windows gives up a connect"
                + " then); the socket is closed");
        final HalfOpenTimeoutException cause = abortCause;
        if (cause != null) {
            e.initCause(cause);
        } else if (jdk != null) {
            e.initCause(jdk);
        }
        return e;
    }

    private static String waited(final ConnectAttempt started) {
        return Outcomes.format(started.queueWait());
    }
}
