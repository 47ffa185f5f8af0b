package io.halfopen.jdk;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** A connect storm: {@code n} calls, each on its own platform thread, released together. */
final class Storm {

    private Storm() {
    }

    /**
     * Runs the calls and returns, in order, each one's result or the {@link Throwable} it ended with; fails if
     * any call has not ended within a minute.
     */
    static List<Object> fire(final String name, final int n, final IntFunction<Callable<Object>> call)
            throws Exception {
        final CountDownLatch go = new CountDownLatch(1);
        final List<CompletableFuture<Object>> outcomes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final Callable<Object> one = call.apply(i);
            final CompletableFuture<Object> outcome = new CompletableFuture<>();
            outcomes.add(outcome);
            new Thread(() -> {
                try {
                    go.await();
                    outcome.complete(one.call());
                } catch (final Throwable t) {
                    outcome.complete(t);
                }
            }, name + "-" + i).start();
        }
        go.countDown();
        final List<Object> ended = new ArrayList<>();
        for (final CompletableFuture<Object> outcome : outcomes) {
            ended.add(outcome.get(60, TimeUnit.SECONDS)); // every call ends
        }
        return ended;
    }
}
