package io.halfopen.netty;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connect held back by {@link HalfOpenLimitHandler}: the limiter's {@link AttemptListener}, and the
 * listener of the caller's promise, of the real connect's promise, of the channel's close and of the
 * executor's termination, in one object.
 *
 * <h2>Phases</h2>
 * {@code phase} only moves forward, by CAS, so that exactly one thread decides each step:
 * <pre>
 *   QUEUED ──granted()──▶ GRANTED ──connectNow() on ctx.executor()──▶ CONNECTING ──real outcome,
 *     │                     │                                            socket out of SYN_SENT──▶ ENDED
 *     └─────────────────────┴──cancel / close / termination / rejected hop / limiter failure / abort──▶ ENDED
 * </pre>
 * Leaving {@code QUEUED} or {@code GRANTED} for {@code ENDED} never issues a connect: the attempt is
 * cancelled, which frees a slot it may hold (no socket ever used it). Leaving {@code CONNECTING} happens only
 * on {@code ctx.executor()}, after the real promise completed and, on failure, the channel closed; the
 * limiter is told first and the caller's promise completed after.
 *
 * <h2>Threads</h2>
 * {@code granted}, {@code failed} and {@code abort} run on any thread; the promise listeners on the channel's
 * event loop; the termination listener on whatever thread completes the termination future. Fields read
 * across threads are volatile or final; {@code realPromise} is confined to {@code ctx.executor()}.
 */
final class LimitedConnect implements AttemptListener, FutureListener<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(HalfOpenLimitHandler.class);

    private static final int QUEUED = 0;
    private static final int GRANTED = 1;
    private static final int CONNECTING = 2;
    private static final int ENDED = 3;

    private final ChannelHandlerContext ctx;
    private final InetSocketAddress remote;
    private final SocketAddress local;
    private final ChannelPromise promise;
    private final AtomicInteger phase = new AtomicInteger(QUEUED);

    private volatile ConnectAttempt attempt;
    private volatile boolean starting;
    private volatile Future<?> termination;
    private volatile ConnectTimeoutException halfOpenTimeout;
    private volatile boolean cancelledByCaller;
    private volatile boolean closeRequested; // a benign race: at worst two close() calls, which Netty allows
    private ChannelPromise realPromise; // confined to ctx.executor()

    LimitedConnect(final ChannelHandlerContext ctx, final InetSocketAddress remote, final SocketAddress local,
            final ChannelPromise promise) {
        this.ctx = ctx;
        this.remote = remote;
        this.local = local;
        this.promise = promise;
    }

    /** Asks for a slot; runs on {@code ctx.executor()}, inside the handler's {@code connect}. */
    void start(final HalfOpenLimiter limiter) {
        promise.addListener(this); // the caller may cancel
        final ConnectAttempt started;
        starting = true;
        try {
            started = limiter.newAttempt(remote, this);
        } catch (final RuntimeException e) {
            phase.set(ENDED);
            promise.tryFailure(e);
            return;
        } finally {
            starting = false;
        }
        attempt = started;
        final int now = phase.get();
        if (now == ENDED) {
            started.cancel(); // a cancel that came before the handle was known; a no-op if it ended otherwise
        } else if (now <= GRANTED) {
            watchWhileWaiting();
        }
    }

    // ------------------------------------------------------------------ the limiter's callbacks

    @Override
    public void granted(final ConnectAttempt granted) {
        attempt = granted;
        if (!phase.compareAndSet(QUEUED, GRANTED)) {
            granted.cancel(); // given up meanwhile: give the slot back
            return;
        }
        final EventExecutor executor = ctx.executor();
        if (starting && executor.inEventLoop()) {
            connectNow(); // a free slot, inside newAttempt: no hop needed
            return;
        }
        try {
            executor.execute(this::connectNow);
        } catch (final RejectedExecutionException e) {
            LOG.debug("A half-open slot for {} was granted after its executor stopped; giving it back", remote);
            giveUp(e);
        }
    }

    @Override
    public void failed(final ConnectAttempt failed, final HalfOpenLimitException cause) {
        if (phase.compareAndSet(QUEUED, ENDED)) {
            unwatch();
            promise.tryFailure(cause);
        }
    }

    @Override
    public void abort(final ConnectAttempt aborting, final HalfOpenTimeoutException cause) {
        final ConnectTimeoutException timeout = new ConnectTimeoutException(String.format(Locale.ROOT,
                "connection timed out after the halfopen limiter's half-open timeout of %d ms: %s",
                cause.timeout().toMillis(), remote));
        timeout.initCause(cause);
        halfOpenTimeout = timeout;
        if (phase.compareAndSet(GRANTED, ENDED)) { // the hop to the event loop never ran: no socket
            unwatch();
            aborting.aborted();
            promise.tryFailure(timeout);
        } else if (phase.get() == CONNECTING) {
            closeChannel(); // the real promise fails, then the slot frees once the close completed
        }
    }

    // ------------------------------------------------------------------ the real connect

    private void connectNow() {
        if (!phase.compareAndSet(GRANTED, CONNECTING)) {
            return;
        }
        unwatch();
        final ChannelPromise real = ctx.newPromise();
        realPromise = real;
        real.addListener(this);
        ctx.connect(remote, local, real);
    }

    private void realConnectDone(final ChannelFuture real) {
        if (real.isSuccess() && halfOpenTimeout == null) {
            if (!phase.compareAndSet(CONNECTING, ENDED)) {
                return;
            }
            attempt.established();
            if (!promise.trySuccess()) {
                ctx.channel().close(); // the caller cancelled as the handshake completed
            }
            return;
        }
        final Throwable cause = real.isSuccess() ? halfOpenTimeout
                : real.isCancelled() ? new CancellationException("the real connect was cancelled") : real.cause();
        if (cause instanceof ConnectionPendingException || cause instanceof AlreadyConnectedException) {
            reportFailure(cause); // refused before any SYN of this connect: the socket belongs to another one
            return;
        }
        final Channel channel = ctx.channel();
        if (!channel.closeFuture().isDone()) {
            closeChannel(); // as Netty's transports do after a failed connect; harmless if already closing
        }
        channel.closeFuture().addListener(closed -> afterSocketClosed(() -> reportFailure(cause)));
    }

    /**
     * Runs {@code report} once the kernel socket is really closed. Native transports close the file descriptor
     * inside {@code close()}, so that is when the close future completes. JDK NIO does not: the socket of a
     * channel registered with a selector is closed only when that selector next runs and deregisters it, so
     * until then it stays in SYN_SENT. For NIO channels the report therefore waits for a zero-delay task
     * scheduled from a zero-delay task: the event loop takes scheduled tasks in once per pass, so the second
     * one runs on a later pass than the close, after the loop's selector ran. If the loop is shutting down
     * (scheduled tasks are cancelled, and its selector is closed with it) the report runs at once.
     */
    private void afterSocketClosed(final Runnable report) {
        final Channel channel = ctx.channel();
        if (!(channel instanceof AbstractNioChannel)) {
            report.run();
            return;
        }
        final EventLoop loop = channel.eventLoop();
        final Runnable nextPass = () -> schedule(loop, report);
        schedule(loop, nextPass);
    }

    private static void schedule(final EventLoop loop, final Runnable task) {
        if (loop.isShuttingDown()) {
            task.run();
            return;
        }
        try {
            loop.schedule(task, 0, TimeUnit.NANOSECONDS).addListener(scheduled -> {
                if (scheduled.isCancelled()) {
                    task.run();
                }
            });
        } catch (final RejectedExecutionException stopped) {
            task.run();
        }
    }

    /** The real connect failed and its socket is closed (out of SYN_SENT): tell the limiter, then the caller. */
    private void reportFailure(final Throwable cause) {
        if (!phase.compareAndSet(CONNECTING, ENDED)) {
            return;
        }
        final ConnectAttempt ended = attempt;
        final ConnectTimeoutException timeout = halfOpenTimeout;
        if (timeout != null) {
            ended.aborted();
            promise.tryFailure(timeout);
        } else if (cancelledByCaller || promise.isCancelled()) {
            ended.cancel();
        } else if (cause instanceof ConnectTimeoutException) {
            ended.aborted(); // Netty's CONNECT_TIMEOUT_MILLIS
            promise.tryFailure(cause);
        } else if (isRefused(cause)) {
            ended.refused();
            promise.tryFailure(cause);
        } else {
            ended.failed(cause);
            promise.tryFailure(cause);
        }
    }

    private void closeChannel() {
        if (!closeRequested) {
            closeRequested = true;
            ctx.channel().close();
        }
    }

    static boolean isRefused(final Throwable cause) {
        if (!(cause instanceof ConnectException)) {
            return false;
        }
        final String message = cause.getMessage();
        return message != null && message.contains("Connection refused");
    }

    // ------------------------------------------------------------------ giving up before the connect

    private void watchWhileWaiting() {
        ctx.channel().closeFuture().addListener(this);
        try {
            final Future<?> terminated = ctx.executor().terminationFuture();
            termination = terminated;
            terminated.addListener(this);
        } catch (final UnsupportedOperationException embedded) {
            // EmbeddedEventLoop never terminates
        }
        if (phase.get() >= CONNECTING) {
            unwatch(); // left the queue while we were adding the listeners
        }
    }

    private void unwatch() {
        ctx.channel().closeFuture().removeListener(this);
        final Future<?> terminated = termination;
        if (terminated != null) {
            terminated.removeListener(this);
        }
    }

    /**
     * Ends a connect that never reached the transport: leaves the queue, or gives back a slot no socket used.
     *
     * @param cause what to fail the caller's promise with, or {@code null} if the caller cancelled it
     * @return whether this call ended the connect
     */
    private boolean giveUp(final Throwable cause) {
        int now = phase.get();
        while (now == QUEUED || now == GRANTED) {
            if (phase.compareAndSet(now, ENDED)) {
                unwatch();
                final ConnectAttempt ended = attempt;
                if (ended != null) {
                    ended.cancel();
                }
                if (cause != null) {
                    promise.tryFailure(cause);
                }
                return true;
            }
            now = phase.get();
        }
        return false;
    }

    // ------------------------------------------------------------------ future listeners

    @Override
    public void operationComplete(final Future<Object> future) {
        final Object completed = future;
        if (completed == promise) {
            if (promise.isCancelled() && !giveUp(null) && phase.get() == CONNECTING) {
                cancelledByCaller = true;
                closeChannel(); // abort the real connect; the slot frees once the channel is closed
            }
        } else if (completed == realPromise) {
            realConnectDone((ChannelFuture) completed);
        } else if (completed == ctx.channel().closeFuture()) {
            giveUp(new ClosedChannelException());
        } else {
            giveUp(new RejectedExecutionException("the event loop of " + ctx.channel()
                    + " terminated while its connect to " + remote + " waited for a half-open slot"));
        }
    }

    @Override
    public String toString() {
        return "LimitedConnect[" + remote + ", phase " + phase.get() + ", " + attempt + "]";
    }
}
