package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.session.InboundSessionLimiter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("200 simultaneous connects from 20 computers never admit an 11th computer")
class SessionRaceTest {

    private static final int COMPUTERS = 20;
    private static final int CONNECTIONS_PER_COMPUTER = 10;

    @Test
    void exactlyTenComputersAreAdmittedAtOnceAndTheTableEmptiesAfterwards() throws Exception {
        final int total = COMPUTERS * CONNECTIONS_PER_COMPUTER;
        final CountDownLatch start = new CountDownLatch(1);
        final CountDownLatch answered = new CountDownLatch(total);
        final CountDownLatch release = new CountDownLatch(1);
        final Set<Integer> admittedComputers = ConcurrentHashMap.newKeySet();
        final AtomicInteger admittedConnections = new AtomicInteger();
        final AtomicInteger refusedConnections = new AtomicInteger();
        final ExecutorService pool = Executors.newFixedThreadPool(total);
        try (SessionServer server = new SessionServer(InboundSessionLimiter.xpProfessional())) {
            final List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                final int host = 2 + i % COMPUTERS;
                clients.add(pool.submit(() -> {
                    start.await();
                    try (Client client = new Client(host, server.address())) {
                        final String line = client.readLine();
                        if (SessionServer.GREETING.equals(line)) {
                            admittedComputers.add(host);
                            admittedConnections.incrementAndGet();
                        } else {
                            assertEquals(SessionServer.REFUSAL_LINE, line);
                            assertTrue(client.atEndOfStream());
                            refusedConnections.incrementAndGet();
                        }
                        answered.countDown();
                        release.await();
                    }
                    return null;
                }));
            }
            final long began = System.nanoTime();
            start.countDown();
            assertTrue(answered.await(15, TimeUnit.SECONDS), "every client got an answer");
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            final int limiterPeak = server.limiter().stats().peakSessions();
            final int handlerPeak = server.computers().peak();
            System.out.printf("race: %d connects from %d computers in %d ms: %d computers admitted (%d connections),"
                            + " %d connections refused, peak sessions %d (limiter) / %d (handler after it)%n",
                    total, COMPUTERS, elapsedMs, admittedComputers.size(), admittedConnections.get(),
                    refusedConnections.get(), limiterPeak, handlerPeak);
            System.out.print(server.limiter().sessions().render());

            release.countDown();
            for (final Future<?> client : clients) {
                client.get(10, TimeUnit.SECONDS);
            }
            Await.until("the session table is empty", () -> server.limiter().stats().openConnections() == 0);

            assertEquals(10, admittedComputers.size());
            assertEquals(10 * CONNECTIONS_PER_COMPUTER, admittedConnections.get());
            assertEquals(total - 10 * CONNECTIONS_PER_COMPUTER, refusedConnections.get());
            assertEquals(10, limiterPeak);
            assertEquals(10, handlerPeak);
            assertEquals(0, server.limiter().sessions().size());
            assertEquals(refusedConnections.get(), server.limiter().stats().refused());
        } finally {
            pool.shutdownNow();
        }
    }
}
