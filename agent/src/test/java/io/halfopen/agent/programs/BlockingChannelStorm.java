package io.halfopen.agent.programs;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Blocking {@code SocketChannel} connects from one platform thread each, all at once: even ones through
 * {@code SocketChannel.connect} (no timeout), odd ones through the socket adaptor's
 * {@code socket().connect(address, timeout)}. Knows nothing of halfopen.
 * Arguments: {@code timeoutMillis host:port:count ...}.
 */
public final class BlockingChannelStorm {

    private BlockingChannelStorm() {
    }

    public static void main(final String[] args) throws Exception {
        final int timeout = Integer.parseInt(args[0]);
        final List<InetSocketAddress> targets = Targets.parse(args, 1);
        final Targets.Tally tally = new Targets.Tally();
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            final InetSocketAddress target = targets.get(i);
            final boolean adaptor = i % 2 == 1;
            final Thread t = new Thread(() -> {
                try (SocketChannel channel = SocketChannel.open()) {
                    go.await();
                    if (adaptor) {
                        channel.socket().connect(target, timeout);
                    } else {
                        channel.connect(target);
                    }
                    tally.count(channel.isConnected() ? "established" : "notConnected");
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
