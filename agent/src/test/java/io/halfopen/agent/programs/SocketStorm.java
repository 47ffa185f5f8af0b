package io.halfopen.agent.programs;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A plain {@code java.net.Socket} connect storm: one platform thread per target, all released at once, each
 * {@code connect(address, timeout)} then close. Knows nothing of halfopen.
 * Arguments: {@code timeoutMillis host:port:count ...}.
 */
public final class SocketStorm {

    private SocketStorm() {
    }

    public static void main(final String[] args) throws Exception {
        final int timeout = Integer.parseInt(args[0]);
        final List<InetSocketAddress> targets = Targets.parse(args, 1);
        final Targets.Tally tally = new Targets.Tally();
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (final InetSocketAddress target : targets) {
            final Thread t = new Thread(() -> {
                try {
                    go.await();
                    try (Socket socket = new Socket()) {
                        socket.connect(target, timeout);
                        tally.count("established");
                    }
                } catch (final Exception e) {
                    tally.failure(e);
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (final Thread t : threads) {
            t.join();
        }
        tally.print("threads=" + threads.size());
    }
}
