package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Test helper: stalls an event loop in a task of its own until the test lets it go. */
final class LoopHold {

    private LoopHold() {
    }

    /**
     * Makes {@code loop} run a task that waits until the returned latch is released; returns once it runs.
     *
     * @param loop the loop to stall
     * @return the latch whose {@code countDown()} lets the loop go on
     */
    static CountDownLatch hold(final EventExecutor loop) throws InterruptedException {
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            running.countDown();
            try {
                release.await();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(running.await(10, TimeUnit.SECONDS), "the loop never ran the holding task");
        return release;
    }
}
