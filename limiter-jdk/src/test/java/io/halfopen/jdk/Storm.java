package io.halfopen.jdk;

import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.SynSentVerdict;
import io.halfopen.testkit.SynSentWatch;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A connect storm: {@code n} calls, each on its own platform thread, released together, while the kernel's judge
 * ({@link KernelJudge}: the exact trace as root, else the {@code /proc} sampler; required to trace under
 * {@code CI=true}) watches the sockets in SYN_SENT towards the storm's peers.
 */
final class Storm {

    /** Each call's result or the {@link Throwable} it ended with, in order, and the kernel's verdict. */
    record Outcome(List<Object> results, SynSentVerdict kernel) {
    }

    private Storm() {
    }

    /** Runs the calls under the kernel's watch; fails if any call has not ended within a minute. */
    static Outcome fire(final String label, final Collection<InetSocketAddress> peers, final int n,
            final IntFunction<Callable<Object>> call) throws Exception {
        try (SynSentWatch kernel = KernelJudge.watcher().label(label).watch(peers)) {
            final List<Object> results = fire(label, n, call);
            return new Outcome(results, kernel.stop());
        }
    }

    private static List<Object> fire(final String name, final int n, final IntFunction<Callable<Object>> call)
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

    /** The kernel's verdict on a storm through a limiter of {@code limit}: never above it, and reached. */
    static void assertKernelKeptAndReached(final SynSentVerdict kernel, final int limit) {
        System.out.println(kernel.label() + ": kernel " + kernel.describe(limit));
        kernel.assertNeverAbove(limit);
        kernel.assertReached(limit);
    }

    /** All peers of a storm, as one list. */
    static List<InetSocketAddress> peers(final Object... peersOrLists) {
        final List<InetSocketAddress> all = new ArrayList<>();
        for (final Object p : peersOrLists) {
            if (p instanceof Collection<?> c) {
                c.forEach(one -> all.add((InetSocketAddress) one));
            } else {
                all.add((InetSocketAddress) p);
            }
        }
        return all;
    }
}
