package io.halfopen.netty;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.netty.channel.EventLoop;

/**
 * The listener a {@link LimitedConnect} gives the limiter: it forwards every callback to the connect until the
 * connect ends, then lets go of it. The limiter may keep an ended attempt reachable for a while (a cancelled
 * waiter's ticket stays in its queue cell until the waiters ahead of it are served; a cancelled timer stays in
 * a scheduler's queue until it would have fired), and with it its listener; detached, that listener holds
 * nothing, so the channel, its pipeline and its attributes are collectable as soon as the connect ends.
 *
 * <p>It is also the connect's half-open timer ({@link SynStartedTimer}): the limiter holds both, and one object
 * costs a connect less than two. Detaching lets go of the connect, not of the timer's state, so the limiter still
 * cancels a started timer after the connect ended.
 *
 * <p>A callback after {@link #detach()} does what the ended connect would have done: a grant is given back at
 * once, a failure or an abort is ignored. Thread-safe: {@code target} is volatile, written once to {@code null}.
 */
final class DetachableListener extends SynStartedTimer implements AttemptListener {

    private volatile LimitedConnect target;

    DetachableListener(final LimitedConnect target, final EventLoop loop) {
        super(loop);
        this.target = target;
    }

    /** Lets go of the connect, which has ended. */
    void detach() {
        target = null;
    }

    /** {@return whether the connect has been let go of} */
    boolean isDetached() {
        return target == null;
    }

    @Override
    public void granted(final ConnectAttempt attempt) {
        final LimitedConnect connect = target;
        if (connect != null) {
            connect.granted(attempt);
        } else {
            attempt.cancel(); // the connect ended: give the slot back, as it would have
        }
    }

    @Override
    public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
        final LimitedConnect connect = target;
        if (connect != null) {
            connect.failed(attempt, cause);
        }
    }

    @Override
    public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
        final LimitedConnect connect = target;
        if (connect != null) {
            connect.abort(attempt, cause);
        }
    }
}
