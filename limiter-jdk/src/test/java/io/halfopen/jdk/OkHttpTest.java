package io.halfopen.jdk;

import static io.halfopen.jdk.Outcomes.causeOfType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.jdk.okhttp.HalfOpenOkHttp;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.testkit.LoopbackPeers;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OkHttp 5 through {@link HalfOpenOkHttp}, against mockwebserver3 and dropping/refusing loopback ports. */
class OkHttpTest {

    private static final int LIMIT = 4;

    private final LoopbackPeers peers = new LoopbackPeers();
    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void startServer() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(final RecordedRequest request) {
                return new MockResponse.Builder().code(200).body("ok").build();
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        server.close();
        peers.close();
    }

    private static OkHttpClient client(final HalfOpenLimiter limiter, final Duration connectTimeout) {
        return HalfOpenOkHttp.limit(new OkHttpClient.Builder(), limiter)
                .connectTimeout(connectTimeout)
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)) // a TCP connect per request
                .retryOnConnectionFailure(false)
                .build();
    }

    private static String url(final InetSocketAddress peer) {
        return "http://127.0.0.1:" + peer.getPort() + "/";
    }

    private static String get(final OkHttpClient client, final String url) throws IOException {
        try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
            return response.code() + " " + response.body().string();
        }
    }

    @Test
    void aRequestStormKeepsTheLimitAndEveryRequestEndsWithTheRightOutcome() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("okhttp").maxHalfOpen(LIMIT)
                .halfOpenTimeout(Duration.ofSeconds(1)).build(); // well above a loaded machine's scheduling delay
        final OkHttpClient client = client(limiter, Duration.ofSeconds(10)); // the half-open timeout is shorter
        final InetSocketAddress live = server.getSocketAddress();
        final List<InetSocketAddress> dropping = List.of(peers.dropping(), peers.dropping());
        final InetSocketAddress refusing = peers.refusing();
        final List<InetSocketAddress> stormPeers = Storm.peers(live, dropping, refusing);
        final int liveCount = 30;
        final int droppingCount = 12;
        final int refusingCount = 6;
        final Storm.Outcome storm = Storm.fire("OkHttpTest.storm", stormPeers,
                liveCount + droppingCount + refusingCount, i -> {
            final String target = i < liveCount ? url(live)
                    : i < liveCount + droppingCount ? url(dropping.get(i % 2)) : url(refusing);
            return () -> get(client, target);
        });
        final List<Object> outcomes = storm.results();
        for (int i = 0; i < outcomes.size(); i++) {
            final Object outcome = outcomes.get(i);
            if (i < liveCount) {
                assertEquals("200 ok", outcome, () -> "" + outcome);
            } else if (i < liveCount + droppingCount) {
                causeOfType((Throwable) outcome, HalfOpenTimeoutException.class);
                assertTrue(outcome instanceof SocketTimeoutException, () -> "" + outcome);
            } else {
                causeOfType((Throwable) outcome, ConnectException.class);
            }
        }
        final LimiterStats stats = limiter.stats();
        System.out.println("OkHttpTest storm: " + stats);
        Storm.assertKernelKeptAndReached(storm.kernel(), LIMIT);
        assertEquals(LIMIT, stats.peakHalfOpen(), stats::toString);
        assertEquals(liveCount, stats.established(), stats::toString);
        assertEquals(droppingCount, stats.timedOut(), stats::toString);
        assertEquals(refusingCount, stats.refused(), stats::toString);
        assertEquals(0, stats.halfOpen() + stats.queued(), stats::toString);
        assertEquals(liveCount, server.getRequestCount());
    }

    @Test
    void withoutTheLimiterTheSameRequestsHoldMoreThanTheLimitHalfOpen() throws Exception {
        final OkHttpClient plain = new OkHttpClient.Builder().connectTimeout(Duration.ofMillis(1500))
                .retryOnConnectionFailure(false).build();
        UnlimitedControl.assertExceedsTheLimit("OkHttpTest.control", LIMIT, 12,
                List.of(peers.dropping(), peers.dropping()), peer -> get(plain, url(peer)));
    }

    @Test
    void okHttpsConnectTimeoutCoversTheWaitForASlot() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).build();
        final OkHttpClient client = client(limiter, Duration.ofMillis(500));
        final ConnectAttempt held = limiter.acquire(server.getSocketAddress(), Duration.ofSeconds(5));
        final long start = System.nanoTime();
        final SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> get(client, url(server.getSocketAddress())));
        final long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took >= 450 && took < 3000, "connectTimeout(500 ms) ended the call after " + took + " ms");
        assertTrue(e.getMessage().contains("queue"), e.getMessage());
        assertEquals(0, limiter.stats().queued());
        held.cancel();
        assertEquals("200 ok", get(client, url(server.getSocketAddress())), "with the slot free it connects");
        assertEquals(0, limiter.stats().halfOpen());
    }

    @Test
    void theQueueWaitAndTheHandshakeShareOneConnectTimeout() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).build();
        final OkHttpClient client = client(limiter, Duration.ofMillis(1000));
        final InetSocketAddress dropping = peers.dropping();
        final ConnectAttempt held = limiter.acquire(dropping, Duration.ofSeconds(5));
        final long start = System.nanoTime();
        final CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
            try {
                return get(client, url(dropping));
            } catch (final IOException e) {
                return e;
            }
        });
        Await.until(() -> limiter.stats().queued() == 1, limiter::toString);
        Await.elapse(Duration.ofMillis(400));
        held.cancel(); // the call gets the slot with about 600 ms of its 1000 left
        final Object outcome = call.get(10, TimeUnit.SECONDS);
        final long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(outcome instanceof SocketTimeoutException, () -> "" + outcome);
        assertTrue(took >= 950 && took < 3000, "queue + handshake took " + took + " ms for connectTimeout(1000)");
        assertEquals(1, limiter.stats().timedOut());
        assertEquals(0, limiter.stats().halfOpen() + limiter.stats().queued());
    }

    @Test
    void aCallCancelledWhileItWaitsForASlotLeavesTheQueueAtOnce() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).build();
        final OkHttpClient client = client(limiter, Duration.ZERO); // no timeout: only a cancel can end it
        final ConnectAttempt held = limiter.acquire(server.getSocketAddress(), Duration.ofSeconds(5));
        final Call call = client.newCall(new Request.Builder().url(url(server.getSocketAddress())).build());
        final CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                call.execute().close();
                return null;
            } catch (final IOException e) {
                return e;
            }
        });
        Await.until(() -> limiter.stats().queued() == 1, limiter::toString);
        call.cancel(); // OkHttp closes the raw socket from this thread
        assertTrue(outcome.get(5, TimeUnit.SECONDS) instanceof IOException);
        assertEquals(0, limiter.stats().queued());
        assertEquals(1, limiter.stats().cancelled());
        held.cancel();
        assertEquals(0, limiter.stats().halfOpen());
    }
}
