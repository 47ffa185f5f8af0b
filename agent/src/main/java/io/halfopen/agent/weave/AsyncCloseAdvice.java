package io.halfopen.agent.weave;

import io.halfopen.agent.bootstrap.HalfOpenHooks;
import net.bytebuddy.asm.Advice;

/** Woven into {@code sun.nio.ch.UnixAsynchronousSocketChannelImpl.implClose()}. */
final class AsyncCloseAdvice {

    private AsyncCloseAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.This final Object channel) {
        HalfOpenHooks.hooks().asyncClosed(channel);
    }
}
