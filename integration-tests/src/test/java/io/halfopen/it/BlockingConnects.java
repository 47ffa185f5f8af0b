package io.halfopen.it;

import io.halfopen.limiter.ConnectAttempt;
import io.halfopen.limiter.HalfOpenLimiter;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Plain blocking {@link SocketChannel} connects, one thread each, guarded by the limiter's blocking API: a thread
 * {@linkplain HalfOpenLimiter#acquire(java.net.InetSocketAddress, Duration, Runnable) acquires} a slot, connects,
 * and reports the outcome; when the half-open timeout fires, the limiter's callback closes the channel, which
 * ends the blocked connect. Virtual threads where the JDK has them (21+), platform threads otherwise.
 */
final class BlockingConnects {

    /** How a blocking connect ended, as the thread saw it. */
    enum Result { CONNECTED, REFUSED, ABORTED, FAILED }

    private BlockingConnects() {
    }

    /** @return whether this JDK runs the connects on virtual threads */
    static boolean virtualThreads() {
        return Runtime.version().feature() >= 21;
    }

    /**
     * Runs one blocking connect per target, each on its own thread, and waits for all of them.
     *
     * @param limiter  the limiter guarding the connects
     * @param targets  where to connect
     * @param deadline how long to wait for all of them
     * @return each connect's result, in target order
     * @throws Exception if a thread failed unexpectedly, or the deadline passed with connects still running
     */
    static List<Result> run(final HalfOpenLimiter limiter, final List<Target> targets, final Duration deadline)
            throws Exception {
        final ExecutorService threads = newThreadPerTaskExecutor(targets.size());
        try {
            final List<Future<Result>> results = new ArrayList<>();
            for (final Target target : targets) {
                results.add(threads.submit(() -> connect(limiter, target)));
            }
            final long end = System.nanoTime() + deadline.toNanos();
            final List<Result> done = new ArrayList<>();
            for (final Future<Result> result : results) {
                done.add(result.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return done;
        } finally {
            threads.shutdownNow();
            threads.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static Result connect(final HalfOpenLimiter limiter, final Target target) throws Exception {
        final SocketChannel channel = SocketChannel.open();
        final ConnectAttempt attempt = limiter.acquire(target.address(), Duration.ofSeconds(60),
                () -> closeQuietly(channel));
        try {
            channel.connect(target.address());
            attempt.established();
            return Result.CONNECTED;
        } catch (final ClosedChannelException closedByTimeout) { // AsynchronousCloseException too
            closeQuietly(channel);
            attempt.aborted();
            return Result.ABORTED;
        } catch (final ConnectException refused) {
            closeQuietly(channel); // the socket leaves the kernel's table before the slot is freed
            attempt.refused();
            return Result.REFUSED;
        } catch (final IOException other) {
            closeQuietly(channel);
            attempt.failed(other);
            return Result.FAILED;
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(final SocketChannel channel) {
        try {
            channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
        } catch (final IOException | RuntimeException closedAlready) {
            // fine: closing is what matters
        }
        try {
            channel.close();
        } catch (final IOException ignored) {
            // closing is best effort here; the channel is gone either way
        }
    }

    private static ExecutorService newThreadPerTaskExecutor(final int threads) throws ReflectiveOperationException {
        if (virtualThreads()) {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        }
        return Executors.newFixedThreadPool(threads);
    }
}
