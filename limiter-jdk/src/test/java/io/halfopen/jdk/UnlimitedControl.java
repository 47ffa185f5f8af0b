package io.halfopen.jdk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.testkit.SynSentVerdict;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The control run of a storm: the same connects to dropping peers without the limiter must hold more sockets in
 * SYN_SENT than the limit, by the kernel's judge, or the storm's "never more than the limit" would prove nothing.
 */
final class UnlimitedControl {

    /** One connect of the control, which fails when its own connect timeout runs out. */
    @FunctionalInterface
    interface Attempt {
        void run(InetSocketAddress peer) throws Exception;
    }

    private UnlimitedControl() {
    }

    static void assertExceedsTheLimit(final String label, final int limit, final int connects,
            final List<InetSocketAddress> dropping, final Attempt attempt) throws Exception {
        final SynSentVerdict kernel = Storm.fire(label, dropping, connects, i -> () -> {
            attempt.run(dropping.get(i % dropping.size()));
            return null;
        }).kernel();
        System.out.println(label + " without the limiter: kernel " + kernel.describe(limit));
        assertTrue(kernel.peak() > limit, () -> label + ": the control must exceed the limit " + limit + ": "
                + kernel.summary(limit));
    }
}
