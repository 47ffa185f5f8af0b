package io.halfopen.agent.limit;

import io.halfopen.agent.bootstrap.HalfOpenHooks;
import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ConnectionPendingException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code AsynchronousSocketChannel} connects ({@code sun.nio.ch.UnixAsynchronousSocketChannelImpl}). The API is
 * asynchronous already, so a connect without a slot is simply not started: {@code connect} returns at once (its
 * {@link Future}, or nothing for the handler form) and the JDK's connect runs when the slot is granted, on the
 * granting thread, with a handler of ours that reports the outcome and then completes the caller's handler or
 * future. While held, a second {@code connect} throws {@link ConnectionPendingException}, a close completes the
 * connect with {@link AsynchronousCloseException}, and cancelling the future closes the channel, as the JDK's
 * own pending connect does. Thread-safe.
 */
final class AsyncConnects {

    private final HalfOpenLimiter limiter;
    private final ConcurrentHashMap<Object, Connect> pending = new ConcurrentHashMap<>();

    AsyncConnects(final HalfOpenLimiter limiter) {
        this.limiter = limiter;
    }

    /** {@code implConnect} before its body; see {@link io.halfopen.agent.bootstrap.Hooks#asyncConnect}. */
    Object connect(final Object channel, final SocketAddress remote, final Object attachment,
            final CompletionHandler<?, ?> handler) {
        if (handler instanceof Connect.Outcome) {
            return null; // our own call, on the grant: the JDK's connect runs with our handler
        }
        final AsynchronousSocketChannel ch = (AsynchronousSocketChannel) channel;
        if (!(remote instanceof InetSocketAddress) || ((InetSocketAddress) remote).isUnresolved() || !ch.isOpen()) {
            return null; // the JDK's own checks and exceptions
        }
        if (pending.containsKey(ch)) {
            throw new ConnectionPendingException();
        }
        @SuppressWarnings("unchecked")
        final Connect connect = new Connect(ch, (InetSocketAddress) remote, attachment,
                (CompletionHandler<Void, Object>) handler);
        if (pending.putIfAbsent(ch, connect) != null) {
            throw new ConnectionPendingException();
        }
        return connect.start();
    }

    /** {@code implConnect} after its body. */
    Future<?> exit(final CompletionHandler<?, ?> handler, final Future<?> returned, final Throwable thrown) {
        if (!(handler instanceof Connect.Outcome)) {
            return returned;
        }
        final Connect connect = ((Connect.Outcome) handler).connect();
        if (thrown != null) {
            connect.threw(thrown);
        }
        return connect.future != null && returned == null ? connect.future : returned;
    }

    /** {@code implClose} after its body: a held connect completes with {@link AsynchronousCloseException}. */
    void closed(final Object channel) {
        final Connect connect = pending.get(channel);
        if (connect != null) {
            connect.closedWhileHeld();
        }
    }

    /** One connect of one channel. */
    private final class Connect implements AttemptListener {
        private static final int STARTING = 0;
        private static final int GRANTED_NOW = 1;
        private static final int HELD = 2;
        private static final int CONNECTING = 3;
        private static final int ABORTING = 4;
        private static final int DONE = 5;

        /** The handler the JDK's connect runs with; marks our own calls. */
        interface Outcome extends CompletionHandler<Void, Object> {
            Connect connect();
        }

        private final AsynchronousSocketChannel channel;
        private final InetSocketAddress remote;
        private final Object attachment;
        private final CompletionHandler<Void, Object> handler;
        final ConnectFuture future;
        private final AtomicInteger phase = new AtomicInteger(STARTING);
        private volatile ConnectAttempt attempt;
        private volatile HalfOpenTimeoutException abortCause;
        private volatile HalfOpenLimitException limiterFailure;
        private final Outcome outcome = new Outcome() {
            @Override
            public Connect connect() {
                return Connect.this;
            }

            @Override
            public void completed(final Void result, final Object att) {
                if (phase.getAndSet(DONE) == DONE) {
                    return;
                }
                pending.remove(channel, Connect.this);
                attempt.established();
                deliver(null);
            }

            @Override
            public void failed(final Throwable exc, final Object att) {
                final int was = phase.getAndSet(DONE);
                if (was == DONE) {
                    return;
                }
                pending.remove(channel, Connect.this);
                if (was == ABORTING) { // we closed the channel at the half-open timeout: its socket is closed
                    attempt.aborted();
                    deliver(timedOut());
                } else {
                    Outcomes.reportFailure(attempt, exc); // the JDK closed the channel before failing the connect
                    deliver(exc);
                }
            }
        };

        Connect(final AsynchronousSocketChannel channel, final InetSocketAddress remote, final Object attachment,
                final CompletionHandler<Void, Object> handler) {
            this.channel = channel;
            this.remote = remote;
            this.attachment = attachment;
            this.handler = handler;
            this.future = handler == null ? new ConnectFuture(this) : null;
        }

        Object start() {
            attempt = limiter.newAttempt(remote, this);
            if (phase.compareAndSet(STARTING, HELD)) {
                return future != null ? future : HalfOpenHooks.NO_RESULT; // the JDK's connect waits for the grant
            }
            if (phase.compareAndSet(GRANTED_NOW, CONNECTING)) {
                return outcome; // run the JDK's connect now, with our handler
            }
            pending.remove(channel, this); // the limiter refused at once (queue full, closed)
            closeQuietly();
            deliver(Outcomes.asJdkException(limiterFailure));
            return future != null ? future : HalfOpenHooks.NO_RESULT;
        }

        void threw(final Throwable thrown) {
            if (phase.getAndSet(DONE) != DONE) {
                pending.remove(channel, this);
                attempt.cancel(); // the JDK's connect threw before it started (no SYN)
            }
        }

        void closedWhileHeld() {
            if (phase.compareAndSet(HELD, DONE)) {
                pending.remove(channel, this);
                attempt.cancel();
                deliver(new AsynchronousCloseException());
            }
        }

        void cancelled() {
            closeQuietly(); // as the JDK's pending connect future does; a held connect then leaves the queue
            closedWhileHeld();
        }

        @Override
        public void granted(final ConnectAttempt granted) {
            attempt = granted;
            if (phase.compareAndSet(STARTING, GRANTED_NOW)) {
                return;
            }
            if (!phase.compareAndSet(HELD, CONNECTING)) {
                granted.cancel();
                return;
            }
            if (!channel.isOpen()) {
                outcome.failed(new AsynchronousCloseException(), attachment);
                return;
            }
            try {
                channel.connect(remote, attachment, outcome); // the JDK's connect, on this thread
            } catch (final RuntimeException e) {
                if (phase.getAndSet(DONE) != DONE) {
                    pending.remove(channel, this);
                    granted.failed(e);
                    deliver(e);
                }
            }
        }

        @Override
        public void failed(final ConnectAttempt failedAttempt, final HalfOpenLimitException cause) {
            limiterFailure = cause;
            if (phase.compareAndSet(HELD, DONE)) {
                pending.remove(channel, this);
                closeQuietly();
                deliver(Outcomes.asJdkException(cause));
            }
        }

        @Override
        public void abort(final ConnectAttempt aborting, final HalfOpenTimeoutException cause) {
            abortCause = cause;
            if (phase.compareAndSet(CONNECTING, ABORTING)) {
                closeQuietly(); // the JDK fails the pending connect: our handler reports aborted
            } else if (phase.compareAndSet(HELD, DONE)) {
                pending.remove(channel, this);
                aborting.aborted();
                closeQuietly();
                deliver(timedOut());
            }
        }

        private ConnectException timedOut() {
            final ConnectException e = new ConnectException("Connection timed out: " + remote + " was half-open"
                    + " for the half-open timeout of " + Outcomes.format(limiter.halfOpenTimeout())
                    + " (Windows gives up a connect then)");
            e.initCause(abortCause);
            return e;
        }

        private void deliver(final Throwable failure) {
            if (future != null) {
                if (failure == null) {
                    future.complete(null);
                } else {
                    future.completeExceptionally(failure);
                }
                return;
            }
            if (failure == null) {
                handler.completed(null, attachment);
            } else {
                handler.failed(failure, attachment);
            }
        }

        private void closeQuietly() {
            try {
                channel.close();
            } catch (final IOException ignored) {
                // closed either way
            }
        }
    }

    /** The caller's future for the {@code connect(remote)} form; cancelling it closes the channel, as the JDK's. */
    private static final class ConnectFuture extends CompletableFuture<Void> {
        private final Connect connect;

        ConnectFuture(final Connect connect) {
            this.connect = connect;
        }

        @Override
        public boolean cancel(final boolean mayInterruptIfRunning) {
            final boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                connect.cancelled();
            }
            return cancelled;
        }
    }
}
