package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, defects 3 and 4, under load: four threads admit, authenticate (as a user, as nobody, anonymously),
 * open and close handles, close connections and disconnect computers at random, while a fifth moves virtual
 * time so that null sessions expire and AutoDisconnect fires, against a limit of three. The listener checks
 * every event as it arrives: never two at once; each session's opened, then at most one authenticated, then
 * ended, each once; never more sessions open than the limit; every error 71 while the limit is reached. At the
 * end every connection is closed and everything must add up: the table, the counters and the listener's view
 * are all empty, and every refusal the callers saw was heard. The seed is printed for a rerun.
 */
@DisplayName("Randomized stress: every event in order, nothing lost, nothing left")
class SessionEventStressTest {

    private static final int LIMIT = 3;
    private static final int WORKERS = 4;
    private static final int OPS_PER_WORKER = 20_000;
    private static final String[] USERS = {"", "alice", "bob"};

    /** Checks each event as it arrives; every method runs under its own monitor and flags overlaps. */
    private static final class CheckingListener implements SessionListener {
        private final AtomicInteger inFlight = new AtomicInteger();
        final List<String> violations = new CopyOnWriteArrayList<>();
        private final Map<Long, String> stateById = new HashMap<>();   // guarded by this
        private int open;                                              // guarded by this
        long opened;
        long ended;
        long authenticated;
        long refused71;

        @Override
        public void sessionOpened(final SessionInfo session) {
            enter();
            synchronized (this) {
                opened++;
                if (stateById.put(session.id(), "open") != null) {
                    violations.add("opened twice: " + session);
                }
                if (++open > LIMIT) {
                    violations.add(open + " sessions open at once after opening " + session);
                }
            }
            exit();
        }

        @Override
        public void sessionAuthenticated(final SessionInfo session) {
            enter();
            synchronized (this) {
                authenticated++;
                if (!"open".equals(stateById.put(session.id(), "named"))) {
                    violations.add("authenticated when not open and unnamed: " + session);
                }
                if (session.userName().isEmpty()) {
                    violations.add("authenticated without a user: " + session);
                }
            }
            exit();
        }

        @Override
        public void sessionEnded(final SessionInfo session, final SessionEndReason reason) {
            enter();
            synchronized (this) {
                ended++;
                final String before = stateById.put(session.id(), "ended");
                if (!"open".equals(before) && !"named".equals(before)) {
                    violations.add("ended when " + before + ": " + session + " " + reason);
                }
                open--;
            }
            exit();
        }

        @Override
        public void sessionRefused(final SessionRefusedException refusal) {
            enter();
            synchronized (this) {
                refused71++;
                if (open < LIMIT) {
                    violations.add("error 71 while the listener saw " + open + " of " + LIMIT + " open: "
                            + refusal.getMessage());
                }
            }
            exit();
        }

        synchronized int openNow() {
            return open;
        }

        private void enter() {
            if (inFlight.incrementAndGet() != 1) {
                violations.add("two events delivered at once");
            }
        }

        private void exit() {
            inFlight.decrementAndGet();
        }
    }

    @Test
    void everyEventArrivesInOrderAndEverythingAddsUpAfterwards() throws Exception {
        final long seed = System.nanoTime();
        System.out.println("[stress] seed " + seed);
        final VirtualClock clock = new VirtualClock();
        final CheckingListener listener = new CheckingListener();
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().maxSessions(LIMIT)
                .autoDisconnect(Duration.ofMinutes(2)).listener(listener).clock(clock).build();
        final AtomicInteger callbacks = new AtomicInteger();
        final AtomicInteger refusalsSeen = new AtomicInteger();
        final AtomicBoolean working = new AtomicBoolean(true);
        final CountDownLatch start = new CountDownLatch(1);
        final ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 1);
        final List<List<SessionConnection>> held = new ArrayList<>();
        try {
            final List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                final Random random = new Random(seed + w);
                final List<SessionConnection> mine = new ArrayList<>();
                final List<OpenHandle> handles = new ArrayList<>();
                held.add(mine);
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int op = 0; op < OPS_PER_WORKER; op++) {
                        randomOperation(random, limiter, mine, handles, callbacks, refusalsSeen);
                    }
                    return null;
                }));
            }
            final Future<?> timer = pool.submit(() -> {
                start.await();
                while (working.get()) {
                    clock.advance(Duration.ofSeconds(10));
                    Thread.yield();
                }
                return null;
            });
            final long began = System.nanoTime();
            start.countDown();
            for (final Future<?> worker : workers) {
                worker.get(2, TimeUnit.MINUTES);
            }
            working.set(false);
            timer.get(1, TimeUnit.MINUTES);
            final SessionStats during = limiter.stats();
            held.forEach(connections -> connections.forEach(SessionConnection::close));
            clock.advance(Duration.ofHours(1));
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            synchronized (listener) { // the counters were written by whichever thread delivered
                System.out.printf("[stress] %d ops on %d threads in %d ms: %d sessions opened, %d named, %d ended,"
                                + " %d refused (71), %d disconnect callbacks, peak %d%n", WORKERS * OPS_PER_WORKER,
                        WORKERS, elapsedMs, listener.opened, listener.authenticated, listener.ended,
                        listener.refused71, callbacks.get(), during.peakSessions());

                assertEquals(List.of(), listener.violations);
                assertEquals(0, limiter.stats().sessions());
                assertEquals(0, limiter.stats().openConnections());
                assertEquals(0, limiter.stats().openHandles());
                assertEquals(0, limiter.stats().nullSessions());
                assertEquals(0, listener.openNow(), "the listener heard every session end");
                assertEquals(listener.opened, listener.ended);
                assertEquals(refusalsSeen.get(), listener.refused71, "every refusal a caller saw was heard");
                assertEquals(limiter.stats().refused(), listener.refused71);
                assertTrue(listener.opened > 1_000, "the stress opened sessions: " + listener.opened);
                assertTrue(listener.refused71 > 0 && during.peakSessions() <= LIMIT, "the limit was reached, not passed");
                assertEquals(0, clock.pendingTasks(), "no timer left behind");
            }
        } finally {
            working.set(false);
            pool.shutdownNow();
        }
    }

    private static void randomOperation(final Random random, final InboundSessionLimiter limiter,
                                        final List<SessionConnection> mine, final List<OpenHandle> handles,
                                        final AtomicInteger callbacks, final AtomicInteger refusalsSeen) {
        final int host = 2 + random.nextInt(6);
        try {
            switch (random.nextInt(10)) {
                case 0, 1, 2 -> {
                    ConnectionInfo info = ConnectionInfo.from(Remote.computer(host, 1 + random.nextInt(60_000)));
                    if (random.nextInt(5) == 0) {
                        info = info.asAnonymous();
                    }
                    mine.add(limiter.admit(info, callbacks::incrementAndGet));
                }
                case 3 -> any(random, mine).authenticate(USERS[random.nextInt(USERS.length)], "stress");
                case 4 -> any(random, mine).authenticateAnonymously();
                case 5 -> handles.add(any(random, mine).open("\\PIPE\\spoolss"));
                case 6 -> {
                    if (!handles.isEmpty()) {
                        handles.remove(random.nextInt(handles.size())).close();
                    }
                }
                case 7, 8 -> {
                    if (!mine.isEmpty()) {
                        mine.remove(random.nextInt(mine.size())).close();
                    }
                }
                default -> limiter.disconnect("127.0.0." + host);
            }
        } catch (final SessionLimitExceededException refused) {
            refusalsSeen.incrementAndGet();
        } catch (final IllegalStateException endedMeanwhile) {
            // the connection was ended by a disconnect, a timer, or never admitted: an expected race
        } catch (final IndexOutOfBoundsException noConnection) {
            // nothing held yet
        }
    }

    private static SessionConnection any(final Random random, final List<SessionConnection> mine) {
        if (mine.isEmpty()) {
            throw new IndexOutOfBoundsException("no connection held yet");
        }
        return mine.get(random.nextInt(mine.size()));
    }
}
