package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.halfopen.agent.programs.HttpClientStorm;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The JDK's {@code HttpClient} firing 200 async requests, in a child JVM: its non-blocking connects are held
 * without a SYN until granted. The accepting peer is a real HTTP server (the JDK's {@code HttpServer}).
 */
@Tag("child-jvm")
class HttpClientStormJvmTest {

    private static final int LIMIT = 10;

    @BeforeAll
    static void traceAvailable() {
        KernelTrace.assumeAvailable();
    }

    private static HttpServer httpServer(final LoopbackPeers peers) throws Exception {
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
        peers.own(() -> {
            server.stop(0);
            executor.shutdownNow();
        });
        return server;
    }

    private static ChildJvm.Result storm(final LoopbackPeers peers, final List<String> jvmArgs, final String timeout,
            final KernelTrace.Verdict[] verdict) throws Exception {
        final InetSocketAddress accept = httpServer(peers).getAddress();
        final InetSocketAddress refuse = peers.refusing();
        final InetSocketAddress drop = peers.dropping();
        final KernelTrace.Judged<ChildJvm.Result> run = KernelTrace.judge(
                Set.of(accept.getPort(), refuse.getPort(), drop.getPort()),
                () -> ChildJvm.run(jvmArgs, HttpClientStorm.class, Duration.ofSeconds(90), timeout,
                        SocketStormJvmTest.target(accept, 150), SocketStormJvmTest.target(refuse, 30),
                        SocketStormJvmTest.target(drop, 20)));
        verdict[0] = run.verdict();
        return run.result();
    }

    @Test
    void twoHundredAsyncRequestsKeepTheKernelAtTheLimitAndAllEnd() throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final KernelTrace.Verdict[] verdict = new KernelTrace.Verdict[1];
            final ChildJvm.Result child = storm(peers, List.of(ChildJvm.javaagent("halfOpenTimeout=500ms")), "0",
                    verdict);
            System.out.println("HttpClient storm with the agent: " + verdict[0].describe() + "; " + child.result()
                    + " in " + child.took().toMillis() + " ms");
            assertEquals(0, child.exit(), child::toString);
            assertTrue(verdict[0].peak() <= LIMIT, verdict[0]::describe);
            assertEquals(LIMIT, verdict[0].peak(), verdict[0]::describe);
            assertEquals(200, child.count("total"), child::toString);
            assertEquals(0, child.count("hung"), child::toString);
            assertEquals(150, child.count("established"), child::toString);
            assertEquals(50, child.count("ConnectException"), child::toString);
        }
    }

    @Test
    void withoutTheAgentTheSameRequestsExceedTheLimit() throws Exception {
        try (LoopbackPeers peers = new LoopbackPeers()) {
            final KernelTrace.Verdict[] verdict = new KernelTrace.Verdict[1];
            final ChildJvm.Result child = storm(peers, List.of(), "1500", verdict);
            System.out.println("HttpClient storm without the agent (control): " + verdict[0].describe() + "; "
                    + child.result());
            assertEquals(0, child.exit(), child::toString);
            assertTrue(verdict[0].peak() > LIMIT, verdict[0]::describe);
        }
    }
}
