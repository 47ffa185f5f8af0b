package io.halfopen.agent.weave;

import io.halfopen.agent.bootstrap.HalfOpenHooks;
import java.net.SocketAddress;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.Future;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Woven into {@code sun.nio.ch.UnixAsynchronousSocketChannelImpl.implConnect(SocketAddress, Object, CompletionHandler)}. */
final class AsyncConnectAdvice {

    private AsyncConnectAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Object enter(@Advice.This final Object channel, @Advice.Argument(0) final SocketAddress remote,
            @Advice.Argument(1) final Object attachment,
            @Advice.Argument(value = 2, readOnly = false) CompletionHandler<?, ?> handler) {
        final Object decision = HalfOpenHooks.hooks().asyncConnect(channel, remote, attachment, handler);
        if (decision instanceof CompletionHandler) {
            handler = (CompletionHandler<?, ?>) decision;
            return null;
        }
        return decision;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.This final Object channel, @Advice.Enter final Object skipped,
            @Advice.Argument(2) final CompletionHandler<?, ?> handler,
            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Future<?> returned,
            @Advice.Thrown final Throwable thrown) {
        if (skipped != null) {
            returned = skipped == HalfOpenHooks.NO_RESULT ? null : (Future<?>) skipped;
        } else {
            returned = HalfOpenHooks.hooks().asyncConnectExit(channel, handler, returned, thrown);
        }
    }
}
