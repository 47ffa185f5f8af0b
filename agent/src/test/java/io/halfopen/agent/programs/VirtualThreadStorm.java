package io.halfopen.agent.programs;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@link SocketStorm}'s connects, each on a virtual thread (JDK 21+; found by reflection so that this compiles for
 * 17). Knows nothing of halfopen. Arguments: {@code timeoutMillis host:port:count ...}.
 */
public final class VirtualThreadStorm {

    private VirtualThreadStorm() {
    }

    public static void main(final String[] args) throws Exception {
        final int timeout = Integer.parseInt(args[0]);
        final List<InetSocketAddress> targets = Targets.parse(args, 1);
        final Targets.Tally tally = new Targets.Tally();
        final ExecutorService virtual = (ExecutorService) Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        final List<Future<?>> all = new ArrayList<>();
        for (final InetSocketAddress target : targets) {
            all.add(virtual.submit(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(target, timeout);
                    tally.count("established");
                } catch (final Exception e) {
                    tally.failure(e);
                }
            }));
        }
        for (final Future<?> f : all) {
            f.get();
        }
        virtual.shutdown();
        tally.print("virtualThreads=" + targets.size());
    }
}
