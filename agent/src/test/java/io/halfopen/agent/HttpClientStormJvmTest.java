package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.halfopen.agent.programs.HttpClientStorm;
import io.halfopen.testkit.LoopbackPeers;
import io.halfopen.testkit.SynSentVerdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The JDK's {@code HttpClient} firing 200 async requests, in a child JVM: its non-blocking connects are held
 * without a SYN until granted. The accepting peer is a real HTTP server (the JDK's {@code HttpServer}).
 */
@Tag("child-jvm")
class HttpClientStormJvmTest {

    private static final int LIMIT = 10;

    private static HttpServer httpServer() throws Exception {
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        final ExecutorService executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            final byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static ChildJvm.Result storm(final LoopbackPeers peers, final List<String> jvmArgs, final String timeout,
            final SynSentVerdict[] verdict) throws Exception {
        final HttpServer server = httpServer();
        try {
            return storm(peers, server.getAddress(), jvmArgs, timeout, verdict);
        } finally {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    private static ChildJvm.Result storm(final LoopbackPeers peers, final InetSocketAddress accept,
            final List<String> jvmArgs, final String timeout, final SynSentVerdict[] verdict) throws Exception {
        final InetSocketAddress refuse = peers.refusing();
        final InetSocketAddress drop = peers.dropping();
        final Judged<ChildJvm.Result> run = Judged.run(
                List.of(accept, refuse, drop),
                () -> ChildJvm.run(jvmArgs, HttpClientStorm.class, Duration.ofSeconds(90), timeout,
                        SocketStormJvmTest.target(accept, 150), SocketStormJvmTest.target(refuse, 30),
                        SocketStormJvmTest.target(drop, 20)));
        verdict[0] = run.verdict();
        return run.result();
    }

    @Test
    void twoHundredAsyncRequestsKeepTheKernelAtTheLimitAndAllEnd() throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final SynSentVerdict[] verdict = new SynSentVerdict[1];
            final ChildJvm.Result child = storm(peers, List.of(ChildJvm.javaagent("halfOpenTimeout=500ms")), "0",
                    verdict);
            System.out.println("HttpClient storm with the agent: " + verdict[0].summary(LIMIT) + "; " + child.result()
                    + " in " + child.took().toMillis() + " ms");
            assertEquals(0, child.exit(), child::toString);
            verdict[0].assertNeverAbove(LIMIT);
            verdict[0].assertReached(LIMIT);
            assertEquals(200, child.count("total"), child::toString);
            assertEquals(0, child.count("hung"), child::toString);
            assertEquals(150, child.count("established"), child::toString);
            assertEquals(50, child.count("ConnectException"), child::toString);
        }
    }

    @Test
    void withoutTheAgentTheSameRequestsExceedTheLimit() throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final SynSentVerdict[] verdict = new SynSentVerdict[1];
            final ChildJvm.Result child = storm(peers, List.of(), "1500", verdict);
            System.out.println("HttpClient storm without the agent (control): " + verdict[0].summary(LIMIT) + "; "
                    + child.result());
            assertEquals(0, child.exit(), child::toString);
            assertTrue(verdict[0].peak() > LIMIT, () -> verdict[0].summary(LIMIT));
        }
    }
}
