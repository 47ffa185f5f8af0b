package io.halfopen.agent.weave;

import io.halfopen.agent.bootstrap.HalfOpenHooks;
import java.io.IOException;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;

/** Woven into {@code sun.nio.ch.NioSocketImpl.connect(SocketAddress, int)}: the hook connects, or the body runs. */
final class SocketConnectAdvice {

    private SocketConnectAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(@Advice.This final Object impl, @Advice.Argument(0) final SocketAddress remote,
            @Advice.Argument(1) final int millis) throws IOException {
        return HalfOpenHooks.hooks().socketConnect(impl, remote, millis);
    }
}
