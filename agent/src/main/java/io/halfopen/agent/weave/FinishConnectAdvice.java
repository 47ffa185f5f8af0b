package io.halfopen.agent.weave;

import io.halfopen.agent.bootstrap.HalfOpenHooks;
import net.bytebuddy.asm.Advice;

/** Woven into {@code sun.nio.ch.SocketChannelImpl.finishConnect()}: reports the outcome of a non-blocking connect. */
final class FinishConnectAdvice {

    private FinishConnectAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.This final Object channel, @Advice.Return final boolean connected,
            @Advice.Thrown(readOnly = false) Throwable thrown) {
        thrown = HalfOpenHooks.hooks().channelConnectExit(channel, connected, thrown);
    }
}
