package io.halfopen.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.limiter.LimiterClosedException;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.limiter.QueueFullException;
import io.halfopen.limiter.QueueTimeoutException;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.time.VirtualClock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a socket of {@link HalfOpenSocketFactory} does, outcome by outcome, against loopback peers. */
class HalfOpenSocketFactoryTest {

    private final LoopbackPeers peers = new LoopbackPeers();

    @AfterEach
    void closePeers() {
        peers.close();
    }

    private static HalfOpenLimiter limiter(final int maxHalfOpen, final Duration halfOpenTimeout) {
        return HalfOpenLimiter.builder().name("test").maxHalfOpen(maxHalfOpen).halfOpenTimeout(halfOpenTimeout)
                .build();
    }

    /** Takes the limiter's only slot with a connect the test owns; cancel() gives it back. */
    private static ConnectAttempt holdTheSlot(final HalfOpenLimiter limiter, final InetSocketAddress remote)
            throws Exception {
        return limiter.acquire(remote, Duration.ofSeconds(5));
    }

    private static CompletableFuture<Socket> connectInBackground(final Socket socket, final SocketAddress remote,
            final int timeout) {
        final CompletableFuture<Socket> done = new CompletableFuture<>();
        final Thread connector = new Thread(() -> {
            try {
                socket.connect(remote, timeout);
                done.complete(socket);
            } catch (final Throwable t) {
                done.completeExceptionally(t);
            }
        }, "connector");
        connector.setDaemon(true);
        connector.start();
        return done;
    }

    /** Starts a connect in the background and returns once it waits in the limiter's queue. */
    private static CompletableFuture<Socket> queuedConnect(final HalfOpenLimiter limiter, final Socket socket,
            final SocketAddress remote, final int timeout) {
        final CompletableFuture<Socket> connecting = connectInBackground(socket, remote, timeout);
        Await.until(() -> limiter.stats().queued() == 1, () -> "the connect never queued: " + limiter);
        return connecting;
    }

    private static Throwable failureOf(final CompletableFuture<?> future, final long seconds) throws Exception {
        final ExecutionException e = assertThrows(ExecutionException.class,
                () -> future.get(seconds, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static void assertDrained(final HalfOpenLimiter limiter) {
        final LimiterStats stats = limiter.stats();
        assertEquals(0, stats.halfOpen(), () -> "no slot may stay held: " + stats);
        assertEquals(0, stats.queued(), () -> "nobody may stay queued: " + stats);
    }

    @Test
    void aConnectToAnAcceptingPeerIsReportedEstablished() throws Exception {
        final HalfOpenLimiter limiter = limiter(10, Duration.ofSeconds(5));
        try (Socket socket = new HalfOpenSocketFactory(limiter).createSocket()) {
            socket.connect(peers.accepting(), 3000);
            assertTrue(socket.isConnected());
        }
        assertEquals(1, limiter.stats().established());
        assertDrained(limiter);
    }

    @Test
    void aRefusedConnectFailsWithConnectExceptionAndIsReportedRefused() throws Exception {
        final HalfOpenLimiter limiter = limiter(10, Duration.ofSeconds(5));
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        assertThrows(ConnectException.class, () -> socket.connect(peers.refusing(), 3000));
        assertTrue(socket.isClosed(), "a failed connect closes its socket, as the JDK's do");
        assertEquals(1, limiter.stats().refused());
        assertDrained(limiter);
    }

    @Test
    void aConnectWaitsForASlotAndGoesWhenOneFrees() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(5));
        final InetSocketAddress accepting = peers.accepting();
        final ConnectAttempt held = holdTheSlot(limiter, accepting);
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        final CompletableFuture<Socket> connected = queuedConnect(limiter, socket, accepting, 0);
        assertTrue(!connected.isDone() && !socket.isConnected(), "no connect while the only slot is taken");
        held.cancel();
        assertTrue(connected.get(5, TimeUnit.SECONDS).isConnected());
        socket.close();
        assertEquals(1, limiter.stats().established());
        assertDrained(limiter);
    }

    @Test
    void theQueueWaitIsChargedToTheConnectTimeout() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(30));
        final InetSocketAddress accepting = peers.accepting();
        final ConnectAttempt held = holdTheSlot(limiter, accepting);
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        final long start = System.nanoTime();
        final SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> socket.connect(accepting, 500));
        final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis >= 450 && tookMillis < 3000, "connect(addr, 500) took " + tookMillis + " ms");
        assertTrue(e.getMessage().contains("queue"), e.getMessage());
        assertTrue(socket.isClosed());
        assertEquals(0, limiter.stats().queued());
        assertEquals(1, limiter.stats().halfOpen(), "only the test's own slot is held");
        held.cancel();
        assertDrained(limiter);
    }

    @Test
    void whatRemainsOfTheTimeoutAfterTheQueueBoundsTheRealConnect() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(30));
        final InetSocketAddress dropping = peers.dropping();
        final ConnectAttempt held = holdTheSlot(limiter, dropping);
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        final long start = System.nanoTime();
        final CompletableFuture<Socket> connecting = queuedConnect(limiter, socket, dropping, 1000);
        Await.elapse(Duration.ofMillis(400)); // the queue eats 400 ms of the budget (a wait of time, not for an event)
        held.cancel();
        assertInstanceOf(SocketTimeoutException.class, failureOf(connecting, 10));
        final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis >= 950 && tookMillis < 3000, "queue + connect took " + tookMillis
                + " ms for a 1000 ms timeout");
        assertEquals(1, limiter.stats().timedOut(), "the caller's timeout aborted the half-open connect");
        assertDrained(limiter);
    }

    @Test
    void theHalfOpenTimeoutClosesTheSocketThenReportsAborted() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofMillis(400));
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        final long start = System.nanoTime();
        final SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> socket.connect(peers.dropping(), 0));
        final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(HalfOpenTimeoutException.class, e.getCause());
        assertTrue(tookMillis >= 350 && tookMillis < 3000, "took " + tookMillis + " ms");
        assertTrue(socket.isClosed());
        assertEquals(1, limiter.stats().timedOut());
        assertDrained(limiter);
    }

    @Test
    void theLimitersHalfOpenTimerClosesTheSocketUnderTheConnect() throws Exception {
        final VirtualClock clock = new VirtualClock();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).clock(clock).build();
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        final CompletableFuture<Socket> connecting = connectInBackground(socket, peers.dropping(), 0);
        Await.until(() -> limiter.stats().halfOpen() == 1 && clock.pendingTasks() > 0,
                () -> "the connect never took its slot: " + limiter);
        clock.advance(HalfOpenLimiter.XP_HALF_OPEN_TIMEOUT); // the abort callback runs here, on this thread
        final Throwable e = failureOf(connecting, 10);
        assertInstanceOf(SocketTimeoutException.class, e);
        assertInstanceOf(HalfOpenTimeoutException.class, e.getCause());
        assertTrue(socket.isClosed());
        assertEquals(1, limiter.stats().timedOut());
        assertDrained(limiter);
    }

    @Test
    void aTimeoutOfZeroWaitsAsLongAsItTakes() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(30));
        final InetSocketAddress accepting = peers.accepting();
        final ConnectAttempt held = holdTheSlot(limiter, accepting);
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        final CompletableFuture<Socket> connected = queuedConnect(limiter, socket, accepting, 0);
        Await.elapse(Duration.ofMillis(700));
        assertTrue(!connected.isDone(), "no timeout: still waiting after 700 ms");
        held.cancel();
        assertTrue(connected.get(5, TimeUnit.SECONDS).isConnected());
        socket.close();
        assertDrained(limiter);
    }

    @Test
    void theLimitersQueueTimeoutFailsTheConnectWithItsOwnException() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).queueTimeout(Duration.ofMillis(200))
                .build();
        final InetSocketAddress accepting = peers.accepting();
        final ConnectAttempt held = holdTheSlot(limiter, accepting);
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        assertThrows(QueueTimeoutException.class, () -> socket.connect(accepting, 0));
        assertTrue(socket.isClosed());
        held.cancel();
        assertDrained(limiter);
    }

    @Test
    void aFullQueueFailsTheConnectWithQueueFullException() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).maxQueued(0).build();
        final InetSocketAddress accepting = peers.accepting();
        final ConnectAttempt held = holdTheSlot(limiter, accepting);
        assertThrows(QueueFullException.class,
                () -> new HalfOpenSocketFactory(limiter).createSocket().connect(accepting, 1000));
        held.cancel();
        assertDrained(limiter);
    }

    @Test
    void aClosedLimiterFailsTheConnectWithLimiterClosedException() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(5));
        limiter.close();
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        assertThrows(LimiterClosedException.class, () -> socket.connect(peers.accepting(), 1000));
        assertTrue(socket.isClosed());
        assertDrained(limiter);
    }

    @Test
    void closingTheLimiterFailsAConnectWaitingInItsQueue() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(30));
        final InetSocketAddress accepting = peers.accepting();
        final ConnectAttempt held = holdTheSlot(limiter, accepting);
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        final CompletableFuture<Socket> connecting = queuedConnect(limiter, socket, accepting, 0);
        limiter.close();
        assertInstanceOf(LimiterClosedException.class, failureOf(connecting, 5));
        held.cancel();
        assertDrained(limiter);
    }

    @Test
    void anUnresolvedAddressFailsWithUnknownHostExceptionAndAsksForNoSlot() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(5));
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        final UnknownHostException e = assertThrows(UnknownHostException.class,
                () -> socket.connect(InetSocketAddress.createUnresolved("mx.example.invalid", 25), 1000));
        assertTrue(e.getMessage().contains("mx.example.invalid"), e.getMessage());
        assertEquals(0, limiter.stats().granted() + limiter.stats().throttled());
    }

    @Test
    void badArgumentsFailAsTheJdksSocketsDoAndAskForNoSlot() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(5));
        final InetSocketAddress accepting = peers.accepting();
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        assertThrows(IllegalArgumentException.class, () -> socket.connect(null, 1000));
        assertThrows(IllegalArgumentException.class, () -> socket.connect(null));
        final IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> socket.connect(accepting, -1));
        assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> socket.connect(new SocketAddress() {
            private static final long serialVersionUID = 1L;
        }, 1000));
        assertThrows(NullPointerException.class, () -> new HalfOpenSocketFactory(null));
        assertEquals(0, limiter.stats().granted() + limiter.stats().throttled());
        socket.connect(accepting, 1000); // the socket is still usable after the refusals
        socket.close();
        assertDrained(limiter);
    }

    @Test
    void aSocketConnectedTwiceFailsTheSecondTimeWithoutASecondAttempt() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(5));
        final InetSocketAddress accepting = peers.accepting();
        try (Socket socket = new HalfOpenSocketFactory(limiter).createSocket()) {
            socket.connect(accepting, 1000);
            assertThrows(SocketException.class, () -> socket.connect(accepting, 1000));
            assertTrue(socket.isConnected(), "the first connection is untouched");
        }
        assertEquals(1, limiter.stats().granted());
        assertDrained(limiter);
    }

    @Test
    void aClosedSocketFailsItsConnectWithoutAnAttempt() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(5));
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        socket.close();
        assertThrows(SocketException.class, () -> socket.connect(peers.accepting(), 1000));
        assertEquals(0, limiter.stats().granted() + limiter.stats().throttled());
    }

    @Test
    void aSocketClosedByAnotherThreadWhileItWaitsForASlotStopsWaitingAtOnceAndHoldsNothing() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(30));
        final InetSocketAddress accepting = peers.accepting();
        final ConnectAttempt held = holdTheSlot(limiter, accepting);
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        final CompletableFuture<Socket> connecting = queuedConnect(limiter, socket, accepting, 0);
        final long start = System.nanoTime();
        socket.close();
        assertEquals(0, limiter.stats().queued(), "close() returned: the attempt must have left the queue");
        final Throwable e = failureOf(connecting, 5);
        final long endedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(SocketException.class, e);
        assertTrue(endedMillis < 1000, "the wait ended " + endedMillis + " ms after the close");
        assertEquals(1, limiter.stats().cancelled());
        held.cancel();
        assertDrained(limiter);
        assertEquals(0, limiter.stats().granted() - 1, "the closed socket never got a slot");
    }

    @Test
    void aCloseRacingAConnectIntoTheQueueNeverLeavesTheAttemptQueuedOnceItReturns() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).halfOpenTimeout(Duration.ofSeconds(30))
                .limitEvents(io.halfopen.limiter.LimitEventMode.NEVER).build(); // 1000 episodes: no 4226 lines
        final InetSocketAddress accepting = peers.accepting();
        final ConnectAttempt held = holdTheSlot(limiter, accepting);
        final java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 1000; round++) {
            final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
            final CompletableFuture<Socket> connecting = connectInBackground(socket, accepting, 0);
            final long spinUntil = System.nanoTime() + random.nextInt(200_000); // 0-200 µs into the connect
            while (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            }
            socket.close();
            final int queued = limiter.stats().queued();
            final int r = round;
            assertEquals(0, queued, () -> "round " + r + ": close() returned with the attempt still queued");
            assertInstanceOf(SocketException.class, failureOf(connecting, 5));
        }
        assertEquals(1, limiter.stats().halfOpen(), "only the test's own slot");
        held.cancel();
        assertDrained(limiter);
    }

    @Test
    void aHalfOpenTimeoutRacingTheGrantEndsEachAttemptOnceWhicheverWins() throws Exception {
        final VirtualClock clock = new VirtualClock();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).clock(clock)
                .limitEvents(io.halfopen.limiter.LimitEventMode.NEVER).build();
        final InetSocketAddress accepting = peers.accepting();
        final int rounds = 200;
        int aborted = 0;
        for (int round = 0; round < rounds; round++) {
            final ConnectAttempt held = holdTheSlot(limiter, accepting);
            final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
            final CompletableFuture<Socket> connecting = queuedConnect(limiter, socket, accepting, 0);
            held.cancel();                                   // grants the waiting connect on this thread...
            clock.advance(HalfOpenLimiter.XP_HALF_OPEN_TIMEOUT); // ...and times it out at once, before or after it ran
            try {
                assertTrue(connecting.get(5, TimeUnit.SECONDS).isConnected());
            } catch (final ExecutionException e) {
                assertInstanceOf(SocketTimeoutException.class, e.getCause());
                assertInstanceOf(HalfOpenTimeoutException.class, e.getCause().getCause());
                assertTrue(socket.isClosed(), "an aborted connect's socket is closed");
                aborted++;
            }
            socket.close();
            final int r = round;
            Await.until(() -> limiter.stats().halfOpen() == 0, () -> "round " + r + ": slot held: " + limiter);
        }
        final LimiterStats stats = limiter.stats();
        System.out.println("grant/abort race: " + aborted + " of " + rounds + " aborted; " + stats);
        assertEquals(rounds, stats.established() + stats.timedOut(), stats::toString);
        assertEquals(aborted, stats.timedOut(), "every aborted connect was reported once, as timed out");
        assertEquals(2L * rounds, stats.granted(), "the test's own slot and the connect's, each round");
        assertDrained(limiter);
    }

    @Test
    void aSocketClosedByAnotherThreadWhileItConnectsIsReportedCancelled() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(30));
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        final CompletableFuture<Socket> connecting = connectInBackground(socket, peers.dropping(), 0);
        Await.until(() -> limiter.stats().halfOpen() == 1, () -> "never granted: " + limiter);
        Await.elapse(Duration.ofMillis(100)); // let the SYN go
        socket.close();
        assertInstanceOf(SocketException.class, failureOf(connecting, 5));
        Await.until(() -> limiter.stats().halfOpen() == 0, () -> "the slot was not freed: " + limiter);
        assertEquals(1, limiter.stats().cancelled(), () -> "closed by its owner: cancelled, " + limiter.stats());
        assertDrained(limiter);
    }

    @Test
    void anInterruptEndsTheWaitClosesTheSocketAndKeepsTheInterruptStatus() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(30));
        final InetSocketAddress accepting = peers.accepting();
        final ConnectAttempt held = holdTheSlot(limiter, accepting);
        final Socket socket = new HalfOpenSocketFactory(limiter).createSocket();
        final CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        final Thread connector = new Thread(() -> {
            try {
                socket.connect(accepting, 0);
                stillInterrupted.completeExceptionally(new AssertionError("connected"));
            } catch (final SocketException e) {
                stillInterrupted.complete(Thread.currentThread().isInterrupted()
                        && e.getMessage().contains("interrupt"));
            } catch (final Throwable t) {
                stillInterrupted.completeExceptionally(t);
            }
        });
        connector.start();
        Await.until(() -> limiter.stats().queued() == 1, () -> "never queued: " + limiter);
        connector.interrupt();
        assertTrue(stillInterrupted.get(5, TimeUnit.SECONDS));
        assertTrue(socket.isClosed());
        held.cancel();
        assertDrained(limiter);
    }

    @Test
    void theConnectingCreateSocketFormsGoThroughTheLimiter() throws Exception {
        final HalfOpenLimiter limiter = limiter(2, Duration.ofSeconds(5));
        final HalfOpenSocketFactory factory = new HalfOpenSocketFactory(limiter);
        final InetSocketAddress accepting = peers.accepting();
        final InetAddress loopback = accepting.getAddress();
        try (Socket a = factory.createSocket(loopback, accepting.getPort());
                Socket b = factory.createSocket("127.0.0.1", accepting.getPort());
                Socket c = factory.createSocket(loopback, accepting.getPort(), loopback, 0);
                Socket d = factory.createSocket("127.0.0.1", accepting.getPort(), loopback, 0)) {
            for (final Socket s : new Socket[] {a, b, c, d}) {
                assertTrue(s.isConnected());
            }
            assertEquals(loopback, c.getLocalAddress());
        }
        assertEquals(4, limiter.stats().established());
        assertThrows(ConnectException.class, () -> factory.createSocket(loopback, peers.refusing().getPort()));
        assertEquals(1, limiter.stats().refused());
        assertDrained(limiter);
    }

    @Test
    void aConnectingCreateSocketFormWaitsForASlotToo() throws Exception {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(30));
        final InetSocketAddress accepting = peers.accepting();
        final ConnectAttempt held = holdTheSlot(limiter, accepting);
        final CompletableFuture<Socket> connected = CompletableFuture.supplyAsync(() -> {
            try {
                return new HalfOpenSocketFactory(limiter).createSocket(accepting.getAddress(), accepting.getPort());
            } catch (final IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until(() -> limiter.stats().queued() == 1, () -> "never queued: " + limiter);
        held.cancel();
        connected.get(5, TimeUnit.SECONDS).close();
        assertDrained(limiter);
    }

    @Test
    void theFactoryNamesItsLimiter() {
        final HalfOpenLimiter limiter = limiter(1, Duration.ofSeconds(5));
        final HalfOpenSocketFactory factory = new HalfOpenSocketFactory(limiter);
        assertSame(limiter, factory.limiter());
        assertTrue(factory.toString().contains("test"), factory.toString());
    }
}
