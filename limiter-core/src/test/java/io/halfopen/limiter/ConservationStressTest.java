package io.halfopen.limiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Randomized conservation and order stress: 600,000 attempts from four owner threads against one limiter,
 * at one slot and at four, with
 * random outcomes, cancellations while queued and while half-open, queue timeouts, half-open timeouts,
 * a bounded queue (rejections), and reports made on the owner's thread, on the thread that granted the slot,
 * on the timer thread and on a separate reporter thread, often two of them racing for the same attempt.
 *
 * <h2>Why a virtual clock advanced by its own thread</h2>
 * With the system clock on two busy shared cores, a queue timeout of a few milliseconds fires for almost
 * every waiter or for almost none, depending on the load of the moment, and every attempt would park a task
 * in the process-wide timer. A {@link VirtualClock} advanced in small steps by a dedicated thread makes
 * timeouts a steady fraction of the attempts whatever the load, while the timer callbacks (queue timeout,
 * half-open timeout, abort) still run on a thread of their own, concurrently with grants and reports, as the
 * system scheduler's do.
 *
 * <h2>What is checked afterwards</h2>
 * Nothing half-open and nothing queued; every attempt ended exactly once (one {@code attemptEnded} per
 * attempt, identity-checked, and the terminal counters sum to the attempts created); every winning report is
 * counted once in the stats; the peak never exceeded the limit, by the limiter's own peak and by an
 * independent count of granted-and-not-yet-reported attempts; and exactly {@code maxHalfOpen} fresh attempts
 * are granted at once, the next one queues.
 */
class ConservationStressTest {

    /**
     * The queue bound: at one slot 14 of the owners' 20 outstanding attempts; at more slots twice the slots, so
     * that the bound is reached (rejections) however fast the machine runs. With 14 at four slots a quiet CI
     * machine finished 600,000 attempts in 790 ms with a queue peak of 13 and not one rejection.
     */
    private static int maxQueued(final int slots) {
        return slots == 1 ? 14 : 2 * slots;
    }
    private static final int OWNERS = 4;
    private static final int ATTEMPTS_PER_OWNER = 150_000;
    private static final int OUTSTANDING_PER_OWNER = 5;
    private static final long CLOCK_STEP_NANOS = TimeUnit.MICROSECONDS.toNanos(10);
    private static final Duration QUEUE_TIMEOUT = Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(30));
    private static final Duration HALF_OPEN_TIMEOUT = Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(100));
    private static final long TIME_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(55);
    private static final RuntimeException CONNECT_FAILURE = new RuntimeException("stress: no route", null, false,
            false) {
        private static final long serialVersionUID = 1L;
    };
    private static final InetSocketAddress REMOTE;

    static {
        try {
            REMOTE = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 2}), 25);
        } catch (final UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private enum Outcome { ESTABLISHED, REFUSED, FAILED, ABORTED, CANCEL }

    private static final Outcome[] OUTCOMES = Outcome.values();

    // ------------------------------------------------------------------ shared observations
    private final AtomicInteger halfOpenNow = new AtomicInteger();
    private final AtomicInteger halfOpenMaxObserved = new AtomicInteger();
    private final LongAdder[] wins = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
            new LongAdder()};
    private final LongAdder queueTimeoutCallbacks = new LongAdder();
    private final LongAdder queueFullCallbacks = new LongAdder();
    private final LongAdder otherFailureCallbacks = new LongAdder();
    private final LongAdder abortCallbacks = new LongAdder();
    private final LongAdder endedCallbacks = new LongAdder();
    private final LongAdder reportRaces = new LongAdder();
    private final AtomicInteger endedTwice = new AtomicInteger();
    private final ConcurrentHashMap<ConnectAttempt, Integer> endedCount = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Tracked> handedOff = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private volatile boolean ownersDone;

    /** The slots of this run; at one slot the FIFO order is checked as well (see {@link Tracked#granted}). */
    private int maxHalfOpen;
    /** Attempts whose newAttempt returned QUEUED and that are not known to have left the queue yet. */
    private final java.util.Set<Tracked> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private final ThreadLocal<Tracked> creating = new ThreadLocal<>();
    private final LongAdder fifoChecks = new LongAdder();
    private final AtomicReference<String> fifoViolation = new AtomicReference<>();

    @ParameterizedTest(name = "{0} slot(s)")
    @ValueSource(ints = {1, 4})
    void randomAttemptsConserveSlotsEndExactlyOnceAndQueueInOrder(final int slots) throws InterruptedException {
        maxHalfOpen = slots;
        final VirtualClock clock = new VirtualClock();
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder()
                .clock(clock)
                .maxHalfOpen(maxHalfOpen)
                .maxQueued(maxQueued(slots))
                .queueTimeout(QUEUE_TIMEOUT)
                .halfOpenTimeout(HALF_OPEN_TIMEOUT)
                .limitEvents(LimitEventMode.NEVER) // keeps thousands of event-4226 log lines out of the build
                .listener(new LimiterListener() {
                    @Override
                    public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait,
                            final Duration halfOpen) {
                        endedCallbacks.increment();
                        if (endedCount.merge(attempt, 1, Integer::sum) > 1) { // atomic per key
                            endedTwice.incrementAndGet();
                        }
                    }
                })
                .build();
        final long start = System.nanoTime();
        final long deadline = start + TIME_LIMIT_NANOS;
        final long[] created = new long[OWNERS];

        final Thread ticker = thread("virtual-clock", () -> {
            while (!ownersDone) {
                clock.advance(CLOCK_STEP_NANOS, TimeUnit.NANOSECONDS);
                Thread.yield();
            }
        });
        final Thread reporter = thread("reporter", () -> {
            while (true) {
                final Tracked next = handedOff.poll();
                if (next != null) {
                    next.report(randomOutcome());
                } else if (ownersDone) {
                    return;
                } else {
                    Thread.yield();
                }
            }
        });
        final Thread[] owners = new Thread[OWNERS];
        for (int i = 0; i < OWNERS; i++) {
            final int owner = i;
            owners[i] = thread("owner-" + i, () -> created[owner] = runOwner(limiter, deadline));
        }
        for (final Thread owner : owners) {
            owner.join();
        }
        ownersDone = true;
        ticker.join();
        reporter.join();
        final long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        if (firstError.get() != null) {
            throw new AssertionError("a stress thread failed", firstError.get());
        }

        long attempts = 0;
        for (final long n : created) {
            attempts += n;
        }
        final LimiterStats stats = limiter.stats();
        final long cancelledInQueue = attempts - stats.granted() - stats.queueTimeouts() - stats.rejected();
        System.out.printf("[stress] %d attempts, %d owner threads (+ granting threads, a reporter and a clock"
                        + " thread), %d ms, %d virtual ms%n",
                attempts, OWNERS, elapsedMillis, TimeUnit.NANOSECONDS.toMillis(clock.nanoTime()));
        System.out.printf("[stress] granted=%d established=%d refused=%d failed=%d timedOut=%d cancelled=%d"
                        + " (in queue %d, half-open %d) queueTimeouts=%d rejected=%d halfOpenTimeouts=%d"
                        + " peakHalfOpen=%d peakQueued=%d reportRaces=%d%n",
                stats.granted(), stats.established(), stats.refused(), stats.failed(), stats.timedOut(),
                stats.cancelled(), cancelledInQueue, stats.cancelled() - cancelledInQueue, stats.queueTimeouts(),
                stats.rejected(), stats.halfOpenTimeouts(), stats.peakHalfOpen(), stats.peakQueued(),
                reportRaces.sum());

        assertTrue(System.nanoTime() < deadline, "the stress run exceeded its time limit");
        assertEquals((long) OWNERS * ATTEMPTS_PER_OWNER, attempts, "attempts created");
        assertEquals(0, stats.halfOpen(), "half-open at the end");
        assertEquals(0, stats.queued(), "queued at the end");
        assertEquals(0, halfOpenNow.get(), "independently counted half-open at the end");

        // every attempt ended exactly once
        assertEquals(attempts, endedCallbacks.sum(), "attemptEnded callbacks");
        assertEquals(0, endedTwice.get(), "attempts that ended twice");
        assertTrue(endedCount.isEmpty(), "attempts ended after their owner retired them: " + endedCount.size());
        assertEquals(attempts, stats.queueTimeouts() + stats.rejected() + stats.cancelled() + stats.established()
                + stats.refused() + stats.failed() + stats.timedOut(), "sum of terminal counters");

        // each winning report counted once, each callback matches its counter
        assertEquals(wins[Outcome.ESTABLISHED.ordinal()].sum(), stats.established(), "established");
        assertEquals(wins[Outcome.REFUSED.ordinal()].sum(), stats.refused(), "refused");
        assertEquals(wins[Outcome.FAILED.ordinal()].sum(), stats.failed(), "failed");
        assertEquals(wins[Outcome.CANCEL.ordinal()].sum() + wins[Outcome.ABORTED.ordinal()].sum(),
                stats.cancelled() + stats.timedOut(), "cancelled + timed out (a cancel while aborting is a timeout)");
        assertEquals(queueTimeoutCallbacks.sum(), stats.queueTimeouts(), "queue timeouts");
        assertEquals(queueFullCallbacks.sum(), stats.rejected(), "rejections");
        assertEquals(0, otherFailureCallbacks.sum(), "failures other than queue timeout and queue full");
        assertEquals(abortCallbacks.sum(), stats.halfOpenTimeouts(), "half-open timeouts");

        // FIFO (checked at one slot, where it is observable without false alarms; see Tracked.granted)
        assertEquals(null, fifoViolation.get());
        if (maxHalfOpen == 1) {
            assertTrue(fifoChecks.sum() > 10_000, "too few grants checked for order: " + fifoChecks.sum());
        }

        // never more than the limit
        assertTrue(stats.peakHalfOpen() <= maxHalfOpen, "peak " + stats.peakHalfOpen());
        assertTrue(halfOpenMaxObserved.get() <= maxHalfOpen,
                "independently observed half-open peak " + halfOpenMaxObserved.get());

        // the run exercised every path it claims to
        assertTrue(stats.queueTimeouts() > 0, "no queue timeout happened");
        assertTrue(stats.halfOpenTimeouts() > 0, "no half-open timeout happened");
        assertTrue(stats.rejected() > 0, "no rejection happened");
        assertTrue(cancelledInQueue > 0, "no cancellation in the queue happened");
        assertTrue(stats.cancelled() - cancelledInQueue > 0, "no cancellation while half-open happened");
        assertTrue(reportRaces.sum() > 0, "no two reports raced");

        // exactly maxHalfOpen fresh attempts go at once, the next queues
        final List<ConnectAttempt> fresh = new ArrayList<>();
        for (int i = 0; i < maxHalfOpen; i++) {
            final ConnectAttempt attempt = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
            assertEquals(AttemptState.HALF_OPEN, attempt.state(), "fresh attempt " + i);
            fresh.add(attempt);
        }
        final ConnectAttempt oneTooMany = limiter.newAttempt(REMOTE, new AttemptRacesLincheckTest.Recorder());
        assertEquals(AttemptState.QUEUED, oneTooMany.state(), "a slot was duplicated");
        assertTrue(oneTooMany.cancel());
        for (final ConnectAttempt attempt : fresh) {
            assertTrue(attempt.established());
        }
        assertEquals(0, limiter.stats().halfOpen());
    }

    /** One owner: keeps a few attempts outstanding, acts on them at random, then ends all it still has. */
    private long runOwner(final HalfOpenLimiter limiter, final long deadline) {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final List<Tracked> mine = new ArrayList<>();
        long created = 0;
        while (created < ATTEMPTS_PER_OWNER && System.nanoTime() < deadline) {
            if (mine.size() < OUTSTANDING_PER_OWNER && random.nextInt(100) < 60) {
                final Tracked tracked = new Tracked();
                tracked.calledAt = sequence.incrementAndGet();
                creating.set(tracked);
                final ConnectAttempt attempt = limiter.newAttempt(REMOTE, tracked);
                creating.remove();
                tracked.attempt = attempt;
                if (maxHalfOpen == 1 && attempt.state() == AttemptState.QUEUED) {
                    tracked.queuedAt = sequence.incrementAndGet(); // returned QUEUED: in line from now on
                    waiting.add(tracked);
                }
                mine.add(tracked);
                created++;
                continue;
            }
            if (mine.isEmpty()) {
                continue;
            }
            final int i = random.nextInt(mine.size());
            final Tracked tracked = mine.get(i);
            final AttemptState state = tracked.attempt.state();
            if (state.isTerminal()) {
                retire(mine, i);
            } else if (state == AttemptState.QUEUED) {
                if (random.nextInt(1000) < 3) {
                    tracked.report(Outcome.CANCEL); // may also win after a grant: then it frees the slot
                } else {
                    Thread.yield(); // let the threads that hold slots run
                }
            } else {
                final int roll = random.nextInt(100);
                if (roll < 60) {
                    tracked.report(randomOutcome());
                } else if (roll < 70) {
                    handedOff.add(tracked); // the reporter thread and this one race to report
                    tracked.report(randomOutcome());
                }
            }
        }
        while (!mine.isEmpty() && System.nanoTime() < deadline) {
            for (int i = mine.size() - 1; i >= 0; i--) {
                final Tracked tracked = mine.get(i);
                final AttemptState state = tracked.attempt.state();
                if (state.isTerminal()) {
                    retire(mine, i);
                } else if (state == AttemptState.QUEUED) {
                    tracked.report(Outcome.CANCEL);
                } else {
                    tracked.report(randomOutcome());
                }
            }
            Thread.yield();
        }
        return created;
    }

    /** Drops an ended attempt once its attemptEnded was seen; checks it was seen exactly once so far. */
    private void retire(final List<Tracked> mine, final int index) {
        final ConnectAttempt attempt = mine.get(index).attempt;
        final Integer ended = endedCount.remove(attempt);
        if (ended == null) {
            return; // terminal, but its attemptEnded has not run yet: look again later
        }
        if (ended != 1) {
            endedTwice.incrementAndGet();
        }
        mine.set(index, mine.get(mine.size() - 1));
        mine.remove(mine.size() - 1);
    }

    private static Outcome randomOutcome() {
        return OUTCOMES[ThreadLocalRandom.current().nextInt(OUTCOMES.length)];
    }

    private Thread thread(final String name, final Runnable body) {
        final Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (final Throwable t) {
                firstError.compareAndSet(null, t);
                ownersDone = true;
            }
        }, name);
        thread.start();
        return thread;
    }

    /**
     * One attempt's owner callbacks and an independent half-open count. {@code counted}: 0 not counted, 1
     * counted as half-open, 2 being ended. The grant callback counts the attempt (0 → 1, then increments); a
     * party about to end it decrements first and then moves it to 2, so the count never runs ahead of the
     * slots really held, and a second party reaches the limiter only after the first one's decrement.
     */
    private final class Tracked implements AttemptListener {
        volatile ConnectAttempt attempt;
        volatile long calledAt;
        volatile long queuedAt = Long.MAX_VALUE;
        final AtomicInteger counted = new AtomicInteger();

        @Override
        public void granted(final ConnectAttempt granted) {
            attempt = granted;
            if (maxHalfOpen == 1) {
                checkNobodyEarlierStillWaits(creating.get() == this);
            }
            if (counted.compareAndSet(0, 1)) {
                halfOpenMaxObserved.accumulateAndGet(halfOpenNow.incrementAndGet(), Math::max);
            }
            final int roll = ThreadLocalRandom.current().nextInt(100);
            if (roll < 20) {
                report(randomOutcome()); // on the granting thread: usually another owner's, inside its report
            } else if (roll < 45) {
                handedOff.add(this);
            }
        }

        @Override
        public void failed(final ConnectAttempt failed, final HalfOpenLimitException cause) {
            attempt = failed;
            if (cause instanceof QueueTimeoutException) {
                queueTimeoutCallbacks.increment();
            } else if (cause instanceof QueueFullException) {
                queueFullCallbacks.increment();
            } else {
                otherFailureCallbacks.increment();
            }
        }

        @Override
        public void abort(final ConnectAttempt aborting, final HalfOpenTimeoutException cause) {
            attempt = aborting;
            abortCallbacks.increment();
            if (ThreadLocalRandom.current().nextBoolean()) {
                report(Outcome.ABORTED); // on the clock's thread
            } else {
                handedOff.add(this);
            }
        }

        /**
         * FIFO, at one slot: this attempt got the only permit, at once or from a hand-off, so every attempt that
         * was already in line when this one's newAttempt was called ({@code queuedAt < calledAt}) must have been
         * granted or have left the queue by then. States only move forward, so one still QUEUED now was QUEUED
         * at the grant: a violation, never a false alarm. (With more slots, another permit's hand-off to an
         * earlier waiter may legitimately still be on its way.)
         */
        private void checkNobodyEarlierStillWaits(final boolean atOnce) {
            waiting.remove(this);
            for (final Tracked earlier : waiting) {
                if (earlier.queuedAt < calledAt && earlier.attempt.state() == AttemptState.QUEUED) {
                    fifoViolation.compareAndSet(null, (atOnce ? "an attempt granted at once barged past "
                            : "a waiter was granted before ") + "an earlier waiter still queued: " + earlier.attempt);
                }
                if (earlier.attempt.state() != AttemptState.QUEUED) {
                    waiting.remove(earlier);
                }
            }
            fifoChecks.increment();
        }

        void report(final Outcome outcome) {
            beginEnd();
            final ConnectAttempt target = attempt;
            final boolean won = switch (outcome) {
                case ESTABLISHED -> target.established();
                case REFUSED -> target.refused();
                case FAILED -> target.failed(CONNECT_FAILURE);
                case ABORTED -> target.aborted();
                case CANCEL -> target.cancel();
            };
            if (won) {
                wins[outcome.ordinal()].increment();
            } else {
                reportRaces.increment();
            }
        }

        private void beginEnd() {
            while (true) {
                final int state = counted.get();
                if (state == 2) {
                    return;
                }
                if (state == 0) {
                    if (counted.compareAndSet(0, 2)) {
                        return;
                    }
                } else {
                    halfOpenNow.decrementAndGet();
                    if (counted.compareAndSet(1, 2)) {
                        return;
                    }
                    halfOpenNow.incrementAndGet(); // someone else ends it, and decremented for it
                }
            }
        }
    }
}
