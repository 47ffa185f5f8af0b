package io.halfopen.agent.limit;

import io.halfopen.agent.jdk.JdkInternals;
import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One non-blocking {@code SocketChannel} connect, from {@code connect()} to its outcome: held, without a SYN,
 * until the limiter grants a slot, then issued on the granting thread.
 *
 * <h2>How a connect is held (see the module README for the whole design)</h2>
 * <ol>
 *   <li>{@code connect(remote)} runs the JDK's own body; the woven call in place of {@code Net.connect} comes
 *       here ({@link #start}). With a slot free, the real {@code Net.connect} runs at once, as without the
 *       agent. Without one, nothing is sent: {@link #start} returns "in progress", so the JDK moves the channel
 *       to its connection-pending state and {@code connect} returns {@code false}; {@code isConnectionPending()}
 *       is then {@code true}, as the JDK documents.</li>
 *   <li>An unconnected TCP socket polls as writable and hung up on Linux, so a selector that polled this one
 *       for {@code OP_CONNECT} would wake at once, over and over (and Netty or the JDK's {@code HttpClient},
 *       which call {@code finishConnect()} when {@code OP_CONNECT} fires and expect it to succeed, would fail).
 *       So while the connect is held, every selection key of the channel registers no poll events at all
 *       ({@link #interestEvents}): the socket is not in any selector's poll set. The key keeps the
 *       application's interest set; only its translation to poll events is held. Keys registered before the
 *       connect are queued for translation again when the hold starts.</li>
 *   <li>{@code finishConnect()} on a held channel returns {@code false} in non-blocking mode (the connect is
 *       still pending) and waits for the grant in blocking mode.</li>
 *   <li>On the grant the real {@code Net.connect} is issued on the granting thread, under the channel's state
 *       lock and only if the channel is still pending and open (so never on a file descriptor being closed);
 *       then the held keys are queued for translation again and their selectors woken: the socket enters the
 *       poll set now, connecting, and {@code OP_CONNECT} fires when the handshake ends, as it would have
 *       without the agent. A connect that fails at once (a refusal on loopback) is reported at once (its
 *       socket is closed in the kernel) and its exception is kept; the unconnected socket then polls ready, and
 *       the application's {@code finishConnect()} throws it, as the JDK's does.</li>
 *   <li>Half-open timeout: the socket is shut down ({@code shutdown(SHUT_RDWR)} on a socket in SYN_SENT moves it
 *       to CLOSE at once and wakes its selector), the attempt is reported aborted, and {@code finishConnect()}
 *       throws {@code ConnectException("Connection timed out ...")}.</li>
 *   <li>A close while held leaves the queue at once. A close after the SYN is reported only when the JDK
 *       really closes the socket (for a registered channel: when its selector deregisters it), because until
 *       then the kernel still holds it in SYN_SENT.</li>
 * </ol>
 *
 * <p>Threads: the application's threads (connect, finishConnect, close), the selector threads
 * ({@link #interestEvents}), the granting thread and the limiter's timer. {@code phase} only moves forward, by CAS,
 * except ISSUING and ABORTING, which one thread owns until it publishes the next phase. Keys are recorded
 * before {@code phase} is read, and the granting thread writes {@code phase} before it walks the keys, so a key
 * is either translated with the new phase or queued again by the grant.
 */
final class HeldChannelConnect implements AttemptListener {

    private static final int STARTING = 0;    // in start(): newAttempt not yet returned
    private static final int GRANTED_NOW = 1; // granted while starting: start() issues the connect itself
    private static final int HELD = 2;        // queued, no SYN sent, poll events held
    private static final int ISSUING = 3;     // the granting thread is issuing the connect
    private static final int CONNECTING = 4;  // the SYN is out
    private static final int ABORTING = 5;    // the timer is shutting the socket down
    private static final int FAILED = 6;      // ended and reported; finishConnect throws `failure`
    private static final int CLOSING = 7;     // closed by the application after the SYN: reported when the fd closes
    private static final int DONE = 8;        // reported (or cancelled)

    private final ChannelConnects owner;
    private final HalfOpenLimiter limiter;
    private final JdkInternals.NetCalls net;
    private final JdkInternals.ChannelCalls calls;
    private final SocketChannel channel;
    private final ProtocolFamily family;
    private final FileDescriptor fd;
    private final InetSocketAddress remote;
    private final AtomicInteger phase = new AtomicInteger(STARTING);
    private final ConcurrentLinkedQueue<SelectionKey> keys = new ConcurrentLinkedQueue<>();
    private volatile ConnectAttempt attempt;
    private volatile IOException failure;
    private volatile Thread blockedWaiter;

    HeldChannelConnect(final ChannelConnects owner, final HalfOpenLimiter limiter, final JdkInternals internals,
            final SocketChannel channel, final ProtocolFamily family, final FileDescriptor fd,
            final InetSocketAddress remote) {
        this.owner = owner;
        this.limiter = limiter;
        this.net = internals.net;
        this.calls = internals.channels;
        this.channel = channel;
        this.family = family;
        this.fd = fd;
        this.remote = remote;
    }

    /** In place of {@code Net.connect} in a non-blocking {@code connect()}: connects now, or holds. */
    int start() throws IOException {
        final ConnectAttempt started = limiter.newAttempt(remote, this);
        attempt = started;
        if (phase.compareAndSet(STARTING, HELD)) {
            owner.heldChanged(+1);
            for (final SelectionKey key : calls.keys(channel)) { // registered before connect(): poll nothing now
                if (key != null) {
                    interestEvents(key, 0);
                    requeue(key);
                }
            }
            return JdkInternals.UNAVAILABLE;
        }
        if (phase.compareAndSet(GRANTED_NOW, CONNECTING)) {
            return net.connect(family, fd, remote); // a failure reaches the JDK, which closes the channel
        }
        final IOException limiterFailure = failure; // FAILED: the limiter refused (queue full, closed)
        phase.set(DONE);
        throw limiterFailure;
    }

    boolean isHeld() {
        final int now = phase.get();
        return now == HELD || now == ISSUING;
    }

    /** The poll events one of the channel's keys may register now. */
    int interestEvents(final SelectionKey key, final int events) {
        if (!keys.contains(key)) {
            keys.add(key);
        }
        return isHeld() ? 0 : events;
    }

    /** In place of {@code Net.pollConnectNow} in {@code finishConnect()} (and a blocking connect's loop). */
    boolean poll(final FileDescriptor socket) throws IOException {
        while (true) {
            switch (phase.get()) {
                case STARTING, GRANTED_NOW, HELD, ISSUING -> {
                    if (!channel.isBlocking()) {
                        return false; // still pending, as the JDK documents for a non-blocking finishConnect
                    }
                    awaitIssue();
                }
                case FAILED -> throw failure;
                case ABORTING -> Thread.onSpinWait(); // the timer is shutting the socket down: a few microseconds
                case DONE, CLOSING -> {
                    return false;
                }
                default -> {
                    return net.pollConnectNow(socket);
                }
            }
        }
    }

    /** A blocking {@code finishConnect()} on a held channel: wait for the grant (or a close). */
    private void awaitIssue() {
        blockedWaiter = Thread.currentThread();
        while (isHeld() && channel.isOpen()) {
            if (Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait(); // the JDK's interruptor is closing the channel
            } else {
                LockSupport.park(this);
            }
        }
        if (!channel.isOpen() && !isHeld()) {
            return;
        }
    }

    /** {@code connect}/{@code finishConnect} returned {@code connected}, or threw. */
    Throwable exit(final boolean connected, final Throwable thrown) {
        if (thrown == null) {
            if (connected && phase.compareAndSet(CONNECTING, DONE)) {
                owner.forget(channel, this);
                attempt.established();
            }
            return null;
        }
        if (!(thrown instanceof IOException) && channel.isOpen()) {
            return thrown; // the JDK's state exceptions (no connection pending): nothing ended
        }
        while (true) {
            final int now = phase.get();
            switch (now) {
                case FAILED -> {
                    phase.set(DONE);
                    owner.forget(channel, this);
                    final IOException kept = failure;
                    return kept != null ? kept : thrown;
                }
                case CONNECTING, STARTING, GRANTED_NOW -> {
                    if (thrown instanceof ClosedChannelException) {
                        // closed under the connect: the kernel holds the SYN until the fd really closes
                        if (phase.compareAndSet(now, CLOSING)) {
                            owner.socketMayBeClosed(channel);
                            return thrown;
                        }
                        continue;
                    }
                    if (phase.compareAndSet(now, DONE)) {
                        owner.forget(channel, this);
                        final ConnectAttempt started = attempt;
                        if (started != null) {
                            Outcomes.reportFailure(started, thrown); // the handshake ended: socket in CLOSE
                        }
                        return thrown;
                    }
                }
                case HELD -> {
                    if (phase.compareAndSet(HELD, DONE)) {
                        owner.heldChanged(-1);
                        owner.forget(channel, this);
                        attempt.cancel();
                        return thrown;
                    }
                }
                default -> {
                    return thrown; // ISSUING or ABORTING: their owner reports; DONE, CLOSING: nothing more
                }
            }
        }
    }

    /** The application is closing the channel. A held connect leaves the queue now: it sent nothing. */
    void closing() {
        if (phase.compareAndSet(HELD, DONE)) {
            owner.heldChanged(-1);
            owner.forget(channel, this);
            attempt.cancel();
            LockSupport.unpark(blockedWaiter);
        }
    }

    /** The JDK may have closed the socket (close, or a selector's deregistration): report if it did. */
    void maybeClosed(final Object ch) {
        if (calls.state(ch) != calls.closed()) {
            return;
        }
        while (true) {
            final int now = phase.get();
            if (now == CONNECTING || now == CLOSING) {
                if (phase.compareAndSet(now, DONE)) {
                    owner.forget(channel, this);
                    attempt.cancel(); // the socket is closed: its SYN_SENT is over
                    return;
                }
            } else {
                if (now == FAILED || now == DONE) {
                    owner.forget(channel, this);
                }
                return;
            }
        }
    }

    @Override
    public void granted(final ConnectAttempt granted) {
        attempt = granted;
        if (phase.compareAndSet(STARTING, GRANTED_NOW)) {
            return; // start() issues the connect on the application's thread
        }
        if (!phase.compareAndSet(HELD, ISSUING)) {
            granted.cancel(); // closed (or failed) as the slot came
            return;
        }
        owner.heldChanged(-1);
        IOException connectFailure = null;
        boolean issued = false;
        synchronized (calls.stateLock(channel)) { // excludes the JDK's close of the fd
            if (channel.isOpen() && calls.state(channel) == calls.connectionPending()) {
                try {
                    net.connect(family, fd, remote);
                    issued = true;
                } catch (final IOException e) {
                    connectFailure = e;
                }
            }
        }
        if (issued) {
            phase.set(CONNECTING);
        } else if (connectFailure != null) {
            failure = connectFailure;
            phase.set(FAILED);
            Outcomes.reportFailure(granted, connectFailure); // refused at once: the socket is in CLOSE already
        } else {
            phase.set(DONE);
            owner.forget(channel, this);
            granted.cancel(); // closed while the slot came: nothing was sent
        }
        releaseKeys();
        LockSupport.unpark(blockedWaiter);
    }

    @Override
    public void failed(final ConnectAttempt failedAttempt, final HalfOpenLimitException cause) {
        failure = Outcomes.asJdkException(cause);
        if (phase.compareAndSet(STARTING, FAILED)) {
            return; // start() throws it
        }
        if (phase.compareAndSet(HELD, FAILED)) {
            owner.heldChanged(-1);
            releaseKeys(); // the unconnected socket polls ready: finishConnect() throws the failure
            LockSupport.unpark(blockedWaiter);
        }
    }

    @Override
    public void abort(final ConnectAttempt aborting, final HalfOpenTimeoutException cause) {
        if (phase.compareAndSet(HELD, ISSUING)) { // the timer came before the grant's callback: nothing sent
            owner.heldChanged(-1);
            failure = timedOut(cause);
            phase.set(FAILED);
            aborting.aborted();
            releaseKeys();
            LockSupport.unpark(blockedWaiter);
            return;
        }
        if (!phase.compareAndSet(CONNECTING, ABORTING)) {
            return;
        }
        final ConnectException timedOut = timedOut(cause);
        boolean shut = false;
        synchronized (calls.stateLock(channel)) {
            final int state = calls.state(channel);
            if (state == calls.connectionPending() || (state != calls.closed() && !channel.isConnected())) {
                try {
                    net.shutdown(fd); // SYN_SENT -> CLOSE now, and the selector sees the socket hung up
                    shut = true;
                } catch (final IOException ignored) {
                    // not shut: the connect ends by itself, and is reported then
                }
            }
        }
        if (shut) {
            failure = timedOut;
            phase.set(FAILED); // a finishConnect woken by the shutdown waits for this, then throws `failure`
            aborting.aborted();
        } else {
            phase.set(CONNECTING); // connected or closed meanwhile: that path reports
        }
    }

    private ConnectException timedOut(final HalfOpenTimeoutException cause) {
        final ConnectException e = new ConnectException("Connection timed out: " + remote + " was half-open for"
                + " the half-open timeout of " + Outcomes.format(limiter.halfOpenTimeout())
                + " (Windows gives up a connect then)");
        e.initCause(cause);
        return e;
    }

    private void releaseKeys() {
        for (final SelectionKey key : keys) {
            requeue(key);
        }
    }

    private void requeue(final SelectionKey key) {
        if (key.isValid()) {
            try {
                calls.requeue(key);
            } catch (final IllegalStateException ignored) { // CancelledKeyException among them
                // cancelled meanwhile: its selector drops it anyway
            }
        }
    }
}
