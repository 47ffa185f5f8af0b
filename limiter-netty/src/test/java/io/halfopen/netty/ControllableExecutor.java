package io.halfopen.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutor;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An event loop for a channel ({@link LoopControlledChannel}) that the test drives by hand: tasks queue until {@link #runPending()}.
 * After {@link #beginShutdown()} it is shutting down but still takes tasks, as a loop does until its quiet
 * period ends; after {@link #stopAccepting()} {@code execute} throws {@link RejectedExecutionException} while the
 * termination future stays incomplete, which is the window between a loop's shutdown and its termination;
 * {@link #terminate()} completes the termination future, whose listeners run on {@code GlobalEventExecutor}'s
 * thread, as they do for Netty's loops. Single-threaded use only, like {@code EmbeddedEventLoop}.
 */
final class ControllableExecutor extends AbstractEventExecutor implements EventLoop {

    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final Promise<Void> termination = new DefaultPromise<>(GlobalEventExecutor.INSTANCE);
    private volatile boolean accepting = true;
    private volatile boolean shuttingDown;

    void beginShutdown() {
        shuttingDown = true;
    }

    void stopAccepting() {
        accepting = false;
    }

    /** Stops accepting tasks, drops the queued ones, and completes the termination future. */
    void terminate() {
        accepting = false;
        tasks.clear();
        termination.setSuccess(null);
    }

    int runPending() {
        int ran = 0;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
            ran++;
        }
        return ran;
    }

    @Override
    public void execute(final Runnable task) {
        if (!accepting) {
            throw new RejectedExecutionException("test executor stopped accepting tasks");
        }
        tasks.add(task);
    }

    @Override
    public EventLoopGroup parent() {
        return this;
    }

    @Override
    public EventLoop next() {
        return this;
    }

    /** Channels are registered with their embedded loop; this one only stands in for it. */
    @Override
    public ChannelFuture register(final Channel channel) {
        throw new UnsupportedOperationException("a stand-in loop: channels are not registered with it");
    }

    @Override
    public ChannelFuture register(final ChannelPromise promise) {
        throw new UnsupportedOperationException("a stand-in loop: channels are not registered with it");
    }

    @Override
    @Deprecated
    public ChannelFuture register(final Channel channel, final ChannelPromise promise) {
        throw new UnsupportedOperationException("a stand-in loop: channels are not registered with it");
    }

    @Override
    public boolean inEventLoop(final Thread thread) {
        return true;
    }

    @Override
    public boolean isShuttingDown() {
        return shuttingDown || !accepting;
    }

    @Override
    public Future<?> shutdownGracefully(final long quietPeriod, final long timeout, final TimeUnit unit) {
        accepting = false;
        return termination;
    }

    @Override
    public Future<?> terminationFuture() {
        return termination;
    }

    @Override
    @Deprecated
    public void shutdown() {
        accepting = false;
    }

    @Override
    public boolean isShutdown() {
        return !accepting;
    }

    @Override
    public boolean isTerminated() {
        return termination.isDone();
    }

    @Override
    public boolean awaitTermination(final long timeout, final TimeUnit unit) throws InterruptedException {
        return termination.await(timeout, unit);
    }
}
