package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.session.ConnectionInfo;
import io.halfopen.session.InboundSessionLimiter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * An {@link InboundSessionLimitHandler} added to a channel that is already active (its {@code channelActive} gone
 * by) still admits or refuses it: the limit is never skipped silently.
 */
class InboundSessionAddedLateTest {

    private final InboundSessionLimiter limiter = InboundSessionLimiter.xpHome(); // 5 computers

    private InboundSessionLimitHandler handlerFor(final String computer) {
        return new InboundSessionLimitHandler(limiter).withConnectionInfo(ch -> ConnectionInfo.fromComputer(computer));
    }

    @Test
    void aHandlerAddedToAnActiveChannelAdmitsItAtOnce() {
        final EmbeddedChannel channel = new EmbeddedChannel();
        assertTrue(channel.isActive());
        channel.pipeline().addLast(handlerFor("PC1"));
        assertNotNull(InboundSessionLimitHandler.connection(channel), "admitted when added");
        assertEquals(1, limiter.stats().sessions(), limiter.stats()::toString);
        channel.close();
        assertEquals(0, limiter.stats().sessions(), "the session ends with the channel: " + limiter.stats());
    }

    @Test
    void aHandlerAddedToAnActiveChannelPastTheLimitRefusesAndClosesIt() {
        for (int i = 1; i <= 5; i++) {
            new EmbeddedChannel().pipeline().addLast(handlerFor("PC" + i));
        }
        final EmbeddedChannel sixth = new EmbeddedChannel();
        sixth.pipeline().addLast(handlerFor("PC6"));
        sixth.runPendingTasks();
        assertFalse(sixth.isOpen(), "the sixth computer is refused and closed");
        assertEquals(5, limiter.stats().sessions(), limiter.stats()::toString);
        assertEquals(1, limiter.stats().refused(), limiter.stats()::toString);
    }

    @Test
    void aHandlerInThePipelineBeforeActivationAdmitsOnceOnly() {
        final EmbeddedChannel channel = new EmbeddedChannel(handlerFor("PC1"));
        assertNotNull(InboundSessionLimitHandler.connection(channel));
        assertEquals(1, limiter.stats().sessions(), limiter.stats()::toString);
        assertEquals(1, limiter.stats().openConnections(), "one connection, not two: " + limiter.stats());
    }
}
