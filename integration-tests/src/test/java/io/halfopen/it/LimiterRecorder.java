package io.halfopen.it;

import io.halfopen.limiter.AttemptState;
import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.LimitReached;
import io.halfopen.limiter.LimiterListener;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records what the limiter says: every 4226 event, and how long every attempt waited and held its slot.
 * Thread-safe: the limiter calls it from any thread.
 */
final class LimiterRecorder implements LimiterListener {

    /**
     * One ended attempt.
     *
     * @param attempt   the attempt, in its terminal state
     * @param queueWait how long it waited for a slot
     * @param halfOpen  how long it held the slot
     */
    record Ended(ConnectAttempt attempt, Duration queueWait, Duration halfOpen) {
    }

    private final Queue<LimitReached> events = new ConcurrentLinkedQueue<>();
    private final Queue<Ended> ended = new ConcurrentLinkedQueue<>();

    @Override
    public void limitReached(final LimitReached event) {
        events.add(event);
    }

    @Override
    public void attemptEnded(final ConnectAttempt attempt, final Duration queueWait, final Duration halfOpen) {
        ended.add(new Ended(attempt, queueWait, halfOpen));
    }

    /** @return the 4226 events so far */
    List<LimitReached> events() {
        return List.copyOf(events);
    }

    /**
     * Returns the attempts that ended in one state.
     *
     * @param state the terminal state
     * @return those attempts
     */
    List<Ended> ended(final AttemptState state) {
        return ended.stream().filter(e -> e.attempt().state() == state).toList();
    }

    /** @return every ended attempt */
    List<Ended> ended() {
        return List.copyOf(ended);
    }

    /** @return the longest time any attempt held a slot */
    Duration longestHalfOpen() {
        return ended.stream().map(Ended::halfOpen).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** @return the longest time any attempt waited in the queue */
    Duration longestQueueWait() {
        return ended.stream().map(Ended::queueWait).max(Duration::compareTo).orElse(Duration.ZERO);
    }
}
