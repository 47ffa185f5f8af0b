package io.halfopen.agent.weave;

import io.halfopen.agent.bootstrap.HalfOpenHooks;
import net.bytebuddy.asm.Advice;

/** Woven into {@code sun.nio.ch.SocketChannelImpl.implCloseSelectableChannel()}. */
final class ChannelCloseAdvice {

    private ChannelCloseAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This final Object channel) {
        HalfOpenHooks.hooks().channelClosing(channel);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.This final Object channel) {
        HalfOpenHooks.hooks().channelMaybeClosed(channel);
    }
}
