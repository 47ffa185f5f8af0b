package io.halfopen.benchmarks.support;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link AttemptListener} for benchmarks: the benchmark itself reports outcomes on the attempt it got back,
 * so a grant does nothing; failures and half-open timeouts are counted for the tear-down to check (a listener
 * that throws is only logged by the limiter).
 */
public final class Listeners implements AttemptListener {

    private final AtomicInteger unexpected = new AtomicInteger();

    @Override
    public void granted(final ConnectAttempt attempt) {
        // the benchmark reports the outcome after newAttempt returns
    }

    @Override
    public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
        unexpected.incrementAndGet();
    }

    @Override
    public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
        unexpected.incrementAndGet();
    }

    /**
     * Returns how many attempts failed or timed out: always 0 in a correct run.
     *
     * @return the count
     */
    public int unexpected() {
        return unexpected.get();
    }
}
