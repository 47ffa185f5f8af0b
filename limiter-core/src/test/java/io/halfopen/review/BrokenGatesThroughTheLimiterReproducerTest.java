package io.halfopen.review;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.AttemptState;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.limiter.LimitEventMode;
import io.halfopen.limiter.LimiterClosedException;
import io.halfopen.review.LockedFifoCapPolicy.Flaw;
import io.halfopen.time.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 10: what the gates that pass {@code AdmissionGateContract} (see
 * {@link GateContractKnownBadReproducerTest}) do inside the real limiter.
 *
 * <ul>
 *   <li><b>Reproducer of finding 3</b> (misleading doc, waiters never failed): {@link io.halfopen.policy.AdmissionGate#forEachQueued}'s
 *       javadoc does not say that the limiter's action withdraws the ticket from this gate, on this thread,
 *       before {@code forEachQueued} returns (and may grant the next waiter from there). A gate that runs the
 *       action while iterating its queue under its lock, which nothing in the javadoc forbids, makes
 *       {@code HalfOpenLimiter.close()} throw {@link java.util.ConcurrentModificationException} after the first
 *       waiter: the others are never failed, {@code gate.close()} is never called, and a second {@code close()}
 *       does nothing.</li>
 *   <li><b>Reproducer of finding 4</b> (hang): a gate that offers under a non-reentrant lock (rule 5, which the
 *       contract cannot check) deadlocks the thread whose report frees the slot, as soon as the next owner reports
 *       inside its grant callback.</li>
 *   <li><b>Reproducer of finding 5</b> (FIFO broken): a gate that claims FIFO and releases its waiters from a
 *       timer lets a newcomer take the freed slot first.</li>
 * </ul>
 *
 * <p>Run: {@code ./mvnw -B -o -pl limiter-core -am verify -Dtest='BrokenGatesThroughTheLimiterReproducerTest'
 * -Dsurefire.failIfNoSpecifiedTests=false}
 *
 * @see io.halfopen.policy.AdmissionGate
 */
@DisplayName("Review: gates that pass the contract, inside the limiter")
class BrokenGatesThroughTheLimiterReproducerTest {

    private final VirtualClock clock = new VirtualClock();

    private static InetSocketAddress remote(final int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 9}), port);
        } catch (final UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private HalfOpenLimiter limiter(final Flaw flaw) {
        return HalfOpenLimiter.builder().clock(clock).policy(new LockedFifoCapPolicy(1, flaw))
                .limitEvents(LimitEventMode.NEVER).build();
    }

    /** Records failures; reports at once inside its grant callback if told to. */
    private static final class Owner implements AttemptListener {
        final List<HalfOpenLimitException> failures = new CopyOnWriteArrayList<>();
        final boolean refusesAtOnce;

        Owner(final boolean refusesAtOnce) {
            this.refusesAtOnce = refusesAtOnce;
        }

        @Override
        public void granted(final ConnectAttempt attempt) {
            if (refusesAtOnce) {
                attempt.refused(); // an instant RST, or a socket that could not even be created
            }
        }

        @Override
        public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
            failures.add(cause);
        }

        @Override
        public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
        }
    }

    @Test
    void reproducerOfFinding3_closeFailsEveryQueuedAttemptOfAGateThatIteratesItsQueueUnderItsLock() {
        final HalfOpenLimiter limiter = limiter(Flaw.ITERATES_UNDER_ITS_LOCK);
        limiter.newAttempt(remote(1), new Owner(false));
        final List<Owner> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            final Owner owner = new Owner(false);
            waiters.add(owner);
            assertEquals(AttemptState.QUEUED, limiter.newAttempt(remote(2 + i), owner).state());
        }
        assertDoesNotThrow(limiter::close, "close() threw out of the gate's forEachQueued");
        for (final Owner owner : waiters) {
            assertEquals(1, owner.failures.size(), "every queued attempt fails on close");
            assertInstanceOf(LimiterClosedException.class, owner.failures.get(0));
        }
    }

    @Test
    void reproducerOfFinding4_aReportInsideAGrantCallbackDoesNotDeadlockAGateThatOffersUnderItsLock()
            throws InterruptedException {
        final HalfOpenLimiter limiter = limiter(Flaw.OFFERS_UNDER_A_NON_REENTRANT_LOCK);
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new Owner(false));
        limiter.newAttempt(remote(2), new Owner(true)); // queued; refuses as soon as it is granted
        final Thread reporter = new Thread(holder::established, "reporter");
        reporter.setDaemon(true); // left deadlocked on main
        reporter.start();
        reporter.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(reporter.isAlive(), "established() deadlocked: the gate offered under its lock, the next"
                + " owner's refused() re-entered exit() on the same thread");
    }

    @Test
    void reproducerOfFinding5_aGateThatClaimsFifoGivesAFreedSlotToTheOldestWaiterNotToANewcomer() {
        final HalfOpenLimiter limiter = limiter(Flaw.BARGES);
        final ConnectAttempt holder = limiter.newAttempt(remote(1), new Owner(false));
        final ConnectAttempt oldest = limiter.newAttempt(remote(2), new Owner(false));
        assertEquals(AttemptState.QUEUED, oldest.state());
        holder.established(); // the gate releases the oldest from its timer
        final ConnectAttempt newcomer = limiter.newAttempt(remote(3), new Owner(false));
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(AttemptState.HALF_OPEN, oldest.state(), "the oldest waiter got the freed slot");
        assertEquals(AttemptState.QUEUED, newcomer.state(), "the newcomer waits behind it");
    }
}
