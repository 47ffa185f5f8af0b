package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.testkit.LoopbackServer;
import io.halfopen.testkit.SynSentVerdict;
import io.halfopen.testkit.SynSentWatch;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A storm of HTTP requests from a real Netty client that nobody here wrote, with one shared
 * {@link HalfOpenLimitHandler} at the head of each of its channels' pipelines (the client's own hook, as a user
 * would install it), to an HTTP server, a refusing port and two dropping ports on loopback, with the kernel as
 * the judge ({@link KernelJudge}, traced and exact under {@code CI=true}). The dropped connects hold their slots
 * for the whole half-open timeout, so the storm saturates the limit: the kernel's peak must be exactly
 * {@value #LIMIT}. Every request ends as its peer says (200, refused, half-open timeout), each request is one
 * connect (no pooling, no retries), and the limiter drains. Subclasses bring the client.
 */
abstract class RealClientStormTest {

    static final int LIMIT = 5;
    static final int REQUESTS = 150; // a third to each kind of peer
    static final Duration HALF_OPEN_TIMEOUT = Duration.ofMillis(500);

    /** A real client, with the handler in its channels' pipelines. */
    interface HttpGetter extends AutoCloseable {
        /**
         * Sends {@code GET /} to the peer on a new connection.
         *
         * @param peer the peer
         * @return the response's status code, or the failure
         */
        CompletableFuture<Integer> get(InetSocketAddress peer);
    }

    /**
     * Starts the client with {@code handler} added first to each channel's pipeline, one new connection per
     * request and no retries, and a connect timeout (queue wait plus handshake) far above the storm's length,
     * so that only the peers and the limiter's half-open timeout decide how a request ends.
     *
     * @param handler the shared handler
     * @return the client
     */
    abstract HttpGetter start(HalfOpenLimitHandler handler) throws Exception;

    private final LoopbackPeers peers = new LoopbackPeers();
    private LoopbackServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        peers.close();
    }

    @Test
    void theKernelNeverSeesMoreHalfOpenConnectsThanTheLimitAndEveryRequestEndsAsItsPeerSays() throws Exception {
        server = LoopbackServer.builder().threads(1).childPipeline(pipeline -> pipeline.addLast(
                new HttpServerCodec(), new HttpObjectAggregator(1024), new Ok())).start();
        final InetSocketAddress accepting = server.address();
        final InetSocketAddress refusing = peers.refusing();
        final List<InetSocketAddress> dropping = List.of(peers.dropping(), peers.dropping());
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder()
                .name(getClass().getSimpleName())
                .maxHalfOpen(LIMIT)
                .halfOpenTimeout(HALF_OPEN_TIMEOUT)
                .build();
        final List<InetSocketAddress> targets = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            targets.add(switch (i % 3) {
                case 0 -> accepting;
                case 1 -> refusing;
                default -> dropping.get((i / 3) % 2);
            });
        }
        final List<InetSocketAddress> allPeers = new ArrayList<>(dropping);
        allPeers.add(accepting);
        allPeers.add(refusing);

        final List<CompletableFuture<Integer>> requests = new ArrayList<>();
        final SynSentVerdict kernel;
        final long start;
        try (HttpGetter client = start(new HalfOpenLimitHandler(limiter))) {
            // Warm the client up (class loading, native code) through the limiter, before the watch.
            assertEquals(200, client.get(accepting).get(30, TimeUnit.SECONDS), "warm-up");
            try (SynSentWatch watch = KernelJudge.watcher().label(getClass().getSimpleName()).watch(allPeers)) {
                assertEquals(0, watch.countNow(), "no SYN_SENT before the storm");
                start = System.nanoTime();
                for (final InetSocketAddress target : targets) {
                    requests.add(client.get(target));
                }
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                for (final CompletableFuture<Integer> request : requests) {
                    final long left = deadline - System.nanoTime();
                    try {
                        request.get(Math.max(left, 1), TimeUnit.NANOSECONDS);
                    } catch (final ExecutionException expectedForSome) {
                        // judged below
                    } catch (final java.util.concurrent.TimeoutException hung) {
                        fail("a request hung; limiter " + limiter.stats());
                    }
                }
                kernel = watch.stop();
            }
        }
        final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        for (int i = 0; i < REQUESTS; i++) {
            final CompletableFuture<Integer> request = requests.get(i);
            final InetSocketAddress target = targets.get(i);
            final Throwable cause = request.handle((status, failure) -> failure).join();
            final String what = "request #" + i + " to " + target + ": " + (cause == null ? request.join() : cause);
            if (target.equals(accepting)) {
                assertTrue(cause == null && request.join() == 200, what);
            } else if (target.equals(refusing)) {
                assertTrue(inChain(cause, ConnectException.class) != null
                        && inChain(cause, ConnectTimeoutException.class) == null, what);
            } else {
                final Throwable timeout = inChain(cause, ConnectTimeoutException.class);
                assertTrue(timeout != null && String.valueOf(timeout.getMessage()).contains("half-open timeout"),
                        what);
            }
        }

        final int each = REQUESTS / 3;
        final LimiterStats stats = limiter.stats();
        assertEquals(0, stats.halfOpen(), () -> "drained: " + stats);
        assertEquals(0, stats.queued(), () -> "drained: " + stats);
        assertEquals(each + 1, stats.established(), () -> "one connect per request (and the warm-up): " + stats);
        assertEquals(each, stats.refused(), stats::toString);
        assertEquals(each, stats.timedOut(), stats::toString);
        assertEquals(LIMIT, stats.peakHalfOpen(), stats::toString);
        server.awaitDrained(each + 1, Duration.ofSeconds(10));

        System.out.printf("%s: %d requests in %d ms; kernel %s; limiter %s%n", getClass().getSimpleName(),
                REQUESTS, elapsedMillis, kernel.summary(LIMIT), stats);
        kernel.assertNeverAbove(LIMIT);
        kernel.assertReached(LIMIT);
        limiter.close();
    }

    private static Throwable inChain(final Throwable failure, final Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    /** Answers every request with an empty 200 and closes the connection. */
    @ChannelHandler.Sharable
    private static final class Ok extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request) {
            final DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
