package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.AttemptState;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.time.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The seam holds a policy that is not a semaphore: a time-driven release of one attempt per interval (the
 * shape of XP's undocumented "fixed rate" and of Williamson's throttle), run in virtual time through the
 * same limiter, and fed each attempt's outcome.
 */
@DisplayName("The admission-policy seam runs a time-driven policy in virtual time and feeds it outcomes")
class PolicySeamTest {

    /** Admits one attempt per interval, in arrival order; a test-only policy. */
    static final class OnePerIntervalPolicy implements AdmissionPolicy {
        final Duration interval;
        final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

        OnePerIntervalPolicy(final Duration interval) {
            this.interval = interval;
        }

        @Override
        public String name() {
            return "one-per-" + interval;
        }

        @Override
        public int maxHalfOpen() {
            return Integer.MAX_VALUE;
        }

        @Override
        public AdmissionGate newGate(final PolicyContext context) {
            final Queue<AdmissionTicket> waiting = new ConcurrentLinkedQueue<>();
            final AtomicInteger halfOpen = new AtomicInteger();
            context.scheduler().schedule(new Runnable() {
                @Override
                public void run() {
                    AdmissionTicket next;
                    while ((next = waiting.poll()) != null) {
                        if (next.tryAdmit()) {
                            halfOpen.incrementAndGet();
                            break;
                        }
                    }
                    context.scheduler().schedule(this, interval.toNanos(), TimeUnit.NANOSECONDS);
                }
            }, interval.toNanos(), TimeUnit.NANOSECONDS);
            return new AdmissionGate() {
                @Override
                public Admission enter(final AdmissionTicket ticket) {
                    if (!ticket.tryWait()) {
                        return Admission.REJECTED;
                    }
                    waiting.add(ticket);
                    return Admission.QUEUED;
                }

                @Override
                public void exit(final AdmissionTicket ticket, final Outcome outcome) {
                    halfOpen.decrementAndGet();
                    outcomes.add(outcome);
                }

                @Override
                public int halfOpen() {
                    return halfOpen.get();
                }

                @Override
                public int peakHalfOpen() {
                    return halfOpen.get();
                }

                @Override
                public void forEachQueued(final java.util.function.Consumer<AdmissionTicket> action) {
                    waiting.forEach(action);
                }
            };
        }
    }

    @Test
    void aTimeDrivenPolicyReleasesOneAttemptPerIntervalAndLearnsEachOutcome() throws Exception {
        final VirtualClock clock = new VirtualClock();
        final OnePerIntervalPolicy policy = new OnePerIntervalPolicy(Duration.ofSeconds(1));
        final HalfOpenLimiter limiter = HalfOpenLimiter.builder().clock(clock).policy(policy).build();
        final List<Long> grantedAtSeconds = new ArrayList<>();
        final List<ConnectAttempt> attempts = new ArrayList<>();
        final AttemptListener owner = new AttemptListener() {
            @Override
            public void granted(final ConnectAttempt attempt) {
                grantedAtSeconds.add(TimeUnit.NANOSECONDS.toSeconds(clock.nanoTime()));
            }

            @Override
            public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
            }

            @Override
            public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
            }
        };
        final InetAddress host = InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 1}); // TEST-NET-2
        for (int i = 0; i < 4; i++) {
            attempts.add(limiter.newAttempt(new InetSocketAddress(host, 25 + i), owner));
        }
        clock.advance(Duration.ofMillis(4500));

        assertEquals(List.of(1L, 2L, 3L, 4L), grantedAtSeconds);
        attempts.get(0).established();
        attempts.get(1).refused();
        attempts.get(2).aborted();
        attempts.get(3).cancel();
        assertEquals(List.of(Outcome.ESTABLISHED, Outcome.REFUSED, Outcome.TIMED_OUT, Outcome.CANCELLED),
                policy.outcomes);
        assertEquals(AttemptState.CANCELLED, attempts.get(3).state());
        assertEquals(0, limiter.stats().halfOpen());
        assertEquals(4, limiter.stats().throttled());
    }
}
