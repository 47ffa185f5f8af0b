package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.limiter.LimiterClosedException;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.limiter.QueueFullException;
import io.halfopen.limiter.QueueTimeoutException;
import io.halfopen.time.VirtualClock;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The handler's contract, on {@link EmbeddedChannel}s (opted in with {@link HalfOpenLimitHandler#ALL_CHANNELS})
 * and a limiter in virtual time. A {@link ConnectCapture} nearer the head stands for the transport, so each
 * real connect stays pending until the test completes it.
 */
class HalfOpenLimitHandlerTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 4226);
    private static final Duration HALF_OPEN_TIMEOUT = Duration.ofSeconds(21);

    private final VirtualClock clock = new VirtualClock();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private HalfOpenLimiter limiter;
    private HalfOpenLimitHandler handler;

    private void limit(final int maxHalfOpen) {
        limiter = HalfOpenLimiter.builder().maxHalfOpen(maxHalfOpen).halfOpenTimeout(HALF_OPEN_TIMEOUT).clock(clock)
                .build();
        handler = new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS);
    }

    private final class Client {
        final ConnectCapture transport = new ConnectCapture();
        final EmbeddedChannel channel;

        Client() {
            channel = new EmbeddedChannel(transport, handler);
            channels.add(channel);
        }

        ChannelFuture connect() {
            return channel.connect(PEER);
        }

        ChannelPromise real() {
            assertEquals(1, transport.connects.size(), "real connects issued");
            return transport.last();
        }

        boolean connectIssued() {
            return !transport.connects.isEmpty();
        }
    }

    @AfterEach
    void closeChannels() {
        channels.forEach(channel -> channel.finishAndReleaseAll());
    }

    /** A channel whose event loop is {@code loop}, with {@code transport} nearer the head than the limit handler. */
    private EmbeddedChannel channelOn(final ControllableExecutor loop, final ConnectCapture transport) {
        final EmbeddedChannel channel = new LoopControlledChannel(loop, transport);
        channels.add(channel);
        channel.pipeline().addLast("limit", handler);
        return channel;
    }

    private LimiterStats stats() {
        return limiter.stats();
    }

    @Nested
    @DisplayName("outcomes")
    class Outcomes {

        @Test
        void aFreeSlotIssuesTheConnectAtOnceAndSuccessReportsEstablished() {
            limit(2);
            final Client client = new Client();
            final ChannelFuture connect = client.connect();

            assertTrue(client.connectIssued(), "issued inside connect(), no hop");
            assertEquals(PEER, client.transport.remotes.get(0));
            assertEquals(1, stats().halfOpen());
            assertFalse(connect.isDone());

            client.real().setSuccess();
            assertTrue(connect.isSuccess());
            assertEquals(0, stats().halfOpen());
            assertEquals(1, stats().established());
        }

        @Test
        void refusedReportsRefusedAndFreesTheSlotOnlyOnceTheChannelIsClosed() {
            limit(1);
            final Client client = new Client();
            client.transport.holdCloses();
            final ChannelFuture connect = client.connect();
            final ConnectException refused = new ConnectException("Connection refused: " + PEER);

            client.real().setFailure(refused);
            assertEquals(1, client.transport.heldCloseCount(), "the handler closed the channel");
            assertEquals(1, stats().halfOpen(), "the socket may still be in SYN_SENT: slot held");
            assertFalse(connect.isDone(), "the caller hears after the limiter counted it");

            client.transport.completeCloses();
            assertEquals(0, stats().halfOpen());
            assertEquals(1, stats().refused());
            assertSame(refused, connect.cause());
        }

        @Test
        void nettysConnectTimeoutReportsAborted() {
            limit(1);
            final Client client = new Client();
            final ChannelFuture connect = client.connect();
            final ConnectTimeoutException timeout = new ConnectTimeoutException("connection timed out after 30000 ms");

            client.real().setFailure(timeout);
            assertSame(timeout, connect.cause());
            assertFalse(client.channel.isOpen());
            assertEquals(1, stats().timedOut());
            assertEquals(0, stats().halfOpen());
        }

        @Test
        void anyOtherFailureReportsFailed() {
            limit(1);
            final Client client = new Client();
            final ChannelFuture connect = client.connect();
            final NoRouteToHostException unreachable = new NoRouteToHostException("No route to host");

            client.real().setFailure(unreachable);
            assertSame(unreachable, connect.cause());
            assertEquals(1, stats().failed());
            assertEquals(0, stats().halfOpen());
        }

        @Test
        void aConnectExceptionIsRefusedWhateverTheLanguageOfItsMessage() {
            limit(1);
            final Client client = new Client();
            final ChannelFuture connect = client.connect();

            // glibc's German strerror(ECONNREFUSED), as the JDK and Netty's native transports report it there
            client.real().setFailure(new ConnectException("finishConnect(..) failed: Verbindungsaufbau abgelehnt"));
            assertFalse(connect.isSuccess());
            assertEquals(1, stats().refused(), stats()::toString);
            assertEquals(0, stats().failed(), stats()::toString);
        }
    }

    @Nested
    @DisplayName("queueing and thread hops")
    class Queueing {

        @Test
        void connectsPastTheLimitWaitAndGoInFifoOrderOnTheirOwnLoop() {
            limit(1);
            final Client first = new Client();
            final Client second = new Client();
            final Client third = new Client();
            final ChannelFuture firstConnect = first.connect();
            final ChannelFuture secondConnect = second.connect();
            final ChannelFuture thirdConnect = third.connect();

            assertTrue(first.connectIssued());
            assertFalse(second.connectIssued());
            assertFalse(third.connectIssued());
            assertEquals(2, stats().queued());
            assertEquals(1, stats().limitReachedEvents(), "event 4226");

            first.real().setSuccess();
            assertTrue(firstConnect.isSuccess());
            assertFalse(second.connectIssued(), "the grant hops to the second channel's executor");
            second.channel.runPendingTasks();
            assertTrue(second.connectIssued());
            assertFalse(third.connectIssued());

            second.real().setSuccess();
            third.channel.runPendingTasks();
            third.real().setSuccess();
            assertTrue(secondConnect.isSuccess());
            assertTrue(thirdConnect.isSuccess());
            assertEquals(3, stats().established());
            assertEquals(0, stats().halfOpen());
            assertEquals(0, stats().queued());
        }

        @Test
        void aSlotFreedOnAnotherThreadIsGrantedThroughTheWaitingChannelsExecutor() throws Exception {
            limit(1);
            final Client first = new Client();
            final Client second = new Client();
            first.connect();
            final ChannelFuture secondConnect = second.connect();
            final ChannelPromise firstReal = first.real();

            final Thread releaser = new Thread(firstReal::setSuccess, "releaser");
            releaser.start();
            releaser.join(10_000);
            assertFalse(releaser.isAlive());

            assertFalse(second.connectIssued(), "not issued on the releasing thread");
            assertEquals(1, stats().halfOpen(), "the slot is the second's already");
            second.channel.runPendingTasks();
            second.real().setSuccess();
            assertTrue(secondConnect.isSuccess());
        }

        @Test
        void aRefusalStormDrainsTheQueueWithoutRecursion() {
            limit(1);
            final List<Client> clients = new ArrayList<>();
            final List<ChannelFuture> connects = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                final Client client = new Client();
                clients.add(client);
                connects.add(client.connect());
            }
            for (final Client client : clients) {
                client.channel.runPendingTasks();
                client.real().setFailure(new ConnectException("Connection refused"));
            }
            assertTrue(connects.stream().allMatch(f -> f.cause() instanceof ConnectException));
            assertEquals(200, stats().refused());
            assertEquals(0, stats().halfOpen());
            assertEquals(0, stats().queued());
        }
    }

    @Nested
    @DisplayName("cancellation and closing")
    class Cancellation {

        @Test
        void cancellingWhileQueuedLeavesTheQueueAndNeverConnects() {
            limit(1);
            final Client first = new Client();
            final Client second = new Client();
            first.connect();
            final ChannelFuture secondConnect = second.connect();

            assertTrue(secondConnect.cancel(false));
            assertEquals(0, stats().queued());
            assertEquals(1, stats().cancelled());

            first.real().setSuccess();
            second.channel.runPendingTasks();
            assertFalse(second.connectIssued(), "a cancelled connect is never issued");
            assertEquals(0, stats().halfOpen());
        }

        @Test
        void cancellingWhileHalfOpenClosesTheChannelAndFreesTheSlotOnceClosed() {
            limit(1);
            final Client client = new Client();
            client.transport.holdCloses();
            final ChannelFuture connect = client.connect();
            final ChannelPromise real = client.real();

            assertTrue(connect.cancel(false));
            assertTrue(real.isDone(), "the real connect was aborted by the close");
            assertEquals(1, client.transport.heldCloseCount());
            assertEquals(1, stats().halfOpen(), "held until the socket is closed");

            client.transport.completeCloses();
            assertFalse(client.channel.isOpen());
            assertEquals(0, stats().halfOpen());
            assertEquals(1, stats().cancelled());
        }

        @Test
        void cancellingWhileTheGrantHopIsPendingGivesTheSlotBackAndNeverConnects() {
            limit(1);
            final Client first = new Client();
            final Client second = new Client();
            first.connect();
            final ChannelFuture secondConnect = second.connect();
            first.real().setSuccess(); // grants the second; its hop is queued on its executor

            assertEquals(1, stats().halfOpen());
            assertTrue(secondConnect.cancel(false));
            assertEquals(0, stats().halfOpen());
            second.channel.runPendingTasks();
            assertFalse(second.connectIssued());
        }

        @Test
        void closingTheChannelWhileQueuedFailsTheConnectWithClosedChannelException() {
            limit(1);
            final Client first = new Client();
            final Client second = new Client();
            first.connect();
            final ChannelFuture secondConnect = second.connect();

            second.channel.close();
            assertInstanceOf(ClosedChannelException.class, secondConnect.cause());
            assertEquals(0, stats().queued());
            assertEquals(1, stats().cancelled());
        }

        @Test
        void aPromiseCancelledBeforeTheConnectNeverAsksForASlot() {
            limit(1);
            final Client client = new Client();
            final ChannelPromise promise = client.channel.newPromise();
            promise.cancel(false);
            client.channel.connect(PEER, promise);
            assertEquals(0, stats().granted());
            assertFalse(client.connectIssued());
        }
    }

    @Nested
    @DisplayName("timeouts and the limiter's own failures")
    class Timeouts {

        @Test
        void theQueueTimeoutFailsTheConnectWithTheLimitersException() {
            limiter = HalfOpenLimiter.builder().maxHalfOpen(1).queueTimeout(Duration.ofSeconds(5)).clock(clock)
                    .build();
            handler = new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS);
            final Client first = new Client();
            final Client second = new Client();
            first.connect();
            final ChannelFuture secondConnect = second.connect();

            clock.advance(Duration.ofSeconds(5));
            final QueueTimeoutException timeout = assertInstanceOf(QueueTimeoutException.class,
                    secondConnect.cause());
            assertEquals(1, timeout.maxHalfOpen());
            assertEquals(Duration.ofSeconds(5), timeout.waited());
            assertTrue(timeout.getMessage().contains("queue timeout"), timeout.getMessage());
            assertFalse(second.connectIssued());
            assertEquals(0, stats().queued());
        }

        @Test
        void aFullQueueFailsTheConnectAtOnce() {
            limiter = HalfOpenLimiter.builder().maxHalfOpen(1).maxQueued(0).clock(clock).build();
            handler = new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS);
            new Client().connect();
            final ChannelFuture rejected = new Client().connect();
            assertInstanceOf(QueueFullException.class, rejected.cause());
        }

        @Test
        void closingTheLimiterFailsWaitingConnects() {
            limit(1);
            new Client().connect();
            final ChannelFuture waiting = new Client().connect();
            limiter.close();
            assertInstanceOf(LimiterClosedException.class, waiting.cause());
        }

        @Test
        void theHalfOpenTimeoutClosesTheChannelFailsWithConnectTimeoutAndFreesTheSlotOnceClosed() {
            limit(1);
            final Client client = new Client();
            client.transport.holdCloses();
            final ChannelFuture connect = client.connect();
            final ChannelPromise real = client.real();

            clock.advance(HALF_OPEN_TIMEOUT.minusMillis(1));
            assertFalse(connect.isDone());
            clock.advance(Duration.ofMillis(1));
            assertTrue(real.isDone(), "the close aborted the real connect");
            assertEquals(1, client.transport.heldCloseCount());
            assertEquals(1, stats().halfOpen(), "held until the socket is closed");
            assertFalse(connect.isDone());

            client.transport.completeCloses();
            assertEquals(0, stats().halfOpen());
            assertEquals(1, stats().timedOut());
            final ConnectTimeoutException timeout = assertInstanceOf(ConnectTimeoutException.class, connect.cause());
            assertTrue(timeout.getMessage().contains("half-open timeout of 21000 ms"), timeout.getMessage());
            assertInstanceOf(HalfOpenTimeoutException.class, timeout.getCause());
        }

        @Test
        void theHalfOpenTimeoutBeforeTheGrantHopRanEndsTheAttemptWithoutConnecting() {
            limit(1);
            final Client first = new Client();
            final Client second = new Client();
            first.connect();
            final ChannelFuture secondConnect = second.connect();
            first.real().setSuccess(); // grants the second; its hop waits on its executor

            clock.advance(HALF_OPEN_TIMEOUT);
            assertInstanceOf(ConnectTimeoutException.class, secondConnect.cause());
            second.channel.runPendingTasks();
            assertFalse(second.connectIssued());
            assertEquals(0, stats().halfOpen());
            assertEquals(1, stats().timedOut());
        }
    }

    @Nested
    @DisplayName("executors")
    class Executors {

        @Test
        void aGrantForAnExecutorThatRejectsTasksGivesTheSlotBackAndFailsTheConnect() {
            limit(1);
            final Client first = new Client();
            first.connect();
            final ControllableExecutor executor = new ControllableExecutor();
            final ConnectCapture transport = new ConnectCapture();
            final EmbeddedChannel channel = channelOn(executor, transport);
            final ChannelFuture connect = channel.connect(PEER);
            executor.runPending();
            assertEquals(1, stats().queued());

            executor.stopAccepting();
            first.real().setSuccess();
            assertInstanceOf(RejectedExecutionException.class, connect.cause());
            assertTrue(transport.connects.isEmpty());
            assertEquals(0, stats().halfOpen());
            assertEquals(1, stats().cancelled());
        }

        @Test
        void aGrantThatReachesItsExecutorWhileItShutsDownIssuesNoConnectAndGivesTheSlotBack() {
            limit(1);
            final Client first = new Client();
            first.connect();
            final ControllableExecutor executor = new ControllableExecutor();
            final ConnectCapture transport = new ConnectCapture();
            final EmbeddedChannel channel = channelOn(executor, transport);
            final ChannelFuture connect = channel.connect(PEER);
            executor.runPending();
            assertEquals(1, stats().queued());

            executor.beginShutdown(); // still takes tasks, but may never close a channel that connects now
            first.real().setSuccess(); // grants the slot; the hop is accepted
            assertFalse(connect.isDone());
            executor.runPending();
            final RejectedExecutionException cause = assertInstanceOf(RejectedExecutionException.class,
                    connect.cause());
            assertTrue(cause.getMessage().contains("shutting down"), cause.getMessage());
            assertTrue(transport.connects.isEmpty(), "no connect issued");
            assertEquals(0, stats().halfOpen());
            assertEquals(1, stats().cancelled());
        }

        @Test
        void aConnectThatReachesAnExecutorShuttingDownFailsWithoutAskingForASlot() {
            limit(1);
            final ControllableExecutor executor = new ControllableExecutor();
            final ConnectCapture transport = new ConnectCapture();
            final EmbeddedChannel channel = channelOn(executor, transport);
            executor.beginShutdown();
            final ChannelFuture connect = channel.connect(PEER);
            executor.runPending();
            assertInstanceOf(RejectedExecutionException.class, connect.cause());
            assertTrue(transport.connects.isEmpty());
            assertEquals(0, stats().granted());
            assertEquals(0, stats().queued());
        }

        @Test
        void anExecutorThatTerminatesWithAHalfOpenChannelStillOpenGetsItClosedThenTheSlotFreedAndTheConnectFailed() {
            final List<Boolean> openWhenFreed = new java.util.concurrent.CopyOnWriteArrayList<>();
            final java.util.concurrent.atomic.AtomicReference<EmbeddedChannel> watched =
                    new java.util.concurrent.atomic.AtomicReference<>();
            limiter = HalfOpenLimiter.builder().maxHalfOpen(1).halfOpenTimeout(HALF_OPEN_TIMEOUT).clock(clock)
                    .listener(new io.halfopen.limiter.LimiterListener() {
                        @Override
                        public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait,
                                final Duration halfOpen) {
                            openWhenFreed.add(watched.get().isOpen());
                        }
                    }).build();
            handler = new HalfOpenLimitHandler(limiter, HalfOpenLimitHandler.ALL_CHANNELS);
            final ControllableExecutor executor = new ControllableExecutor();
            final ConnectCapture transport = new ConnectCapture();
            final EmbeddedChannel channel = channelOn(executor, transport);
            watched.set(channel);
            final ChannelFuture connect = channel.connect(PEER);
            executor.runPending();
            assertEquals(1, transport.connects.size());
            assertEquals(1, stats().halfOpen());

            executor.terminate(); // the loop ends without closing the channel: the real connect never completes
            // termination listeners run on GlobalEventExecutor's thread (and an embedded promise may not be awaited)
            Await.until("the connect completes", connect::isDone);
            final RejectedExecutionException cause = assertInstanceOf(RejectedExecutionException.class,
                    connect.cause());
            assertTrue(cause.getMessage().contains("terminated while its connect"), cause.getMessage());
            assertFalse(transport.last().isDone(), "the transport never completed the real connect");
            assertFalse(channel.isOpen(), "the handler closed the channel");
            assertEquals(List.of(false), openWhenFreed, "the slot was freed before the channel was closed");
            assertEquals(0, stats().halfOpen());
            assertEquals(1, stats().failed());
        }
    }

    @Nested
    @DisplayName("what passes straight through")
    class PassThrough {

        @Test
        void byDefaultOnlySocketChannelsAreLimited() {
            limit(1);
            handler = new HalfOpenLimitHandler(limiter);
            final Client client = new Client();
            final ChannelFuture connect = client.connect();
            assertSame(connect, client.real(), "the caller's own promise went down untouched");
            assertEquals(0, stats().granted());
        }

        @Test
        void nonInetAddressesPassThrough() {
            limit(1);
            final Client client = new Client();
            final ChannelFuture connect = client.channel.connect(new LocalAddress("peer"));
            assertSame(connect, client.real());
            assertEquals(0, stats().granted());
        }

        @Test
        void anUnresolvedAddressFailsClearly() {
            limit(1);
            final Client client = new Client();
            final ChannelFuture connect = client.channel.connect(InetSocketAddress.createUnresolved("example.org", 80));
            final IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, connect.cause());
            assertTrue(cause.getMessage().contains("unresolved"), cause.getMessage());
            assertFalse(client.connectIssued());
            assertEquals(0, stats().granted());
        }

        @Test
        void otherOutboundOperationsAreUntouched() {
            limit(1);
            final Client client = new Client();
            new Client().connect(); // the only slot is taken
            assertTrue(client.channel.writeOutbound("hello"));
            assertEquals("hello", client.channel.readOutbound());
        }
    }

    /** Holds a slot outside any channel. */
    static ConnectAttempt takeSlot(final HalfOpenLimiter limiter, final InetSocketAddress remote) {
        return limiter.newAttempt(remote, new AttemptListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
            }

            @Override
            public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
            }

            @Override
            public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
                attempt.aborted();
            }
        });
    }
}
