package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.session.ConnectionInfo;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.time.VirtualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A refused channel never reaches the handlers after the limit handler")
class RefusedChannelTest {

    private final VirtualClock clock = new VirtualClock();
    private final List<String> seenByProtocol = new CopyOnWriteArrayList<>();

    /** Records what reaches the protocol. */
    private final class Protocol extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(final ChannelHandlerContext ctx) {
            seenByProtocol.add("active");
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            seenByProtocol.add("read");
            ((ByteBuf) msg).release();
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) {
            seenByProtocol.add("inactive");
        }
    }

    private static ByteBuf ascii(final String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    @Test
    void withoutARefusalMessageTheChannelClosesAtOnce() {
        final InboundSessionLimitHandler handler =
                new InboundSessionLimitHandler(InboundSessionLimiter.builder().maxSessions(0).clock(clock).build())
                        .withConnectionInfo(channel -> ConnectionInfo.fromComputer("PC"));

        final EmbeddedChannel channel = new EmbeddedChannel(handler, new Protocol());

        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
        assertEquals(List.of(), seenByProtocol);
        assertNull(InboundSessionLimitHandler.connection(channel));
    }

    @Test
    void theChannelClosesOnlyOnceTheRefusalIsWrittenAndReadsMeanwhileAreReleasedNotPassedOn() {
        final InboundSessionLimitHandler handler =
                new InboundSessionLimitHandler(InboundSessionLimiter.builder().maxSessions(0).clock(clock).build())
                        .withConnectionInfo(channel -> ConnectionInfo.fromComputer("PC"))
                        .withRefusalLine("421 busy\r\n");
        final HeldWrites held = new HeldWrites();
        final EmbeddedChannel channel = new EmbeddedChannel(held, handler, new Protocol());
        assertTrue(channel.isOpen(), "the refusal line is still being written");
        final ByteBuf late = ascii("HELO late\r\n");

        channel.writeInbound(late);

        assertEquals(0, late.refCnt());
        assertEquals("421 busy\r\n", held.message.toString(StandardCharsets.US_ASCII));
        held.complete();
        assertFalse(channel.isOpen());
        assertEquals(List.of(), seenByProtocol);
    }

    /** Holds the first write unfinished until told, like a slow socket. */
    private static final class HeldWrites extends ChannelOutboundHandlerAdapter {
        ByteBuf message;
        ChannelPromise promise;

        @Override
        public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise) {
            this.message = (ByteBuf) msg;
            this.promise = promise;
        }

        void complete() {
            message.release();
            promise.setSuccess();
        }
    }

    @Test
    void restrictedAnonymousChannelsAreRefusedWithError5AndTheRefusalMessage() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder()
                .restrictAnonymous(true).clock(clock).build();
        final InboundSessionLimitHandler handler = new InboundSessionLimitHandler(limiter)
                .withConnectionInfo(channel -> ConnectionInfo.fromComputer("GUEST-PC").asAnonymous())
                .withRefusalMessage(refusal -> ascii("530 error " + refusal.errorCode() + " "
                        + refusal.errorText() + "\r\n"));

        final EmbeddedChannel channel = new EmbeddedChannel(handler, new Protocol());

        final ByteBuf written = channel.readOutbound();
        assertEquals("530 error 5 Access is denied.\r\n", written.toString(StandardCharsets.US_ASCII));
        written.release();
        assertFalse(channel.isOpen(), "closed once the refusal was written");
        assertEquals(List.of(), seenByProtocol);
        assertEquals(1, limiter.stats().refusedAnonymous());
    }

    @Test
    void anAdmittedChannelReachesTheProtocolAndLeavesItsSessionWhenItCloses() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock).build();
        final InboundSessionLimitHandler handler = new InboundSessionLimitHandler(limiter)
                .withConnectionInfo(channel -> ConnectionInfo.fromComputer("PC"));
        final EmbeddedChannel channel = new EmbeddedChannel(handler, new Protocol());
        assertNotNull(InboundSessionLimitHandler.connection(channel));

        channel.writeInbound(ascii("HELO\r\n"));
        channel.close();

        assertEquals(List.of("active", "read", "inactive"), seenByProtocol);
        assertEquals(0, limiter.stats().sessions());
        assertTrue(limiter.sessions().rows().isEmpty());
    }
}
