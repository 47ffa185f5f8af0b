package io.halfopen.jdk;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The control run of a storm: the same connects to dropping peers without the limiter, each on its own thread,
 * must hold more sockets in SYN_SENT than the limit (seen in {@code /proc}, and by the exact trace when run
 * under {@code syn-sent-trace}), or the storm's "never more than the limit" would prove nothing.
 */
final class UnlimitedControl {

    /** One connect of the control, which fails when its own connect timeout runs out. */
    @FunctionalInterface
    interface Attempt {
        void run(InetSocketAddress peer) throws Exception;
    }

    private UnlimitedControl() {
    }

    static void assertExceedsTheLimit(final String name, final int limit, final int connects,
            final List<InetSocketAddress> dropping, final Attempt attempt) throws Exception {
        // NOT YET KERNEL-JUDGED IN THE TEST: until the testkit's KernelJudge is on main, this storm asserts the
        // limiter's own counters and its kernel peak is traced by hand (TracePorts, syn-sent-trace -k).
        TracePorts.print(name, dropping);
        final List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int i = 0; i < connects; i++) {
            final InetSocketAddress peer = dropping.get(i % dropping.size());
            running.add(CompletableFuture.runAsync(() -> {
                try {
                    attempt.run(peer);
                } catch (final Exception expected) {
                    // times out: nothing answers
                }
            }, runnable -> new Thread(runnable, name).start()));
        }
        final int[] most = {0};
        Await.until(() -> (most[0] = Math.max(most[0], SynSentCount.towards(dropping))) > limit,
                Duration.ofSeconds(5), () -> name + " never exceeded " + limit + " in SYN_SENT: " + most[0]);
        CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        System.out.println(name + " without the limiter: " + most[0] + " in SYN_SENT (sampled)");
    }
}
