package io.halfopen.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for the transport, placed nearer the head than the handler under test: it keeps every connect
 * pending so that a test completes, fails or cancels it on demand. On close it fails the pending connects with
 * {@link ClosedChannelException} before the channel is closed, as Netty's transports do; with
 * {@link #holdCloses()} it also holds the close itself until {@link #completeCloses()}, so a test can look at
 * the limiter while the socket would still be open.
 */
final class ConnectCapture extends ChannelOutboundHandlerAdapter {

    final List<ChannelPromise> connects = new ArrayList<>();
    final List<SocketAddress> remotes = new ArrayList<>();
    private final List<Runnable> heldCloses = new ArrayList<>();
    private ChannelHandlerContext ctx;
    private boolean holdCloses;

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void connect(final ChannelHandlerContext ctx, final SocketAddress remote, final SocketAddress local,
            final ChannelPromise promise) {
        connects.add(promise);
        remotes.add(remote);
    }

    @Override
    public void close(final ChannelHandlerContext ctx, final ChannelPromise promise) {
        for (final ChannelPromise connect : connects) {
            connect.tryFailure(new ClosedChannelException());
        }
        if (holdCloses) {
            heldCloses.add(() -> ctx.close(promise));
        } else {
            ctx.close(promise);
        }
    }

    ConnectCapture holdCloses() {
        holdCloses = true;
        return this;
    }

    int heldCloseCount() {
        return heldCloses.size();
    }

    void completeCloses() {
        holdCloses = false;
        final List<Runnable> closes = new ArrayList<>(heldCloses);
        heldCloses.clear();
        closes.forEach(Runnable::run);
    }

    ChannelPromise last() {
        return connects.get(connects.size() - 1);
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }
}
