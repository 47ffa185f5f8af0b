package io.halfopen.netty;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.time.Scheduler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
 *   QUEUED ──granted()──▶ GRANTED ──connectNow() on the loop──▶ CONNECTING ──real outcome (or the
 *     │                     │                                            loop's termination), socket out of
 *     │                     │                                            SYN_SENT──▶ ENDED
 *     └─────────────────────┴──cancel / close / termination / loop shutting down / rejected hop /
 *                                limiter failure / abort──▶ ENDED
 * </pre>
 * Leaving {@code QUEUED} or {@code GRANTED} for {@code ENDED} never issues a connect: the attempt is
 * cancelled, which frees a slot it may hold (no socket ever used it). So does a grant that reaches
 * {@code connectNow()} once the channel's event loop is shutting down: the connect is not issued. Leaving
 * {@code CONNECTING} happens only once the socket is out of SYN_SENT: on the channel's event loop after the real
 * promise completed and, on failure, the channel closed; or on the thread that notifies the termination of
 * the channel's event loop: for a NIO channel closed while its loop shut down, once the loop's selector is closed
 * (see {@link #afterSocketClosed}), and for a connect still {@code CONNECTING} when the loop terminated, after
 * closing the socket itself (see {@link #loopTerminatedWhileConnecting()}). The limiter is told first and the
 * caller's promise completed after, except for that NIO channel, whose caller hears first, on the loop, so that
 * the promise's listeners still run.
 *
 * <h2>Threads</h2>
 * {@code granted}, {@code failed} and {@code abort} run on any thread; the promise listeners on the channel's
 * event loop; the termination listener, watched from {@code start} until {@code ENDED}, on whatever thread
 * notifies the termination future (Netty's {@code GlobalEventExecutor}), when no task of the channel's event loop
 * will ever run again. Fields read across threads are volatile or final; {@code realPromise} is written only
 * on the channel's event loop, and read on its termination thread after the termination, which happens after
 * every task of the executor.
 */
final class LimitedConnect implements AttemptListener, FutureListener<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(HalfOpenLimitHandler.class);

    /** Whether Netty's unix-common (the native transports' {@link UnixChannel}) is on the class path. */
    private static final boolean UNIX_CHANNELS = isPresent("io.netty.channel.unix.UnixChannel");

    private static final int QUEUED = 0;
    private static final int GRANTED = 1;
    private static final int CONNECTING = 2;
    private static final int ENDED = 3;

    private static final VarHandle PHASE;

    /**
     * Event loop classes whose {@code terminationFuture()} throws {@link UnsupportedOperationException} because they
     * never terminate (Netty's {@code EmbeddedEventLoop}): learnt at the first connect on each, so that later connects
     * do not build (and fill in the stack trace of) that exception again.
     */
    private static final Set<Class<?>> NEVER_TERMINATING = ConcurrentHashMap.newKeySet();

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(LimitedConnect.class, "phase", int.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelHandlerContext ctx;
    /**
     * The channel's event loop, which the connect follows throughout: the real connect is issued on it (so that the
     * transport arms the budget's remainder there, before the channel's own timeout is restored), its shutdown and
     * termination end the connect, its timers run the half-open timeout. Not {@code ctx.executor()}, which is
     * another executor when the handler was added with an {@code EventExecutorGroup} of its own.
     */
    private final EventLoop loop;
    private final InetSocketAddress remote;
    private final SocketAddress local;
    private final ChannelPromise promise;
    /** QUEUED, GRANTED, CONNECTING or ENDED; starts at QUEUED (0, the default), moves by CAS through PHASE. */
    private volatile int phase;
    /**
     * What the limiter holds instead of this: detached when the connect ends, so nothing ended stays reachable; also
     * the half-open timer on real time (a {@link SynStartedTimer}: asked for at the grant, started at the SYN).
     */
    private final DetachableListener listener;

    private volatile ConnectAttempt attempt;
    private volatile boolean starting;
    private volatile Future<?> termination;
    private volatile ConnectTimeoutException halfOpenTimeout;
    private volatile boolean cancelledByCaller;
    private volatile boolean closeRequested; // a benign race: at worst two close() calls, which Netty allows
    private volatile ChannelPromise realPromise; // written on the channel's event loop only
    /** The whole connect's budget (queue wait plus handshake) in ms, or 0 if the queue is not charged to it. */
    private final int budgetMillis;
    private final long startNanos = System.nanoTime();
    /** Whether the limiter runs on the system's clock and scheduler; written in {@code start}, before the grant. */
    private volatile boolean limiterOnRealTime = true;
    /** Whether the transport was given less than the whole budget (the queue took the rest); written before the
     * real connect is issued, read when it fails. */
    private volatile boolean shortened;

    LimitedConnect(final ChannelHandlerContext ctx, final InetSocketAddress remote, final SocketAddress local,
            final ChannelPromise promise, final int budgetMillis) {
        this.ctx = ctx;
        this.loop = ctx.channel().eventLoop();
        this.listener = new DetachableListener(this, loop);
        this.remote = remote;
        this.local = local;
        this.promise = promise;
        this.budgetMillis = budgetMillis;
    }

    /** Asks for a slot; runs on {@code ctx.executor()} (the channel's loop, or the handler's own executor), inside
     * the handler's {@code connect}. */
    void start(final HalfOpenLimiter limiter, final BudgetCache budgets) {
        if (loop.isShuttingDown()) {
            promise.tryFailure(shuttingDown());
            return;
        }
        promise.addListener(this); // the caller may cancel
        limiterOnRealTime = limiter.usesSystemScheduler();
        final ConnectAttempt started;
        starting = true;
        try {
            if (budgetMillis > 0) {
                final Duration budget = budgets.of(budgetMillis);
                started = limiter.usesSystemScheduler() ? limiter.newAttemptWithin(remote, listener, budget,
                        loopTimers()) : limiter.newAttemptWithin(remote, listener, budget);
            } else {
                started = limiter.usesSystemScheduler() ? limiter.newAttempt(remote, listener, loopTimers())
                        : limiter.newAttempt(remote, listener);
            }
        } catch (final RuntimeException e) {
            phase = ENDED;
            listener.detach();
            promise.tryFailure(e);
            return;
        } finally {
            starting = false;
        }
        attempt = started;
        final int now = phase;
        if (now == ENDED) {
            started.cancel(); // a cancel that came before the handle was known; a no-op if it ended otherwise
        } else {
            watch();
        }
    }

    /**
     * Where this connect's half-open timer goes when the limiter runs on real time: on the channel's own event
     * loop, so that arming and cancelling it wakes no other thread (on the shared timer thread, nearly every
     * connect woke it), and the abort runs on the loop that closes the channel; and started only when the SYN is
     * sent ({@link SynStartedTimer}), so that a grant the loop runs late (a stalled or busy loop) keeps its whole
     * half-open time. If the loop no longer takes tasks, the timer goes to the shared timer thread instead. A loop
     * that terminates drops its timers; the termination watch ends the connect then.
     */
    private Scheduler loopTimers() {
        return listener;
    }

    /**
     * How much of the budget the connect has spent before its SYN: on real time, the real time since the handler
     * took it (the queue wait and the hop to the loop); on a limiter with a clock or scheduler of its own (a
     * {@code VirtualClock}), the queue wait on that limiter's clock, which is what passed for the connect there.
     */
    private long spentMillis() {
        final ConnectAttempt granted = attempt;
        if (limiterOnRealTime || granted == null) {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        }
        return granted.queueWait().toMillis();
    }

    // ------------------------------------------------------------------ the limiter's callbacks

    @Override
    public void granted(final ConnectAttempt granted) {
        attempt = granted;
        if (!PHASE.compareAndSet(this, QUEUED, GRANTED)) {
            granted.cancel(); // given up meanwhile: give the slot back
            return;
        }
        if (starting && loop.inEventLoop()) {
            connectNow(); // a free slot, inside newAttempt: no hop needed
            return;
        }
        try {
            loop.execute(this::connectNow);
        } catch (final RejectedExecutionException e) {
            LOG.debug("A half-open slot for {} was granted after its executor stopped; giving it back", remote);
            giveUp(e);
        }
    }

    @Override
    public void failed(final ConnectAttempt failed, final HalfOpenLimitException cause) {
        if (PHASE.compareAndSet(this, QUEUED, ENDED)) {
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
        if (PHASE.compareAndSet(this, GRANTED, ENDED)) { // the hop to the event loop never ran: no socket
            unwatch();
            aborting.aborted();
            promise.tryFailure(timeout);
        } else if (phase == CONNECTING) {
            closeChannel(); // the real promise fails, then the slot frees once the close completed
        }
    }

    // ------------------------------------------------------------------ the real connect

    private void connectNow() {
        if (loop.isShuttingDown()) {
            // Netty closes a loop's channels once, when the loop starts shutting down (Netty 4.2, given
            // shutdownGracefully(0, 0) while the loop runs tasks, not even once): a SYN sent now may never be
            // closed by the transport. Give the slot back instead; no socket used it.
            giveUp(shuttingDown());
            return;
        }
        final IllegalArgumentException refused = RefusedOptions.refusal(ctx.channel(), remote);
        if (refused != null) { // the option was set while the connect waited: no SYN, give the slot back
            if (giveUp(refused)) {
                ctx.channel().close();
            }
            return;
        }
        final long leftMillis = budgetMillis <= 0 ? 0 : budgetMillis - spentMillis();
        if (budgetMillis > 0 && leftMillis < 1) { // granted as, or after, the caller's connect timeout ran out
            if (giveUp(budgetSpent())) {
                ctx.channel().close();
            }
            return;
        }
        if (!PHASE.compareAndSet(this, GRANTED, CONNECTING)) {
            return;
        }
        ctx.channel().closeFuture().removeListener(this); // from now on a close fails the real connect
        final ChannelPromise real = ctx.channel().newPromise(); // its listeners run on the channel's loop
        realPromise = real;
        real.addListener(this);
        if (budgetMillis <= 0) {
            ctx.connect(remote, local, real);
            listener.start(); // the transport sent the SYN inside connect: the half-open time starts now
            return;
        }
        // The transport arms CONNECT_TIMEOUT_MILLIS inside connect(): give it what the queue left of the budget,
        // then restore the channel's own value. A budget already spent (a grant that came as, or after, it ran
        // out) sends no SYN at all: the caller's connect timeout has expired, no socket used the slot.
        final ChannelConfig config = ctx.channel().config();
        // shortened by the queue, not merely by the hop to the loop: only a connect that waited for its slot has
        // had part of its budget taken by the limiter (a connect granted at once has a zero queue wait)
        shortened = leftMillis < budgetMillis && !attempt.queueWait().isZero();
        config.setConnectTimeoutMillis((int) leftMillis);
        try {
            ctx.connect(remote, local, real);
        } finally {
            config.setConnectTimeoutMillis(budgetMillis);
        }
        listener.start();
    }

    private void realConnectDone(final ChannelFuture real) {
        if (real.isSuccess() && halfOpenTimeout == null) {
            if (!PHASE.compareAndSet(this, CONNECTING, ENDED)) {
                return;
            }
            unwatch();
            attempt.established();
            if (!promise.trySuccess()) {
                ctx.channel().close(); // the caller cancelled as the handshake completed
            }
            return;
        }
        final Throwable cause = failureOf(real);
        if (cause instanceof ConnectionPendingException || cause instanceof AlreadyConnectedException) {
            reportFailure(cause); // refused before any SYN of this connect: the socket belongs to another one
            return;
        }
        final Channel channel = ctx.channel();
        if (!channel.closeFuture().isDone()) {
            closeChannel(); // as Netty's transports do after a failed connect; harmless if already closing
        }
        channel.closeFuture().addListener(closed -> afterSocketClosed(cause));
    }

    /**
     * Reports the failure once the kernel socket is really closed. Native transports close the file descriptor
     * inside {@code close()}, so that is when the close future completes. JDK NIO does not: the socket of a
     * channel registered with a selector is closed only when that selector next runs and deregisters it, so
     * until then it stays in SYN_SENT. For NIO channels the report therefore waits for a zero-delay task
     * scheduled from a zero-delay task: the event loop takes scheduled tasks in once per pass, so the second
     * one runs on a later pass than the close, after the loop's selector ran.
     *
     * <p>If the loop is shutting down, its scheduled tasks are cancelled and it may never select again: the
     * report then waits for the loop's termination, which comes after the loop closed its selector (closing the
     * sockets of closed channels). The caller's promise fails at once, though, while the loop still runs: once
     * it has terminated Netty can no longer run the promise's listeners. That is the one case where the caller
     * hears before the limiter.
     */
    private void afterSocketClosed(final Throwable cause) {
        final Runnable report = () -> reportFailure(cause);
        final Channel channel = ctx.channel();
        if (!(channel instanceof AbstractNioChannel)) {
            report.run();
            return;
        }
        final EventLoop loop = channel.eventLoop();
        final Runnable atTermination = () -> {
            promise.tryFailure(callerFailure(cause)); // a no-op if the caller cancelled it
            loop.terminationFuture().addListener(terminated -> report.run());
        };
        schedule(loop, () -> schedule(loop, report, atTermination), atTermination);
    }

    /** Runs {@code task} on {@code loop}'s next pass, or {@code shuttingDown} if the loop is shutting down. */
    private static void schedule(final EventLoop loop, final Runnable task, final Runnable shuttingDown) {
        if (loop.isShuttingDown()) {
            shuttingDown.run();
            return;
        }
        try {
            loop.schedule(task, 0, TimeUnit.NANOSECONDS).addListener(scheduled -> {
                if (scheduled.isCancelled()) {
                    shuttingDown.run();
                }
            });
        } catch (final RejectedExecutionException stopped) {
            shuttingDown.run();
        }
    }

    /** The real connect failed and its socket is closed (out of SYN_SENT): tell the limiter, then the caller. */
    private void reportFailure(final Throwable cause) {
        if (!PHASE.compareAndSet(this, CONNECTING, ENDED)) {
            return;
        }
        unwatch();
        final ConnectAttempt ended = attempt;
        final ConnectTimeoutException timeout = halfOpenTimeout;
        if (timeout != null) {
            ended.aborted();
            promise.tryFailure(timeout);
        } else if (cancelledByCaller || promise.isCancelled()) {
            ended.cancel();
        } else if (cause instanceof ConnectTimeoutException) {
            // Netty's CONNECT_TIMEOUT_MILLIS: a timeout the peer earned if the transport had the whole budget; if
            // the queue took part of it, the caller's budget ran out, which says nothing sure about the peer
            if (shortened) {
                ended.cancel();
            } else {
                ended.aborted();
            }
            promise.tryFailure(cause);
        } else if (isKernelSynTimeout(cause, ctx.channel())) {
            ended.aborted(); // the kernel's SYN retries ran out: the peer never answered, as at the half-open timeout
            promise.tryFailure(cause);
        } else if (isRefused(cause, ctx.channel())) {
            ended.refused();
            promise.tryFailure(cause);
        } else {
            ended.failed(cause);
            promise.tryFailure(cause);
        }
    }

    /** What the caller's promise fails with when the real connect failed with {@code cause}. */
    private Throwable callerFailure(final Throwable cause) {
        final ConnectTimeoutException timeout = halfOpenTimeout;
        return timeout != null ? timeout : cause;
    }

    /** What the real connect failed with, or the half-open timeout if it succeeded after that fired. */
    private Throwable failureOf(final ChannelFuture real) {
        return real.isSuccess() ? halfOpenTimeout
                : real.isCancelled() ? new CancellationException("the real connect was cancelled") : real.cause();
    }

    /**
     * Closes the channel of a connect that failed or is being aborted, disconnecting its socket first, on the
     * channel's event loop, so that the socket has left SYN_SENT when the channel's close future completes (see
     * {@link #disconnectNow}).
     */
    private void closeChannel() {
        if (closeRequested) {
            return;
        }
        closeRequested = true;
        final Channel channel = ctx.channel();
        final EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            disconnectNow(channel);
            channel.close();
            return;
        }
        try {
            loop.execute(() -> {
                disconnectNow(channel);
                channel.close();
            });
        } catch (final RejectedExecutionException stopped) {
            channel.close(); // the loop is gone: the termination watch closes the socket
        }
    }

    /**
     * Takes a native channel's socket out of SYN_SENT now, on its event loop, before the transport closes it:
     * {@code shutdown(2)} of a socket in SYN_SENT disconnects it at once (the kernel's {@code inet_shutdown} calls
     * {@code tcp_disconnect}: SYN_SENT to CLOSE), whatever the transport's close does after. Needed for io_uring,
     * whose {@code doClose()} only queues an {@code IORING_OP_CLOSE} (behind an async cancel of the connect) and
     * whose close future completes when that is queued, not when the kernel has closed the socket: freeing the
     * slot then let a new SYN go while the old socket was still in SYN_SENT (traced: 4 at a limit of 3). Harmless
     * on Epoll and KQueue, which close the descriptor inside {@code doClose()}; NIO channels are not
     * {@link UnixChannel}s (their socket closes with the selector, see {@link #afterSocketClosed}).
     */
    private static void disconnectNow(final Channel channel) {
        if (UNIX_CHANNELS) {
            UnixSockets.disconnect(channel);
        }
    }

    /**
     * Whether the transport's failure is a refusal, by type and errno, never by the message's words (the C
     * library's {@code strerror} text, translated under a non-English locale). Netty's own connect timeout, also a
     * {@code ConnectException}, is told apart before this is asked, and so is a native {@code ETIMEDOUT}
     * ({@link #isKernelSynTimeout}).
     *
     * <p>On NIO every {@link ConnectException} counts as a refusal. The JDK throws it for {@code ECONNREFUSED},
     * and also for {@code ETIMEDOUT} (the kernel's SYN retries ran out) and {@code ENOTCONN}, with nothing but the
     * (translated) message to tell them apart; by type they are one. A NIO connect that the kernel gives up on
     * before the half-open timeout is therefore counted {@code refused}, not {@code timedOut}. With Linux's
     * default {@code net.ipv4.tcp_syn_retries} (6, about 127 s) that needs a half-open timeout longer than that
     * (XP's is 21 s); with {@code tcp_syn_retries} of 3 or less it happens under XP's 21 s too: use a native
     * transport (Epoll, io_uring), whose errno says which it was, if that matters. A local error such as
     * {@code EADDRNOTAVAIL} (no local port left) is a {@link java.net.BindException} on NIO, unreachable networks
     * and hosts {@link java.net.NoRouteToHostException}s: failures.
     *
     * <p>Netty's native transports (Epoll, io_uring, KQueue; Netty's {@code Errors.handleConnectErrno}) throw a
     * {@code ConnectException} for every errno but {@code ENETUNREACH} and {@code EHOSTUNREACH}
     * ({@code NoRouteToHostException}), {@code EISCONN} ({@link AlreadyConnectedException}) and {@code ENOENT}
     * ({@code FileNotFoundException}); {@code EINPROGRESS} and {@code EALREADY} throw nothing (the connect goes on).
     * For them it is a refusal only if its errno is {@code ECONNREFUSED} (see {@link #nativeErrno});
     * a native {@code ConnectException} without an errno counts as a refusal, as on NIO.
     *
     * @param cause   what the real connect failed with
     * @param channel the channel that connected
     * @return whether the peer refused the connect
     */
    static boolean isRefused(final Throwable cause, final Channel channel) {
        if (!(cause instanceof ConnectException)) {
            return false;
        }
        if (!(UNIX_CHANNELS && channel instanceof UnixChannel)) {
            return true;
        }
        final Integer errno = nativeErrno(cause);
        return errno == null || UnixSockets.isConnectionRefused(errno);
    }

    /**
     * Whether a native transport's connect failed with {@code ETIMEDOUT}: the kernel's SYN retries ran out (Linux's
     * {@code net.ipv4.tcp_syn_retries}, or the socket's {@code TCP_SYNCNT}) before the half-open timeout. The peer
     * never answered, the same outcome as the handler's own half-open timeout: the limiter counts it
     * {@code timedOut} ({@code aborted()}), so that a policy learns that the destination is silent. On NIO it
     * cannot be told from a refusal (see {@link #isRefused}).
     *
     * @param cause   what the real connect failed with
     * @param channel the channel that connected
     * @return whether the kernel gave up on the connect's SYN
     */
    static boolean isKernelSynTimeout(final Throwable cause, final Channel channel) {
        if (!(cause instanceof ConnectException) || !(UNIX_CHANNELS && channel instanceof UnixChannel)
                || ETIMEDOUT_NEGATIVE == 0) {
            return false;
        }
        final Integer errno = nativeErrno(cause);
        return errno != null && errno == ETIMEDOUT_NEGATIVE;
    }

    /**
     * This system's {@code ETIMEDOUT}, negative as Netty passes errnos (Netty's {@code Errors} has no constant for
     * it): 110 on Linux (Epoll, io_uring), 60 on macOS and the BSDs (KQueue); 0, matching nothing, elsewhere.
     */
    private static final int ETIMEDOUT_NEGATIVE = etimedoutNegative(System.getProperty("os.name", ""));

    static int etimedoutNegative(final String osName) {
        final String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            return -110;
        }
        if (os.startsWith("mac") || os.startsWith("darwin") || os.contains("bsd")) {
            return -60;
        }
        return 0;
    }

    /**
     * The (negative) errno of a native transport's connect failure, or {@code null} if it carries none. Netty keeps
     * it in a package-private exception; its message starts, in every locale, with
     * {@code "<call>(..) failed with error(<errno>)"} (Netty's own words and the errno's number, before the
     * {@code strerror} text), and an annotated copy keeps that message and has the original as its cause. Looks
     * at most {@value #MAX_CAUSE_DEPTH} exceptions down the cause chain, which may be a cycle.
     */
    static Integer nativeErrno(final Throwable cause) {
        Throwable t = cause;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause() == t ? null
                : t.getCause()) {
            final String message = t.getMessage();
            if (message == null) {
                continue;
            }
            final int at = message.indexOf(NATIVE_ERRNO);
            if (at < 0) {
                continue;
            }
            final int from = at + NATIVE_ERRNO.length();
            final int to = message.indexOf(')', from);
            if (to > from) {
                try {
                    return Integer.valueOf(message.substring(from, to));
                } catch (final NumberFormatException notAnErrno) {
                    return null;
                }
            }
        }
        return null;
    }

    private static final String NATIVE_ERRNO = "(..) failed with error(";
    /** How far down a cause chain {@link #nativeErrno} looks (Netty's annotated copy is one level above). */
    static final int MAX_CAUSE_DEPTH = 16;

    // ------------------------------------------------------------------ the loop terminated while connecting

    /**
     * The channel's event loop terminated while the connect was {@code CONNECTING}: the transport will never
     * complete the real promise nor close the channel, so this closes the socket, then reports.
     *
     * <p>Why it happens: a loop closes its channels when it starts shutting down (Netty 4.1's
     * {@code closeAll()}, 4.2's {@code IoHandler.prepareToDestroy()}) and no later. Netty 4.2's
     * {@code SingleThreadIoEventLoop.run()} does so only when it sees the shutdown right after
     * {@code runIo()}; when {@code shutdownGracefully(0, 0)} (no quiet period) lands while the loop runs tasks,
     * as it does in any connect storm, the following {@code confirmShutdown()} returns true at once and the loop
     * ends without closing any channel: they stay open and registered on a terminated loop, a pending connect's
     * promise never completes, its socket stays in SYN_SENT until the kernel gives up, and its half-open slot
     * was never freed (found by {@code EventLoopShutdownTest}; plain Netty 4.2.18 does it without halfopen).
     * Netty 4.1 closes them, but on either version a connect issued after that close (by a task the shutdown
     * still runs) is never closed either: {@code connectNow()} refuses to issue one on a loop shutting down.
     *
     * <p>Runs on the thread that notifies the termination, when nothing runs on the loop any more, after the
     * loop closed its selector or epoll descriptor. If the transport did close the channel but the report still
     * waits (in {@link #afterSocketClosed}), closing again is a no-op and whichever report comes first counts.
     */
    private void loopTerminatedWhileConnecting() {
        if (phase != CONNECTING) {
            return;
        }
        closeAbandonedSocket(ctx.channel());
        final ChannelPromise real = realPromise;
        final Throwable failure = real != null && real.isDone() ? failureOf(real) : null;
        reportFailure(failure != null ? failure : new RejectedExecutionException("the event loop of "
                + ctx.channel() + " terminated while its connect to " + remote + " was half-open; the socket was"
                + " closed by the HalfOpenLimitHandler, as the event loop never closed it"));
    }

    /**
     * Closes the socket of a channel whose event loop terminated without closing it, from another thread. The
     * channel's own {@code unsafe().closeForcibly()} asserts that it runs on the (gone) event loop, so this
     * closes the descriptor underneath: the JDK channel on NIO, the file descriptor on the native transports
     * (Epoll, KQueue, io_uring). The channel then reports itself closed ({@code isOpen()} is false), but Netty
     * never completes its close future: nothing runs on its loop any more.
     */
    private static void closeAbandonedSocket(final Channel channel) {
        try {
            if (channel.unsafe() instanceof AbstractNioChannel.NioUnsafe nio) {
                nio.ch().close(); // its selector is closed: the JDK closes the socket at once
            } else if (!(UNIX_CHANNELS && UnixSockets.close(channel))) {
                channel.unsafe().closeForcibly(); // another transport; asserts the event loop if -ea
            }
        } catch (final IOException | RuntimeException | AssertionError e) {
            LOG.warn("Could not close the socket of {}, whose event loop terminated while it connected", channel,
                    e);
        }
    }

    /** Touches the unix-common classes only when {@link #UNIX_CHANNELS} says they are there. */
    private static final class UnixSockets {

        /** Whether a native (negative) errno is {@code ECONNREFUSED}. */
        static boolean isConnectionRefused(final int errno) {
            return errno == Errors.ERROR_ECONNREFUSED_NEGATIVE;
        }

        /** Shuts down a native channel's socket if it is still open; errors (ENOTCONN: already closed) ignored. */
        static void disconnect(final Channel channel) {
            if (channel instanceof UnixChannel unix && unix.fd() instanceof Socket socket && socket.isOpen()) {
                try {
                    socket.shutdown();
                } catch (final IOException | RuntimeException notConnected) {
                    LOG.trace("shutdown of {} before its close: {}", channel, notConnected.toString());
                }
            }
        }

        /**
         * Closes a native channel's descriptor from off its (terminated) loop, disconnecting its socket first:
         * on io_uring the ring's cancelled connect may still hold the file after the descriptor is closed, and
         * the socket would stay in SYN_SENT until the ring's teardown lets go of it.
         */
        static boolean close(final Channel channel) throws IOException {
            if (channel instanceof UnixChannel unix) {
                disconnect(channel);
                unix.fd().close();
                return true;
            }
            return false;
        }
    }

    private static boolean isPresent(final String className) {
        try {
            Class.forName(className, false, LimitedConnect.class.getClassLoader());
            return true;
        } catch (final ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    /**
     * The last connect budget a handler turned into a {@link Duration}: a handler's channels nearly always share one
     * connect timeout, so a connect rarely needs a Duration of its own. A benign race (Duration is immutable, and a
     * miss only builds one).
     */
    static final class BudgetCache {
        private volatile Duration last = Duration.ZERO;

        Duration of(final int millis) {
            final Duration cached = last;
            if (cached.toMillis() == millis) {
                return cached;
            }
            final Duration fresh = Duration.ofMillis(millis);
            last = fresh;
            return fresh;
        }
    }

    private RejectedExecutionException shuttingDown() {
        return new RejectedExecutionException("the event loop of " + ctx.channel() + " is shutting down: the"
                + " connect to " + remote + " was not issued");
    }

    // ------------------------------------------------------------------ giving up before the connect

    /** Watches the channel's close until the connect is issued, and the executor's termination until ENDED. */
    private void watch() {
        ctx.channel().closeFuture().addListener(this);
        final Class<?> loopClass = loop.getClass();
        if (!NEVER_TERMINATING.contains(loopClass)) {
            try {
                final Future<?> terminated = loop.terminationFuture();
                termination = terminated;
                terminated.addListener(this);
            } catch (final UnsupportedOperationException embedded) {
                NEVER_TERMINATING.add(loopClass); // EmbeddedEventLoop: it never terminates; found once, not per connect
            }
        }
        final int now = phase;
        if (now == ENDED) {
            unwatch(); // ended while we were adding the listeners
        } else if (now == CONNECTING) {
            ctx.channel().closeFuture().removeListener(this); // issued meanwhile: the real promise reports
        }
    }

    /** Called at every move to {@code ENDED} (once watched): stops watching, and lets the limiter let go of this. */
    private void unwatch() {
        listener.detach();
        ctx.channel().closeFuture().removeListener(this);
        final Future<?> terminated = termination;
        if (terminated != null) {
            terminated.removeListener(this);
        }
    }

    /** The caller's CONNECT_TIMEOUT_MILLIS ran out while the connect waited for its slot. */
    private ConnectTimeoutException budgetSpent() {
        return new ConnectTimeoutException(String.format(Locale.ROOT,
                "connection timed out: the connect timeout of %d ms was spent waiting for a half-open slot"
                        + " (no SYN sent): %s", budgetMillis, remote));
    }

    /**
     * Ends a connect that never reached the transport: leaves the queue, or gives back a slot no socket used.
     *
     * @param cause what to fail the caller's promise with, or {@code null} if the caller cancelled it
     * @return whether this call ended the connect
     */
    private boolean giveUp(final Throwable cause) {
        int now = phase;
        while (now == QUEUED || now == GRANTED) {
            if (PHASE.compareAndSet(this, now, ENDED)) {
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
            now = phase;
        }
        return false;
    }

    // ------------------------------------------------------------------ future listeners

    @Override
    public void operationComplete(final Future<Object> future) {
        final Object completed = future;
        if (completed == promise) {
            if (promise.isCancelled() && !giveUp(null) && phase == CONNECTING) {
                cancelledByCaller = true;
                closeChannel(); // abort the real connect; the slot frees once the channel is closed
            }
        } else if (completed == realPromise) {
            realConnectDone((ChannelFuture) completed);
        } else if (completed == ctx.channel().closeFuture()) {
            giveUp(new ClosedChannelException());
        } else if (!giveUp(new RejectedExecutionException("the event loop of " + ctx.channel()
                + " terminated while its connect to " + remote + " waited for a half-open slot"))) {
            loopTerminatedWhileConnecting();
        }
    }

    @Override
    public String toString() {
        return "LimitedConnect[" + remote + ", phase " + phase + ", " + attempt + "]";
    }
}
