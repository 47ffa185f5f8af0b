package io.halfopen.agent.weave;

import io.halfopen.agent.bootstrap.HalfOpenHooks;
import net.bytebuddy.asm.Advice;

/** Woven into {@code sun.nio.ch.SelectionKeyImpl.translateInterestOps()}: no poll events for a held connect. */
final class InterestEventsAdvice {

    private InterestEventsAdvice() {
    }

    @Advice.OnMethodExit
    static void exit(@Advice.This final Object key, @Advice.Return(readOnly = false) int events) {
        events = HalfOpenHooks.hooks().interestEvents(key, events);
    }
}
