package io.halfopen.agent.weave;

import io.halfopen.agent.bootstrap.HalfOpenHooks;
import net.bytebuddy.asm.Advice;

/** Woven into {@code sun.nio.ch.SocketChannelImpl.translateReadyOps(int, int, SelectionKeyImpl)}. */
final class ReadyOpsAdvice {

    private ReadyOpsAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(@Advice.This final Object channel, @Advice.Argument(1) final int initialOps,
            @Advice.Argument(2) final Object key) {
        return HalfOpenHooks.hooks().suppressReadyOps(channel, key, initialOps);
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Enter final boolean suppressed, @Advice.Return(readOnly = false) boolean changed) {
        if (suppressed) {
            changed = false;
        }
    }
}
