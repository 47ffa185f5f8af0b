package io.halfopen.agent.bootstrap;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import net.bytebuddy.asm.MemberSubstitution;

/**
 * The one static entry point that the agent's woven code calls from inside the JDK. It lives on the bootstrap
 * class path, so that {@code java.base}'s classes can link to it, and holds nothing but the agent's
 * {@link Hooks}: the limiter, its state and every other agent class stay in the application class loader.
 *
 * <p>Set once, at start-up, before any class is instrumented ({@link #install}); a volatile read afterwards.
 */
public final class HalfOpenHooks {

    /** The result of {@link Hooks#asyncConnect} that skips the body and returns {@code null}. */
    public static final Object NO_RESULT = new Object();

    private static volatile Hooks hooks;

    private HalfOpenHooks() {
    }

    /**
     * Installs the agent's hooks. The first call wins; later calls (a second agent attach) are refused.
     *
     * @param agentHooks the hooks
     * @return {@code true} if installed, {@code false} if hooks were already installed
     */
    public static synchronized boolean install(final Hooks agentHooks) {
        if (hooks != null) {
            return false;
        }
        hooks = java.util.Objects.requireNonNull(agentHooks, "agentHooks");
        return true;
    }

    /**
     * Returns the installed hooks. Woven code calls it only in classes instrumented after {@link #install}.
     *
     * @return the hooks, never {@code null} once installed
     */
    public static Hooks hooks() {
        return hooks;
    }

    /**
     * Whether hooks are installed.
     *
     * @return {@code true} once {@link #install} succeeded
     */
    public static boolean installed() {
        return hooks != null;
    }

    // ------------------------------------------------------------------ the targets of call substitutions
    // Byte Buddy replaces a call inside a JDK method with a call to one of these; the annotations say what each
    // parameter receives (the enclosing method's this, or the replaced call's arguments). Byte Buddy reads them
    // from the class file, so the annotation types need not be loadable here.

    /**
     * Replaces {@code Net.connect(family, fd, remote)} in {@code SocketChannelImpl}.
     *
     * @param channel the channel whose method makes the call
     * @param family  the call's first argument
     * @param fd      the call's second argument
     * @param remote  the call's third argument
     * @return what the call returns
     * @throws IOException what the call throws
     */
    public static int netConnect(
            @MemberSubstitution.This(source = MemberSubstitution.Source.ENCLOSING_METHOD) final Object channel,
            @MemberSubstitution.Argument(0) final ProtocolFamily family,
            @MemberSubstitution.Argument(1) final FileDescriptor fd,
            @MemberSubstitution.Argument(2) final SocketAddress remote) throws IOException {
        return hooks.netConnect(channel, family, fd, remote);
    }

    /**
     * Replaces {@code Net.pollConnectNow(fd)} in {@code SocketChannelImpl}.
     *
     * @param channel the channel whose method makes the call
     * @param fd      the call's argument
     * @return what the call returns
     * @throws IOException what the call throws
     */
    public static boolean pollConnectNow(
            @MemberSubstitution.This(source = MemberSubstitution.Source.ENCLOSING_METHOD) final Object channel,
            @MemberSubstitution.Argument(0) final FileDescriptor fd) throws IOException {
        return hooks.pollConnectNow(channel, fd);
    }

    /**
     * Replaces {@code Net.accept(fd, newfd, isaa)} in the JDK's server sockets.
     *
     * @param fd    the call's first argument
     * @param newfd the call's second argument
     * @param isaa  the call's third argument
     * @return what the call returns
     * @throws IOException what the call throws
     */
    public static int netAccept(
            @MemberSubstitution.Argument(0) final FileDescriptor fd,
            @MemberSubstitution.Argument(1) final FileDescriptor newfd,
            @MemberSubstitution.Argument(2) final InetSocketAddress[] isaa) throws IOException {
        return hooks.netAccept(fd, newfd, isaa);
    }
}
