package io.halfopen.jdk;

import static io.halfopen.jdk.Outcomes.causeOfType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.halfopen.jdk.httpclient5.HalfOpenConnectionManagerBuilder;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.testkit.LoopbackPeers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Apache HttpClient 5 (classic) through {@link HalfOpenConnectionManagerBuilder}, against the JDK's own HTTP
 * server on loopback and dropping/refusing loopback ports.
 */
class HttpClient5Test {

    private static final int LIMIT = 4;

    private final LoopbackPeers peers = new LoopbackPeers();
    private HttpServer server;
    private ExecutorService serverThreads;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.createContext("/", exchange -> {
            final byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Connection", "close"); // a TCP connect per request
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        serverThreads = Executors.newFixedThreadPool(16);
        server.setExecutor(serverThreads);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverThreads.shutdownNow();
        peers.close();
    }

    private static CloseableHttpClient client(final HalfOpenLimiter limiter, final Duration connectTimeout) {
        return HttpClients.custom()
                .setConnectionManager(HalfOpenConnectionManagerBuilder.create(limiter)
                        .setMaxConnTotal(200).setMaxConnPerRoute(200)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout)).build())
                        .build())
                .disableAutomaticRetries()
                .build();
    }

    private static String get(final CloseableHttpClient client, final InetSocketAddress peer) throws IOException {
        return client.execute(new HttpGet("http://127.0.0.1:" + peer.getPort() + "/"),
                response -> response.getCode() + " " + EntityUtils.toString(response.getEntity()));
    }

    @Test
    void aRequestStormKeepsTheLimitAndEveryRequestEndsWithTheRightOutcome() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().name("httpclient5").maxHalfOpen(LIMIT)
                .halfOpenTimeout(Duration.ofSeconds(1)).build(); // well above a loaded machine's scheduling delay
        final InetSocketAddress live = server.getAddress();
        final List<InetSocketAddress> dropping = List.of(peers.dropping(), peers.dropping());
        final InetSocketAddress refusing = peers.refusing();
        final List<InetSocketAddress> stormPeers = Storm.peers(live, dropping, refusing);
        final int liveCount = 30;
        final int droppingCount = 12;
        final int refusingCount = 6;
        final Storm.Outcome storm;
        try (CloseableHttpClient client = client(limiter, Duration.ofSeconds(10))) {
            storm = Storm.fire("HttpClient5Test.storm", stormPeers, liveCount + droppingCount + refusingCount,
                    i -> {
                        final InetSocketAddress target = i < liveCount ? live
                                : i < liveCount + droppingCount ? dropping.get(i % 2) : refusing;
                        return () -> get(client, target);
                    });
            final List<Object> outcomes = storm.results();
            for (int i = 0; i < outcomes.size(); i++) {
                final Object outcome = outcomes.get(i);
                if (i < liveCount) {
                    assertEquals("200 ok", outcome, () -> "" + outcome);
                } else if (i < liveCount + droppingCount) {
                    // HttpClient rewraps the SocketTimeoutException without its cause, keeping the message
                    final ConnectTimeoutException e = causeOfType((Throwable) outcome, ConnectTimeoutException.class);
                    assertTrue(e.getMessage().contains("half-open timeout"), e::getMessage);
                } else {
                    causeOfType((Throwable) outcome, ConnectException.class);
                }
            }
        }
        final LimiterStats stats = limiter.stats();
        System.out.println("HttpClient5Test storm: " + stats);
        Storm.assertKernelKeptAndReached(storm.kernel(), LIMIT);
        assertEquals(LIMIT, stats.peakHalfOpen(), stats::toString);
        assertEquals(liveCount, stats.established(), stats::toString);
        assertEquals(droppingCount, stats.timedOut(), stats::toString);
        assertEquals(refusingCount, stats.refused(), stats::toString);
        assertEquals(0, stats.halfOpen() + stats.queued(), stats::toString);
    }

    @Test
    void withoutTheLimiterTheSameRequestsHoldMoreThanTheLimitHalfOpen() throws Exception {
        try (CloseableHttpClient plain = HttpClients.custom()
                .setConnectionManager(org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder
                        .create().setMaxConnTotal(200).setMaxConnPerRoute(200)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofMilliseconds(1500)).build())
                        .build())
                .disableAutomaticRetries().build()) {
            UnlimitedControl.assertExceedsTheLimit("HttpClient5Test.control", LIMIT, 12,
                    List.of(peers.dropping(), peers.dropping()), peer -> get(plain, peer));
        }
    }

    @Test
    void theClientsConnectTimeoutCoversTheWaitForASlot() throws Exception {
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1).build();
        final ConnectAttempt held = limiter.acquire(server.getAddress(), Duration.ofSeconds(5));
        try (CloseableHttpClient client = client(limiter, Duration.ofMillis(500))) {
            final long start = System.nanoTime();
            final IOException e = assertThrows(IOException.class, () -> get(client, server.getAddress()));
            final long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            causeOfType(e, SocketTimeoutException.class);
            assertTrue(took >= 450 && took < 3000, "connect timeout 500 ms ended the request after " + took + " ms");
            assertEquals(0, limiter.stats().queued());
            held.cancel();
            assertEquals("200 ok", get(client, server.getAddress()));
        }
        assertEquals(0, limiter.stats().halfOpen());
    }
}
