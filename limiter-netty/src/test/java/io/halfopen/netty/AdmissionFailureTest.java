package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.halfopen.session.ConnectionInfo;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.SessionInfo;
import io.halfopen.session.SessionListener;
import io.halfopen.time.VirtualClock;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, defect 4, in the handler: whatever admitting a channel throws besides a refusal (a session
 * listener's {@link Error}, a describer's exception), the channel holds no session, is closed, and never
 * reaches the protocol, whose handlers see nothing of it, not even the exception.
 */
@DisplayName("A channel whose admission fails is closed and leaves no session")
class AdmissionFailureTest {

    private final VirtualClock clock = new VirtualClock();
    private final List<String> seenByProtocol = new CopyOnWriteArrayList<>();

    /** Records what reaches the protocol. */
    private final class Protocol extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(final ChannelHandlerContext ctx) {
            seenByProtocol.add("active");
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) {
            seenByProtocol.add("inactive");
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            seenByProtocol.add("exception " + cause);
        }
    }

    @Test
    void anErrorFromASessionListenerClosesTheChannelAndLeavesNoSession() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock)
                .listener(new SessionListener() {
                    @Override
                    public void sessionOpened(final SessionInfo session) {
                        throw new AssertionError("a test's listener failed");
                    }
                }).build();
        final InboundSessionLimitHandler handler = new InboundSessionLimitHandler(limiter)
                .withConnectionInfo(channel -> ConnectionInfo.fromComputer("PC"));

        final EmbeddedChannel channel = new EmbeddedChannel(handler, new Protocol());

        assertFalse(channel.isOpen());
        assertDoesNotThrow(channel::checkException, "the handler dealt with it");
        assertEquals(List.of(), seenByProtocol);
        assertNull(InboundSessionLimitHandler.connection(channel));
        assertEquals(0, limiter.stats().sessions());
        assertEquals(0, limiter.stats().openConnections());
    }

    @Test
    void aDescriberThatThrowsClosesTheChannelBeforeTheProtocolSeesIt() {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock).build();
        final InboundSessionLimitHandler handler = new InboundSessionLimitHandler(limiter)
                .withConnectionInfo(channel -> {
                    throw new IllegalStateException("no PROXY header");
                });

        final EmbeddedChannel channel = new EmbeddedChannel(handler, new Protocol());

        assertFalse(channel.isOpen());
        assertEquals(List.of(), seenByProtocol);
        assertEquals(0, limiter.stats().sessions());
    }
}
