package io.halfopen.netty;

import io.halfopen.limiter.HalfOpenLimiter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds outbound TCP connects back until a {@link HalfOpenLimiter} grants them a half-open slot, so that at
 * most {@code maxHalfOpen} of the process's connects are in SYN_SENT at once, the way Windows XP SP2 limited
 * them. Connects past the limit wait in the limiter's FIFO queue; the first one to wait raises event 4226.
 *
 * <h2>Where it goes: at the head, {@code addFirst}</h2>
 * An outbound {@code connect} travels from the tail to the head, and the transport sends the SYN to whatever
 * address reaches the head. So this handler goes at the head of the pipeline, {@code pipeline.addFirst(limit)},
 * nearer the head than every handler that rewrites the connect: behind a {@code ProxyHandler} the SYN goes to the
 * proxy, and the slot must key on the proxy's address, which this handler sees only from the head side of the
 * proxy handler. {@link io.netty.bootstrap.Bootstrap} resolves the name before the pipeline sees the connect, so
 * the handler sees a resolved {@link InetSocketAddress} and DNS time is not counted (XP limited TCP attempts, not
 * lookups). A client that inserts its own proxy handler with {@code addFirst} after your initializer ran puts that
 * handler ahead of this one: add this handler after the client has built its pipeline (from a hook the client
 * runs once its own handlers are in), again with {@code addFirst}, so that it ends up at the head. One instance
 * is {@link Sharable}: share it, with its limiter, between every channel of the process.
 *
 * <pre>{@code
 * HalfOpenLimiter limiter = HalfOpenLimiter.xpSp2();            // 10 half-open, FIFO, 21 s half-open timeout
 * HalfOpenLimitHandler halfOpenLimit = new HalfOpenLimitHandler(limiter);
 * Bootstrap bootstrap = new Bootstrap()
 *         .group(group)
 *         .channel(NioSocketChannel.class)
 *         .handler(new ChannelInitializer<SocketChannel>() {
 *             protected void initChannel(SocketChannel ch) {
 *                 ch.pipeline().addLast(new HttpClientCodec(), new MyClientHandler());
 *                 ch.pipeline().addFirst(halfOpenLimit);        // at the head, ahead of any proxy handler
 *             }
 *         });
 * bootstrap.connect("example.org", 80);   // resolved by the Bootstrap, then waits here for a slot if need be
 * }</pre>
 *
 * <h2>What it limits</h2>
 * By default the {@code connect} of every {@link SocketChannel} (TCP on any transport: NIO, Epoll, KQueue,
 * io_uring) to an {@link InetSocketAddress}. Everything else passes straight through, untouched: every other
 * outbound operation; datagram channels (UDP has no handshake and is never delayed, whatever the predicate);
 * local and embedded channels; remotes that are not {@code InetSocketAddress}es. Accepted (server-side)
 * channels never connect, so they are never counted. The constructor with a predicate chooses other channels
 * (tests use it to opt {@code EmbeddedChannel} in).
 *
 * <p>An <em>unresolved</em> {@code InetSocketAddress} fails the connect with an
 * {@link IllegalArgumentException} that says so. It only reaches this handler when the bootstrap's resolver
 * was replaced (for example by {@code NoopAddressResolverGroup}) and nothing between the tail and this handler
 * rewrote the address. Passing it through would send a SYN the limiter never counted, and no transport can
 * connect to an unresolved address anyway; failing says where the configuration is wrong.
 *
 * <h2>TCP Fast Open is refused</h2>
 * A limited channel whose {@link io.netty.channel.ChannelOption#TCP_FASTOPEN_CONNECT} is {@code true} (Epoll,
 * io_uring) has its connect failed with an {@link IllegalArgumentException} naming the option, and closed; no SYN
 * is sent and no slot is taken. With TCP Fast Open the transport sends the first bytes in the SYN and reports the
 * connect done as soon as the kernel queued them, while the socket is still in SYN_SENT (to a peer that drops
 * SYNs it stays there until the kernel gives up): counted as established, such sockets would put any number of
 * half-open connects past the limit. The option is checked when the connect reaches the handler and again when
 * its slot is granted (a slot granted to a channel whose option was set meanwhile is given back).
 *
 * <h2>One connect's life</h2>
 * The caller's promise is never handed to the transport. The handler asks the limiter for a slot
 * ({@link HalfOpenLimiter#newAttempt}); once granted, it issues the real {@code ctx.connect} with a promise of
 * its own, on the channel's event loop: at once if the slot was free when the connect arrived there, otherwise
 * after a hop with {@code execute}, since a slot is granted on whichever thread freed it. It reports the real outcome
 * to the limiter, then completes the caller's promise with it, so that when the caller sees its connect
 * complete the limiter has already counted it (but for a NIO connect cut short by its loop's shutdown, below):
 * <table>
 *   <caption>outcomes</caption>
 *   <tr><th>real connect</th><th>limiter report</th><th>caller's promise</th></tr>
 *   <tr><td>success</td><td>{@code established()}</td><td>success</td></tr>
 *   <tr><td>a {@code ConnectException} for {@code ECONNREFUSED} (an RST), whatever the locale's text of its
 *       message: on NIO any {@code ConnectException} but Netty's connect timeout, on the native transports one
 *       whose errno is {@code ECONNREFUSED} (they throw it for local errors such as {@code EADDRNOTAVAIL} too,
 *       which are failures). On NIO this includes the kernel's {@code ETIMEDOUT} (its SYN retries ran out), which
 *       the JDK throws as a {@code ConnectException} too, indistinguishable by type: see the next row</td>
 *       <td>{@code refused()}</td><td>that failure</td></tr>
 *   <tr><td>on the native transports, a {@code ConnectException} whose errno is {@code ETIMEDOUT}: the kernel's
 *       SYN retries ({@code net.ipv4.tcp_syn_retries}, or the socket's {@code TCP_SYNCNT}) ran out before the
 *       half-open timeout; the peer never answered</td><td>{@code aborted()}: counted {@code timedOut}, as the
 *       half-open timeout</td><td>that failure</td></tr>
 *   <tr><td>Netty's {@link io.netty.channel.ConnectTimeoutException}
 *       ({@link io.netty.channel.ChannelOption#CONNECT_TIMEOUT_MILLIS})</td><td>{@code aborted()}</td>
 *       <td>that failure</td></tr>
 *   <tr><td>the limiter's half-open timeout</td><td>{@code aborted()}</td>
 *       <td>a {@code ConnectTimeoutException} naming the half-open timeout, caused by the limiter's
 *       {@link io.halfopen.limiter.HalfOpenTimeoutException}</td></tr>
 *   <tr><td>any other failure</td><td>{@code failed(cause)}</td><td>that failure</td></tr>
 *   <tr><td>none: its event loop terminated without closing the channel (the handler closes the socket)</td>
 *       <td>{@code failed(cause)}</td><td>a {@link java.util.concurrent.RejectedExecutionException} that says
 *       so</td></tr>
 *   <tr><td>the caller cancelled its promise</td><td>{@code cancel()}</td><td>cancelled</td></tr>
 * </table>
 * A slot is freed only once the socket has left SYN_SENT: at success, or, after a failure, once the channel is
 * closed (the handler closes it if the transport has not, as Netty's transports already do after a failed
 * connect), so the kernel never sees more half-open sockets than the limit. On NIO, whose JDK channel closes
 * its socket only when the selector next runs, the handler waits for the event loop's next pass as well, or,
 * if the loop is shutting down, for its termination (the loop's selector is closed by then). On the native
 * transports the handler shuts the socket down ({@code shutdown(2)}, which disconnects a socket in SYN_SENT at
 * once) on the channel's event loop before closing it: io_uring's close only queues the kernel's close, and its
 * close future completes before the socket has left SYN_SENT.
 *
 * <h2>Cancellation, closing, shutdown, queue limits</h2>
 * <ul>
 *   <li>The caller cancels its promise while the connect waits for a slot: the attempt leaves the queue and no
 *       connect is ever issued. While half-open: the channel is closed, and the slot freed once it is.</li>
 *   <li>The channel is closed while the connect waits: the attempt leaves the queue and the promise fails with
 *       a {@link java.nio.channels.ClosedChannelException}.</li>
 *   <li>The channel's event loop terminates while the connect waits: the promise fails at termination, not when a
 *       slot would have been granted. A slot granted to a connect whose executor no longer accepts tasks is
 *       given back at once and the promise fails with the {@link java.util.concurrent.RejectedExecutionException}.
 *       So does a connect that reaches the handler, or is granted its slot, once the channel's event loop is
 *       shutting down: it is never issued, as the loop may never close a socket connected that late.</li>
 *   <li>The channel's event loop shuts down while the connect is half-open: the loop closes the channel (Netty
 *       does when a loop starts shutting down), the promise fails with the transport's failure, and the slot
 *       is freed once the socket is closed: on NIO, whose loop closes the socket with its selector, only at
 *       the loop's termination, so there the promise fails first, on the loop, while Netty can still run its
 *       listeners. If the loop terminates without closing the channel (Netty 4.2 skips the close when
 *       {@code shutdownGracefully(0, 0)} comes while the loop runs tasks), the handler closes the socket itself
 *       at termination, from the thread that reports it, then frees the slot and fails the promise. Either way
 *       the promise completes and no socket is left in SYN_SENT; but a promise completed after its loop
 *       terminated (here, and a connect still waiting for a slot then) cannot have its listeners run: Netty
 *       logs "Failed to submit a listener notification task". {@code await()}, {@code sync()} and
 *       {@code cause()} see the failure.</li>
 *   <li>The limiter's queue timeout, a full queue, or a closed limiter fail the promise with the limiter's
 *       exception ({@link io.halfopen.limiter.QueueTimeoutException} etc.), which says which limit, how many
 *       waited and how long.</li>
 * </ul>
 *
 * <h2>Connect timeouts</h2>
 * By default ({@link ConnectTimeoutScope#QUEUE_AND_HANDSHAKE}) the channel's
 * {@link io.netty.channel.ChannelOption#CONNECT_TIMEOUT_MILLIS} means what Netty users read it as: the connect
 * succeeds or fails within that time, queue wait included. A connect still waiting for a slot when it is spent
 * fails with the limiter's {@link io.halfopen.limiter.QueueTimeoutException} (whose {@code timeout()} is the
 * connect timeout) and is never issued; a connect granted after waiting gets only what is left: the handler sets
 * the channel's {@code CONNECT_TIMEOUT_MILLIS} to the remainder (at least 1 ms) for the transport to arm, and
 * back to its own value once the transport has read it, so the channel's configuration reads as the caller set
 * it. (This needs the connect to reach the transport at once; a handler between this one and the head that
 * delays it would see the whole value.) The limiter's own {@code queueTimeout} bounds the wait too, if shorter.
 * A connect timeout of 0 bounds nothing. With {@link ConnectTimeoutScope#HANDSHAKE_ONLY}, XP's behaviour, the
 * transport's timeout starts when the SYN goes, and only the limiter's {@code queueTimeout} (none in XP's
 * profiles) bounds the wait: a connect's worst case is then that queue timeout, or forever, plus the handshake's
 * deadline.
 *
 * <p>The limiter's half-open timeout (XP: 21 s) is a second bound on the handshake; whichever of it and the
 * transport's timeout fires first ends the attempt as timed out. On real time it counts from the SYN (the
 * transport's connect on the channel's event loop), so a grant that a stalled or busy loop runs late keeps its
 * whole half-open time; with a configured clock or scheduler it counts from the grant.
 *
 * <p>A client with a request timeout of its own (AsyncHttpClient's {@code requestTimeout}, Reactor Netty's
 * {@code responseTimeout}, an HTTP client's call timeout) should give each connect a
 * {@code CONNECT_TIMEOUT_MILLIS} no longer than that request timeout: the connect then ends, queued or not,
 * before the client gives up on the request, and no connect is made for a request already abandoned. With
 * {@code HANDSHAKE_ONLY}, or a connect timeout longer than the request timeout, a request can time out while its
 * connect still waits in the queue; the connect then goes on and is made later, for nobody, unless the client
 * cancels the connect's promise (the handler then leaves the queue at once).
 *
 * When the limiter runs on real time ({@link HalfOpenLimiter#usesSystemScheduler()}, the default), the handler
 * arms the half-open timer on the channel's own event loop, like Netty's own connect timeout, so that a connect
 * wakes no shared timer thread; with a configured clock or scheduler the timer follows that instead.
 *
 * <h2>Threads</h2>
 * The handler may be added with an executor group of its own ({@code pipeline.addFirst(group, "limit", handler)}):
 * its {@code connect} then runs on that group's executor, but everything else about the connect follows the
 * channel's event loop: the real connect is issued there (so the transport arms what the queue left of the
 * connect timeout), its shutdown and termination end the connect, and the half-open timer runs on it.
 *
 * <p>It must be the outbound handler nearest the head, or have only handlers on the channel's event loop
 * between itself and the head: it counts on the real connect reaching the transport inside its own
 * {@code ctx.connect}, on the channel's loop. A handler with an {@code EventExecutorGroup} of its own between
 * this one and the head defers the connect to another thread: the transport then arms the channel's whole
 * {@code CONNECT_TIMEOUT_MILLIS} (the handler has restored it by then) instead of what the queue left of it, and
 * the half-open timer starts before the SYN is sent, at the hand-off, not at the SYN. The handler logs a warning
 * naming such a handler when it finds one at its first connect (it looks once per handler instance).
 *
 * <p>Stateless apart from its configuration, so it may sit in any number of pipelines at once: everything about
 * one connect lives in one per-connect object.
 */
@Sharable
public final class HalfOpenLimitHandler extends ChannelOutboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HalfOpenLimitHandler.class);

    /** The default choice of channels to limit: every {@link SocketChannel}, on any transport. */
    public static final Predicate<Channel> TCP_CHANNELS = channel -> channel instanceof SocketChannel;

    /**
     * Limits the connects of every channel but datagram ones, for example {@code EmbeddedChannel}s in tests
     * that stand for a TCP channel.
     */
    public static final Predicate<Channel> ALL_CHANNELS = channel -> true;

    private final HalfOpenLimiter limiter;
    private final Predicate<? super Channel> limited;
    private final ConnectTimeoutScope connectTimeoutScope;
    /** Whether the placement has been looked at (at the first limited connect); a benign race: at most a few looks. */
    private volatile boolean placementChecked;
    private final LimitedConnect.BudgetCache budgets = new LimitedConnect.BudgetCache();

    /**
     * Creates a handler that limits the connects of every {@link SocketChannel}.
     *
     * @param limiter the limiter, shared by every channel of the process
     */
    public HalfOpenLimitHandler(final HalfOpenLimiter limiter) {
        this(limiter, TCP_CHANNELS);
    }

    /**
     * Creates a handler that limits the connects of the channels {@code limited} accepts. Datagram channels
     * are never limited, whatever it says.
     *
     * @param limiter the limiter, shared by every channel of the process
     * @param limited which channels' connects to limit, e.g. {@link #TCP_CHANNELS} or {@link #ALL_CHANNELS}
     */
    public HalfOpenLimitHandler(final HalfOpenLimiter limiter, final Predicate<? super Channel> limited) {
        this(limiter, limited, ConnectTimeoutScope.QUEUE_AND_HANDSHAKE);
    }

    /**
     * Creates a handler that limits the connects of the channels {@code limited} accepts, their
     * {@code CONNECT_TIMEOUT_MILLIS} bounding what {@code connectTimeoutScope} says.
     *
     * @param limiter             the limiter, shared by every channel of the process
     * @param limited             which channels' connects to limit
     * @param connectTimeoutScope whether a channel's connect timeout covers the queue
     *                            ({@link ConnectTimeoutScope#QUEUE_AND_HANDSHAKE}, the default) or only the
     *                            handshake ({@link ConnectTimeoutScope#HANDSHAKE_ONLY}, XP's behaviour)
     */
    public HalfOpenLimitHandler(final HalfOpenLimiter limiter, final Predicate<? super Channel> limited,
            final ConnectTimeoutScope connectTimeoutScope) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.limited = Objects.requireNonNull(limited, "limited");
        this.connectTimeoutScope = Objects.requireNonNull(connectTimeoutScope, "connectTimeoutScope");
    }

    /**
     * Returns what a channel's {@code CONNECT_TIMEOUT_MILLIS} bounds under this handler.
     *
     * @return the scope
     */
    public ConnectTimeoutScope connectTimeoutScope() {
        return connectTimeoutScope;
    }

    /**
     * Returns the limiter this handler asks for slots.
     *
     * @return the limiter
     */
    public HalfOpenLimiter limiter() {
        return limiter;
    }

    @Override
    public void connect(final ChannelHandlerContext ctx, final SocketAddress remoteAddress,
            final SocketAddress localAddress, final ChannelPromise promise) {
        final Channel channel = ctx.channel();
        if (!(remoteAddress instanceof InetSocketAddress remote) || channel instanceof DatagramChannel
                || !limited.test(channel)) {
            ctx.connect(remoteAddress, localAddress, promise);
            return;
        }
        if (remote.isUnresolved()) {
            promise.tryFailure(new IllegalArgumentException("HalfOpenLimitHandler got a connect to the unresolved"
                    + " address " + remote + ": the half-open limit applies to the address the SYN goes to. Let"
                    + " the Bootstrap resolve names, and put this handler nearer the head than any handler that"
                    + " rewrites the connect (such as a ProxyHandler)"));
            return;
        }
        if (promise.isDone()) {
            return; // cancelled before it got here
        }
        final IllegalArgumentException refused = RefusedOptions.refusal(channel, remote);
        if (refused != null) {
            promise.tryFailure(refused);
            channel.close(); // as a transport closes a channel whose connect failed
            return;
        }
        if (!placementChecked) {
            placementChecked = true;
            final String between = foreignExecutorNearerTheHead(ctx);
            if (between != null) {
                LOG.warn("HalfOpenLimitHandler '{}' has the outbound handler '{}', on an executor other than the"
                        + " channel's event loop, between itself and the head: connects then reach the transport"
                        + " late, with the whole connect timeout and the half-open timer already running. Put the"
                        + " limiter nearest the head (pipeline.addFirst), or that handler on the channel's loop",
                        ctx.name(), between);
            }
        }
        final int budgetMillis = connectTimeoutScope == ConnectTimeoutScope.QUEUE_AND_HANDSHAKE
                ? channel.config().getConnectTimeoutMillis() : 0;
        new LimitedConnect(ctx, remote, localAddress, promise, budgetMillis).start(limiter, budgets);
    }

    /**
     * The name of the first outbound handler between {@code ctx}'s handler and the pipeline's head that runs on an
     * executor other than the channel's event loop, or {@code null} if there is none.
     */
    static String foreignExecutorNearerTheHead(final ChannelHandlerContext ctx) {
        final ChannelPipeline pipeline = ctx.pipeline();
        final EventLoop loop = ctx.channel().eventLoop();
        for (final String name : pipeline.names()) { // from the head; neither the head nor the tail
            if (name.equals(ctx.name())) {
                return null;
            }
            final ChannelHandlerContext other = pipeline.context(name);
            if (other != null && other.handler() instanceof ChannelOutboundHandler && other.executor() != loop) {
                return name;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "HalfOpenLimitHandler[" + limiter + "]";
    }
}
