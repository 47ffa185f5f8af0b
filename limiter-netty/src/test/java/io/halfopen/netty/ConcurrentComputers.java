package io.halfopen.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test handler placed after the limit handler: counts, independently of the limiter, how many distinct
 * remote computers have an active channel at once, and the peak of that count. Thread-safe.
 */
@ChannelHandler.Sharable
final class ConcurrentComputers extends ChannelInboundHandlerAdapter {

    private final ConcurrentMap<String, AtomicInteger> channelsPerComputer = new ConcurrentHashMap<>();
    private final AtomicInteger computers = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    @Override
    public void channelActive(final ChannelHandlerContext ctx) {
        final AtomicInteger channels = channelsPerComputer.computeIfAbsent(computer(ctx), c -> new AtomicInteger());
        if (channels.incrementAndGet() == 1) {
            peak.accumulateAndGet(computers.incrementAndGet(), Math::max);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        if (channelsPerComputer.get(computer(ctx)).decrementAndGet() == 0) {
            computers.decrementAndGet();
        }
        ctx.fireChannelInactive();
    }

    int peak() {
        return peak.get();
    }

    int now() {
        return computers.get();
    }

    private static String computer(final ChannelHandlerContext ctx) {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
    }
}
