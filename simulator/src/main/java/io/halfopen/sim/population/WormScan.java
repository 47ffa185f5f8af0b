package io.halfopen.sim.population;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenTimeoutException;
import io.halfopen.limiter.QueueTimeoutException;
import io.halfopen.sim.host.Ending;
import io.halfopen.sim.net.Answer;
import io.halfopen.sim.net.TcpModel;

/**
 * One scan of a worm's thread from the moment it asks the limiter for a slot until it ends: the limiter's
 * {@link AttemptListener}, and what the network will answer. While it waits in the limiter's queue it is all the
 * simulator keeps of the thread (40 bytes, beside the limiter's own attempt): the event of its answer, a
 * {@link ScanEnd}, exists only while it is in flight. Reused through the epidemic's pool once it has ended (the
 * limiter calls a listener no more after its attempt's end). Confined to the simulation's thread.
 */
final class WormScan implements AttemptListener {

    /** Its thread's worm, while not in the pool. */
    Worm worm;
    long rtt;
    int target;
    Answer answer;
    /** The event of its answer, while in flight. */
    private ScanEnd end;
    /** The next scan in the epidemic's pool, while in it. */
    WormScan nextFree;

    @Override
    public void granted(final ConnectAttempt attempt) {
        final Epidemic epidemic = worm.epidemic();
        epidemic.countScan();
        final TcpModel tcp = worm.host().tcp();
        final long endNanos = tcp.endNanos(answer, rtt, 0);
        end = epidemic.scanEnd(this, attempt, tcp.effective(answer, endNanos));
        worm.host().loop().after(end, endNanos);
    }

    @Override
    public void failed(final ConnectAttempt failed, final HalfOpenLimitException cause) {
        if (worm.retriesAtOnce() && failed.queueWait().isZero()) {
            worm.epidemic().endedAtOnce(worm, cause);
        }
        finish(cause instanceof QueueTimeoutException ? Ending.QUEUE_TIMEOUT : Ending.REJECTED);
    }

    @Override
    public void abort(final ConnectAttempt aborted, final HalfOpenTimeoutException cause) {
        end.cancel();
        aborted.aborted();
        finish(Ending.TIMED_OUT);
    }

    /** The network's answer came (or the stack gave up), and the limiter has been told; or it never went out. */
    void finish(final Ending ending) {
        final Epidemic epidemic = worm.epidemic();
        final ScanEnd e = end;
        end = null;
        if (e != null) {
            epidemic.release(e);
        }
        epidemic.ended(this, ending);
    }
}
