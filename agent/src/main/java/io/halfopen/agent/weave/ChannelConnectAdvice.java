package io.halfopen.agent.weave;

import io.halfopen.agent.bootstrap.HalfOpenHooks;
import java.io.IOException;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;

/** Woven into {@code sun.nio.ch.SocketChannelImpl.connect(SocketAddress)}. */
final class ChannelConnectAdvice {

    private ChannelConnectAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(@Advice.This final Object channel, @Advice.Argument(0) final SocketAddress remote)
            throws IOException {
        return HalfOpenHooks.hooks().channelConnect(channel, remote);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.This final Object channel, @Advice.Enter final boolean handled,
            @Advice.Return(readOnly = false) boolean connected,
            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (handled) {
            connected = true;
        } else {
            thrown = HalfOpenHooks.hooks().channelConnectExit(channel, connected, thrown);
        }
    }
}
