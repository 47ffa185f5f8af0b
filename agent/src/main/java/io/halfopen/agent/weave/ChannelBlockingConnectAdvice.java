package io.halfopen.agent.weave;

import io.halfopen.agent.bootstrap.HalfOpenHooks;
import java.io.IOException;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;

/** Woven into {@code sun.nio.ch.SocketChannelImpl.blockingConnect(SocketAddress, long)}, the socket adaptor's. */
final class ChannelBlockingConnectAdvice {

    private ChannelBlockingConnectAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(@Advice.This final Object channel, @Advice.Argument(0) final SocketAddress remote,
            @Advice.Argument(1) final long nanos) throws IOException {
        return HalfOpenHooks.hooks().channelBlockingConnect(channel, remote, nanos);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.This final Object channel, @Advice.Enter final boolean handled,
            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (!handled) {
            thrown = HalfOpenHooks.hooks().channelConnectExit(channel, thrown == null, thrown);
        }
    }
}
