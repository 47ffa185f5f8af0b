package io.halfopen.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.time.VirtualClock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockingConnect} on its own, with a scripted real connect: the outcome reported for each way a connect
 * ends, the timeout arithmetic, and the races with the limiter's timer. The contract every blocking socket (the
 * factory's, the channels', an agent's) inherits.
 */
class BlockingConnectTest {

    private static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);

    private final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("unit").maxHalfOpen(1)
            .halfOpenTimeout(Duration.ofSeconds(30)).build();
    private final AtomicInteger closes = new AtomicInteger();

    private BlockingConnect connect() {
        return new BlockingConnect(limiter, REMOTE, closes::incrementAndGet);
    }

    private void assertDrained() {
        assertEquals(0, limiter.stats().halfOpen() + limiter.stats().queued(), limiter::toString);
    }

    @Test
    void aConnectThatReturnsIsReportedEstablishedAndTheSocketStaysOpen() throws IOException {
        connect().run(1000, millis -> { });
        assertEquals(1, limiter.stats().established());
        assertEquals(0, closes.get());
        assertDrained();
    }

    @Test
    void eachFailureIsReportedByItsExceptionType() {
        final IOException unreachable = new NoRouteToHostException("Keine Route zum Zielrechner");
        assertSame(unreachable, assertThrows(NoRouteToHostException.class,
                () -> connect().run(0, millis -> { throw unreachable; })));
        assertThrows(ConnectException.class,
                () -> connect().run(0, millis -> { throw new ConnectException("Verbindungsaufbau abgelehnt"); }));
        assertEquals(1, limiter.stats().refused(), "a ConnectException is a refusal, in any language");
        assertThrows(SocketTimeoutException.class,
                () -> connect().run(0, millis -> { throw new SocketTimeoutException("Zeitüberschreitung"); }));
        assertThrows(SocketException.class,
                () -> connect().run(0, millis -> { throw new SocketException("Connection refused"); }));
        assertEquals(1, limiter.stats().refused(), "a SocketException is no refusal, whatever its text");
        assertThrows(IllegalStateException.class,
                () -> connect().run(0, millis -> { throw new IllegalStateException("a bug in the socket"); }));
        final LimiterStats stats = limiter.stats();
        assertEquals(1, stats.refused(), () -> "only the ConnectException is a refusal, whatever the texts: " + stats);
        assertEquals(1, stats.timedOut(), stats::toString);
        assertEquals(3, stats.failed(), stats::toString);
        assertEquals(5, closes.get(), "every failed connect closes its socket");
        assertDrained();
    }

    @Test
    void theRealConnectGetsWhatRemainsOfTheTimeoutAndNoMoreThanTheHalfOpenTimeout() throws IOException {
        final AtomicInteger given = new AtomicInteger(-1);
        final long start = System.nanoTime();
        connect().run(2000, given::set);
        final long spent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start); // before the real connect, at most
        assertTrue(given.get() <= 2000 && given.get() >= 2000 - spent - 1,
                "given " + given.get() + " ms of 2000, after " + spent + " ms in run()");
        final HalfOpenLimiter short21 = HalfOpenLimiter.builder().halfOpenTimeout(Duration.ofMillis(700)).build();
        new BlockingConnect(short21, REMOTE, () -> { }).run(0, given::set);
        assertEquals(700, given.get(), "no caller timeout: the half-open timeout bounds the connect");
        new BlockingConnect(short21, REMOTE, () -> { }).run(5000, given::set);
        assertEquals(700, given.get(), "the shorter of the two");
    }

    @Test
    void onVirtualTimeTheRealConnectIsBoundedOnlyByTheCaller() throws IOException {
        final HalfOpenLimiter virtual = HalfOpenLimiter.builder().clock(new VirtualClock()).build();
        final AtomicInteger given = new AtomicInteger(-1);
        new BlockingConnect(virtual, REMOTE, () -> { }).run(0, given::set);
        assertEquals(0, given.get(), "0: no timeout; the virtual half-open timer aborts instead");
    }

    @Test
    void aTimeoutOfTheRealConnectBoundByTheHalfOpenTimeoutNamesTheLimiter() {
        final HalfOpenLimiter short1 = HalfOpenLimiter.builder().maxHalfOpen(1).halfOpenTimeout(Duration.ofMillis(50))
                .build();
        final SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> new BlockingConnect(short1, REMOTE, () -> { })
                        .run(0, millis -> { throw new SocketTimeoutException("Connect timed out"); }));
        assertTrue(e.getCause() instanceof HalfOpenTimeoutException, () -> "cause " + e.getCause());
        assertEquals(1, short1.stats().timedOut());
    }

    @Test
    void theHalfOpenTimerClosesTheSocketThenTheConnectingThreadReportsAborted() throws Exception {
        final VirtualClock clock = new VirtualClock();
        final HalfOpenLimiter virtual = HalfOpenLimiter.builder().maxHalfOpen(1).clock(clock).build();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final AtomicReference<String> stateWhenClosed = new AtomicReference<>();
        final BlockingConnect connect = new BlockingConnect(virtual, REMOTE, () -> {
            stateWhenClosed.compareAndSet(null, virtual.stats().halfOpen() + " half-open");
            closed.complete(null);
        });
        final CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                connect.run(0, millis -> {
                    try {
                        closed.get(10, TimeUnit.SECONDS); // a connect that only a close ends
                    } catch (final Exception e) {
                        throw new IllegalStateException(e);
                    }
                    throw new SocketException("Socket closed");
                });
                return null;
            } catch (final IOException e) {
                return e;
            }
        });
        Await.until(() -> virtual.stats().halfOpen() == 1 && clock.pendingTasks() > 0, virtual::toString);
        clock.advance(HalfOpenLimiter.XP_HALF_OPEN_TIMEOUT);
        final Throwable e = outcome.get(10, TimeUnit.SECONDS);
        assertTrue(e instanceof SocketTimeoutException && e.getCause() instanceof HalfOpenTimeoutException,
                () -> "" + e);
        assertEquals("1 half-open", stateWhenClosed.get(), "the slot is still held while the socket closes");
        assertEquals(1, virtual.stats().timedOut());
        assertEquals(0, virtual.stats().halfOpen());
    }

    @Test
    void runTwiceOrWithANegativeTimeoutIsRefused() throws IOException {
        final BlockingConnect connect = connect();
        assertThrows(IllegalArgumentException.class, () -> connect.run(-1, millis -> { }));
        connect.run(0, millis -> { });
        assertThrows(IllegalStateException.class, () -> connect.run(0, millis -> { }));
        assertEquals(1, limiter.stats().granted());
        assertThrows(IllegalArgumentException.class,
                () -> new BlockingConnect(limiter, InetSocketAddress.createUnresolved("x.invalid", 1), () -> { }));
        assertThrows(NullPointerException.class, () -> new BlockingConnect(null, REMOTE, () -> { }));
        assertThrows(NullPointerException.class, () -> new BlockingConnect(limiter, REMOTE, null));
        assertDrained();
    }

    @Test
    void aSocketClosedBeforeItsConnectNeverAsksForASlot() {
        final BlockingConnect connect = connect();
        connect.socketClosed();
        assertThrows(SocketException.class, () -> connect.run(1000, millis -> { }));
        assertEquals(0, limiter.stats().granted() + limiter.stats().throttled());
    }

    @Test
    void aSocketClosedAfterItsSlotWasGrantedButBeforeItsConnectFreesTheSlot() throws Exception {
        final ConnectAttempt held = limiter.acquire(REMOTE, Duration.ofSeconds(5));
        final BlockingConnect connect = connect();
        final CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                connect.run(0, millis -> { throw new AssertionError("no connect after a close"); });
                return null;
            } catch (final IOException e) {
                return e;
            }
        });
        Await.until(() -> limiter.stats().queued() == 1, limiter::toString);
        connect.socketClosed();
        assertTrue(outcome.get(5, TimeUnit.SECONDS) instanceof SocketException);
        held.cancel();
        assertDrained();
    }
}
