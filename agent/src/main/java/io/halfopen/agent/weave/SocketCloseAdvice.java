package io.halfopen.agent.weave;

import io.halfopen.agent.bootstrap.HalfOpenHooks;
import net.bytebuddy.asm.Advice;

/** Woven into {@code sun.nio.ch.NioSocketImpl.close()}: ends a wait for a slot, and an inbound session. */
final class SocketCloseAdvice {

    private SocketCloseAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This final Object impl) {
        HalfOpenHooks.hooks().socketClosing(impl);
    }
}
