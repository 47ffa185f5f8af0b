package io.halfopen.agent.weave;

import io.halfopen.agent.bootstrap.HalfOpenHooks;
import net.bytebuddy.asm.Advice;

/** Woven into {@code sun.nio.ch.SocketChannelImpl.kill()}: a selector's deregistration may close the socket. */
final class ChannelKillAdvice {

    private ChannelKillAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.This final Object channel) {
        HalfOpenHooks.hooks().channelMaybeClosed(channel);
    }
}
