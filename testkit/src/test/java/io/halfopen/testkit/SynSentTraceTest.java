package io.halfopen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exact judge against sockets whose states the test controls: non-blocking connects to a peer that drops
 * SYNs stay in SYN_SENT until closed, connects to a refusing peer leave it at once. Needs root; under
 * {@code CI=true} it must run.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SynSentTraceTest {

    private final LoopbackPeers peers = new LoopbackPeers();
    private final List<SocketChannel> sockets = new ArrayList<>();

    @BeforeEach
    void requireTheTrace() {
        Tracing.require();
    }

    @AfterEach
    void close() throws IOException {
        for (final SocketChannel socket : sockets) {
            socket.close();
        }
        peers.close();
    }

    private SocketChannel connect(final InetSocketAddress peer) throws IOException {
        final SocketChannel socket = SocketChannel.open();
        sockets.add(socket);
        socket.configureBlocking(false);
        assertFalse(socket.connect(peer), "a connect to " + peer + " completed at once");
        return socket;
    }

    @Test
    void countsEverySocketInSynSentTowardsThePeersAtEveryInstant() throws IOException {
        final InetSocketAddress dropping = peers.dropping();
        final InetSocketAddress other = peers.dropping();
        final SynSentVerdict verdict;
        try (SynSentTrace trace = SynSentTrace.start("exact", List.of(dropping, other))) {
            assertEquals(0, trace.countNow());
            final List<SocketChannel> toDropping = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                toDropping.add(connect(dropping));
            }
            connect(other);
            assertEquals(8, trace.countNow(), "every connect before the call is counted");
            assertEquals(7, trace.countNow(dropping));
            assertEquals(1, trace.countNow(other));
            for (int i = 0; i < 3; i++) {
                toDropping.get(i).close();
            }
            assertEquals(5, trace.countNow(), "every close before the call is counted");
            for (final SocketChannel socket : sockets) {
                socket.close();
            }
            assertEquals(0, trace.countNow());
            verdict = trace.stop();
        }
        assertEquals(Judge.TRACED, verdict.judge());
        assertEquals(8, verdict.peak());
        assertEquals(Map.of(dropping, 7, other, 1), verdict.peakByDestination());
        assertEquals("peak 8 (traced, exact; limit 10)", verdict.describe(10));
        assertEquals(16, verdict.timeline().size());
        assertEquals(0, verdict.leftInSynSent());
        assertEquals(0, verdict.alreadyInSynSent());
        verdict.assertNeverAbove(8);
        verdict.assertReached(8);
        final AssertionError above = assertThrows(AssertionError.class, () -> verdict.assertNeverAbove(7));
        assertTrue(above.getMessage().contains("<- 8 > 7") && above.getMessage().contains("enter " + dropping),
                above.getMessage());
        assertThrows(AssertionError.class, () -> verdict.assertReached(9));
    }

    @Test
    void theTimelinePairsEachSocketsEntryWithItsExitInKernelOrder() throws IOException {
        final InetSocketAddress dropping = peers.dropping();
        final InetSocketAddress refusing = peers.refusing();
        final SynSentVerdict verdict;
        try (SynSentTrace trace = SynSentTrace.start("timeline", List.of(dropping, refusing))) {
            final SocketChannel held = connect(dropping);
            try (SocketChannel refused = SocketChannel.open()) {
                assertThrows(ConnectException.class, () -> refused.connect(refusing));
            }
            held.close();
            verdict = trace.stop();
        }
        final List<SynSentTransition> timeline = verdict.timeline();
        assertEquals(4, timeline.size(), timeline::toString);
        final SynSentTransition enterDropping = timeline.get(0);
        final SynSentTransition enterRefusing = timeline.get(1);
        final SynSentTransition leaveRefusing = timeline.get(2);
        final SynSentTransition leaveDropping = timeline.get(3);
        assertTrue(enterDropping.entered() && enterDropping.destination().equals(dropping), timeline::toString);
        assertEquals("CLOSE", enterDropping.otherState());
        assertEquals(0, enterDropping.localPort(), "not bound yet when it enters SYN_SENT");
        assertTrue(enterRefusing.entered() && enterRefusing.destination().equals(refusing), timeline::toString);
        assertEquals(2, enterRefusing.count());
        assertEquals(1, enterRefusing.destinationCount());
        assertTrue(!leaveRefusing.entered() && leaveRefusing.socket() == enterRefusing.socket(), timeline::toString);
        assertEquals("CLOSE", leaveRefusing.otherState(), "a reset ends it");
        assertTrue(leaveRefusing.localPort() > 0);
        assertEquals(leaveDropping.socket(), enterDropping.socket());
        assertEquals(0, leaveDropping.count());
        for (int i = 1; i < timeline.size(); i++) {
            assertTrue(timeline.get(i).at().compareTo(timeline.get(i - 1).at()) >= 0, timeline::toString);
        }
    }

    @Test
    void countsOnlyThePeersWatchedNotOtherAddressesOrPorts() throws IOException {
        final InetSocketAddress watched = peers.dropping();
        final InetSocketAddress unwatched = peers.dropping();
        try (LoopbackPeers elsewhere = new LoopbackPeers(InetAddress.getByName("127.0.0.2"))) {
            final InetSocketAddress otherAddress = elsewhere.dropping();
            try (SynSentTrace exact = SynSentTrace.start("exact", List.of(watched));
                 SynSentTrace byPort = SynSentTrace.startOnPorts("ports", List.of(otherAddress.getPort()))) {
                connect(watched);
                connect(unwatched);
                connect(otherAddress);
                assertEquals(1, exact.countNow());
                assertEquals(1, byPort.countNow());
                assertEquals(1, exact.stop().peak());
                final SynSentVerdict ports = byPort.stop();
                assertEquals(Map.of(otherAddress, 1), ports.peakByDestination());
            }
        }
    }

    @Test
    void aSocketAlreadyInSynSentWhenTheWatchBeganCountsFromTheStartUntilItLeaves() throws IOException {
        final InetSocketAddress dropping = peers.dropping();
        final SocketChannel before = connect(dropping);
        final SynSentVerdict verdict;
        try (SynSentTrace trace = SynSentTrace.start("before", List.of(dropping))) {
            connect(dropping);
            assertEquals(1, trace.countNow(), "only what entered during the watch, until the other one leaves");
            before.close();
            verdict = trace.stop();
        }
        assertEquals(2, verdict.peak(), "the one from before was in SYN_SENT beside the new one");
        assertEquals(1, verdict.alreadyInSynSent());
        assertEquals(1, verdict.leftInSynSent());
        assertTrue(verdict.timeline().get(1).enteredBefore());
        assertTrue(verdict.summary(2).contains("already in SYN_SENT"), verdict.summary(2));
    }

    /**
     * 100,000 connects to a refusing peer from two threads, about 60,000 transitions a second: every one is in
     * the timeline, none lost (the buffers are streamed while the storm runs; the default 8 MiB per CPU would
     * hold only half of them).
     */
    @Test
    void aHundredThousandConnectsAreTracedWithoutLosingOne() throws Exception {
        final InetSocketAddress refusing = peers.refusing();
        final int threads = 2;
        final int connects = 100_000;
        final SynSentVerdict verdict;
        final long start = System.nanoTime();
        try (SynSentTrace trace = SynSentTrace.start("hundred-thousand", List.of(refusing))) {
            final ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                final List<Future<Integer>> refusals = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    refusals.add(pool.submit(() -> {
                        int refused = 0;
                        for (int i = 0; i < connects / threads; i++) {
                            try (SocketChannel socket = SocketChannel.open()) {
                                socket.connect(refusing);
                            } catch (final ConnectException expected) {
                                refused++;
                            }
                        }
                        return refused;
                    }));
                }
                int refused = 0;
                for (final Future<Integer> future : refusals) {
                    refused += future.get();
                }
                assertEquals(connects, refused);
            } finally {
                pool.shutdown();
            }
            verdict = trace.stop();
        }
        final List<SynSentTransition> timeline = verdict.timeline();
        assertEquals(2 * connects, timeline.size(), "one entry and one exit per connect");
        final Set<Long> open = new HashSet<>();
        int entries = 0;
        for (final SynSentTransition transition : timeline) {
            if (transition.entered()) {
                entries++;
                assertTrue(open.add(transition.socket()), () -> "entered twice: " + transition);
            } else {
                assertTrue(open.remove(transition.socket()), () -> "left without entering: " + transition);
            }
        }
        assertEquals(connects, entries);
        assertTrue(open.isEmpty());
        assertTrue(verdict.peak() >= 1 && verdict.peak() <= threads, verdict::describe);
        System.out.printf("SynSentTraceTest: %d connects in %d ms, %s%n", connects,
                (System.nanoTime() - start) / 1_000_000, verdict.summary(threads));
    }
}
