package io.halfopen.micrometer;

import io.halfopen.limiter.AttemptListener;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimitException;
import io.halfopen.limiter.HalfOpenTimeoutException;

/** The owner of an attempt in these tests: issues no connect; on a half-open timeout it closes "its socket" at once. */
final class Owner implements AttemptListener {

    @Override
    public void granted(final ConnectAttempt attempt) {
    }

    @Override
    public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
    }

    @Override
    public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
        attempt.aborted();
    }
}
