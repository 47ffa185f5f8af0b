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
        // One connect first, on one virtual thread, as any application has made before its storm: the JVM's one-time
        // class initializations on the connect path (the limiter's among them, with the agent) then happen with no
        // other virtual thread waiting for them. A virtual thread that waits for another's class initialization is
        // pinned (JDK 25 too): JFR recorded one at HalfOpenLimiter.start in one run without this.
        virtual.submit(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(targets.get(0), timeout);
            } catch (final java.io.IOException dropped) {
                // the targets are shuffled: the first may be the dropping peer; the path is initialized either way
            }
            return null;
        }).get();
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
