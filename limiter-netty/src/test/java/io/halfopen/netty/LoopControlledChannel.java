package io.halfopen.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * An {@link EmbeddedChannel} whose {@link #eventLoop()} is a {@link ControllableExecutor}, so that a test can shut
 * the channel's event loop down, stop it accepting tasks or terminate it, by hand. Every handler added without an
 * executor of its own runs on that loop (its {@code inEventLoop()} is always true, so calls run inline and
 * {@code execute}d tasks wait for {@link ControllableExecutor#runPending()}). Single-threaded, like its parent.
 */
final class LoopControlledChannel extends EmbeddedChannel {

    private final ControllableExecutor loop;

    LoopControlledChannel(final ControllableExecutor loop, final ChannelHandler... handlers) {
        super(handlers);
        this.loop = loop;
    }

    @Override
    public EventLoop eventLoop() {
        return loop == null ? super.eventLoop() : loop; // null while the parent's constructor registers the channel
    }
}
