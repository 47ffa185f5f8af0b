package io.halfopen.benchmarks.support;

import io.halfopen.time.Cancellable;
import io.halfopen.time.Scheduler;
import io.halfopen.time.TimerNode;
import java.util.concurrent.TimeUnit;

/** The no-timer baselines' scheduler: it arms nothing, neither tasks nor timer nodes, so nothing ever fires. */
public final class NoTimers {

    private static final Cancellable NOTHING = () -> { };

    /** A scheduler that arms nothing. Thread-safe (stateless). */
    public static final Scheduler SCHEDULER = new Scheduler() {
        @Override
        public Cancellable schedule(final Runnable task, final long delay, final TimeUnit unit) {
            return NOTHING;
        }

        @Override
        public void arm(final TimerNode node, final long delay, final TimeUnit unit) {
            // never armed: the node's disarm finds nothing to take back
        }

        @Override
        public String toString() {
            return "no timers";
        }
    };

    private NoTimers() {
    }
}
