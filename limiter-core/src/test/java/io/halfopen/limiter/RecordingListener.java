package io.halfopen.limiter;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link AttemptListener} that records what it was told, for tests. Thread-safe. */
class RecordingListener implements AttemptListener {

    final List<ConnectAttempt> granted = new CopyOnWriteArrayList<>();
    final List<HalfOpenLimitException> failures = new CopyOnWriteArrayList<>();
    final List<HalfOpenTimeoutException> aborts = new CopyOnWriteArrayList<>();

    @Override
    public void granted(final ConnectAttempt attempt) {
        granted.add(attempt);
    }

    @Override
    public void failed(final ConnectAttempt attempt, final HalfOpenLimitException cause) {
        failures.add(cause);
    }

    @Override
    public void abort(final ConnectAttempt attempt, final HalfOpenTimeoutException cause) {
        aborts.add(cause);
    }

    boolean wasGranted() {
        return !granted.isEmpty();
    }
}
