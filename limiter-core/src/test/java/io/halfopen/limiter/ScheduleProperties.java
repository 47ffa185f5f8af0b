package io.halfopen.limiter;

import static io.halfopen.limiter.Addresses.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.policy.AdmissionPolicy;
import io.halfopen.time.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based: no accepted configuration and no schedule of operations in virtual time (new attempts,
 * every kind of report, cancellations, time passing past queue and half-open timeouts, close) breaks
 * conservation, exactly-once or FIFO. After every operation, on one thread (so every state is quiescent):
 * <ul>
 *   <li>conservation: the limiter's half-open count is the number of attempts holding a slot, its queued
 *       count the number waiting, never more than the cap hold slots, and nobody waits while a slot is
 *       free;</li>
 *   <li>exactly once: every ended attempt was reported to the listeners once, and no attempt was both granted
 *       and failed, or told to abort before it was granted;</li>
 *   <li>FIFO: an attempt is granted only when every attempt that queued before it was granted or left.</li>
 * </ul>
 */
class ScheduleProperties {

    /** One limiter configuration the builder accepts. */
    record Config(int maxHalfOpen, boolean unlimited, int maxQueued, int queueTimeoutMillis,
            int halfOpenTimeoutMillis) {
        HalfOpenLimiterBuilder apply(final HalfOpenLimiterBuilder builder) {
            if (unlimited) {
                builder.policy(AdmissionPolicy.unlimited());
            } else {
                builder.maxHalfOpen(maxHalfOpen);
            }
            if (maxQueued >= 0) {
                builder.maxQueued(maxQueued);
            }
            if (queueTimeoutMillis > 0) {
                builder.queueTimeout(Duration.ofMillis(queueTimeoutMillis));
            }
            return builder.halfOpenTimeout(Duration.ofMillis(halfOpenTimeoutMillis));
        }

        int cap() {
            return unlimited ? Integer.MAX_VALUE : maxHalfOpen;
        }
    }

    enum Kind { NEW, ESTABLISHED, REFUSED, FAILED, ABORTED, CANCEL, ADVANCE, CLOSE }

    /** One operation: what, and a number that picks the attempt or the time to pass. */
    record Op(Kind kind, int arg) {
    }

    @Provide
    Arbitrary<Config> configs() {
        return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.of(false, false, false, true),
                Arbitraries.integers().between(-1, 4), Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(1, 60)).as(Config::new);
    }

    @Provide
    Arbitrary<List<Op>> schedules() {
        final Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, Arbitraries.just(Kind.NEW)),
                net.jqwik.api.Tuple.of(10, Arbitraries.just(Kind.ESTABLISHED)),
                net.jqwik.api.Tuple.of(8, Arbitraries.just(Kind.REFUSED)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.FAILED)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.ABORTED)),
                net.jqwik.api.Tuple.of(10, Arbitraries.just(Kind.CANCEL)),
                net.jqwik.api.Tuple.of(15, Arbitraries.just(Kind.ADVANCE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.CLOSE)));
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 100)).as(Op::new).list().ofMinSize(1)
                .ofMaxSize(80);
    }

    /** An attempt's owner, recording what it was told and checking the order of grants as they happen. */
    private final class Owner implements AttemptListener {
        final int index;
        ConnectAttempt attempt;
        boolean queuedWhenCreated;
        int granted;
        int failed;
        int aborts;

        Owner(final int index) {
            this.index = index;
        }

        @Override
        public void granted(final ConnectAttempt granting) {
            granted++;
            for (final Owner earlier : owners) {
                if (earlier.index < index && earlier.attempt != null && earlier.queuedWhenCreated
                        && earlier.attempt.state() == AttemptState.QUEUED) {
                    violations.add("attempt " + index + " was granted while attempt " + earlier.index
                            + ", queued before it, still waited");
                }
            }
        }

        @Override
        public void failed(final ConnectAttempt failing, final HalfOpenLimitException cause) {
            failed++;
        }

        @Override
        public void abort(final ConnectAttempt aborting, final HalfOpenTimeoutException cause) {
            aborts++;
            if (granted == 0) {
                violations.add("attempt " + index + " was told to abort before it was granted");
            }
        }
    }

    private final List<Owner> owners = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<ConnectAttempt, Integer> ends = new IdentityHashMap<>();

    @Property(tries = 300)
    void noScheduleBreaksConservationExactlyOnceOrFifo(@ForAll("configs") final Config config,
            @ForAll("schedules") final List<Op> schedule) {
        owners.clear();
        violations.clear();
        ends.clear();
        final VirtualClock clock = new VirtualClock();
        final HalfOpenLimiter limiter = config.apply(HalfOpenLimiter.builder().clock(clock))
                .limitEvents(LimitEventMode.NEVER)
                .listener(new LimiterListener() {
                    @Override
                    public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait,
                            final Duration halfOpen) {
                        ends.merge(attempt, 1, Integer::sum);
                    }
                }).build();
        for (final Op op : schedule) {
            run(limiter, clock, op);
            check(limiter, config, op);
        }
        // wind down: end what holds a slot until nobody waits, then nothing is left
        for (int round = 0; round < 1000 && limiter.stats().halfOpen() + limiter.stats().queued() > 0; round++) {
            for (final Owner owner : new ArrayList<>(owners)) {
                if (owner.attempt.state().holdsSlot()) {
                    owner.attempt.established();
                }
            }
            check(limiter, config, new Op(Kind.ESTABLISHED, -1));
        }
        assertEquals(0, limiter.stats().halfOpen());
        assertEquals(0, limiter.stats().queued());
        final LimiterStats stats = limiter.stats();
        assertEquals(owners.size(), stats.queueTimeouts() + stats.rejected() + stats.cancelled() + stats.established()
                + stats.refused() + stats.failed() + stats.timedOut(), "every attempt ended exactly once: " + stats);
    }

    private void run(final HalfOpenLimiter limiter, final VirtualClock clock, final Op op) {
        if (op.kind() == Kind.NEW) {
            final Owner owner = new Owner(owners.size());
            owners.add(owner);
            owner.attempt = limiter.newAttempt(remote(1 + owner.index % 60000), owner);
            owner.queuedWhenCreated = owner.attempt.state() == AttemptState.QUEUED;
            return;
        }
        if (op.kind() == Kind.ADVANCE) {
            clock.advance(Duration.ofMillis(op.arg()));
            return;
        }
        if (op.kind() == Kind.CLOSE) {
            limiter.close();
            return;
        }
        if (owners.isEmpty()) {
            return;
        }
        final ConnectAttempt attempt = owners.get(op.arg() % owners.size()).attempt;
        if (attempt.state() == AttemptState.QUEUED || op.kind() == Kind.CANCEL) {
            attempt.cancel(); // reports are for attempts that hold a slot; a queued one can only be cancelled
            return;
        }
        switch (op.kind()) {
            case ESTABLISHED -> attempt.established();
            case REFUSED -> attempt.refused();
            case FAILED -> attempt.failed(new IOException("unreachable"));
            case ABORTED -> attempt.aborted();
            default -> throw new AssertionError(op);
        }
    }

    private void check(final HalfOpenLimiter limiter, final Config config, final Op after) {
        int holding = 0;
        int waiting = 0;
        for (final Owner owner : owners) {
            final AttemptState state = owner.attempt.state();
            if (state.holdsSlot()) {
                holding++;
            } else if (state == AttemptState.QUEUED) {
                waiting++;
            }
            final int ended = ends.getOrDefault(owner.attempt, 0);
            assertEquals(state.isTerminal() ? 1 : 0, ended, "attemptEnded calls for attempt " + owner.index
                    + " in " + state + " after " + after);
            assertTrue(owner.granted <= 1 && owner.failed <= 1 && owner.granted + owner.failed <= 1,
                    "attempt " + owner.index + " granted " + owner.granted + ", failed " + owner.failed);
            assertTrue(owner.aborts <= 1, "attempt " + owner.index + " told to abort " + owner.aborts + " times");
        }
        final LimiterStats stats = limiter.stats();
        assertEquals(holding, stats.halfOpen(), "half-open attempts after " + after);
        assertEquals(waiting, stats.queued(), "queued attempts after " + after);
        assertTrue(holding <= config.cap(), holding + " attempts hold slots, the cap is " + config.cap());
        assertTrue(holding == config.cap() || waiting == 0, waiting + " attempts wait while " + holding + " of "
                + config.cap() + " slots are taken, after " + after);
        assertEquals(List.of(), violations);
    }
}
